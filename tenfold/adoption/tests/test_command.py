"""tenfold adoption: show, shape, check, uncheck and sandbox, as a person; bad input exits
with a message and writes nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tenfold.adoption.models import ChecklistItem, Sandbox
from tenfold.adoption.services import item_update
from tenfold.audit.models import AuditEvent
from tenfold.organizations.models import Organization


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("adoption", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def written() -> tuple[int, int, str]:
    rollouts = ",".join(Organization.objects.order_by("id").values_list("rollout", flat=True))
    return (
        ChecklistItem.objects.filter(done_at__isnull=False).count(),
        AuditEvent.objects.exclude(verb="adoption.checklist_created").count(),
        rollouts,
    )


def test_show_prints_the_shape_rules_and_checklist_with_codes(org, team, step, victor):
    out = run("show", "--as", "victor@example.com")
    assert "Rollout: Everyone at once" in out
    assert "First cycle: one committed objective per team" in out
    assert "Checklist: 0 of 9 done" in out
    assert (
        f"[ ] {step.code}  Everyone learns the basics of OKRs (Alice Owner, due 2026-11-15)" in out
    )


def test_show_as_json_parses(org, team, programme, bob):
    data = json.loads(run("show", "--as", "bob@example.com", "--json"))
    assert data["progress"]["total"] == 9 and data["policy"]["first_cycle"] is True


def test_an_admin_sets_a_pilot_by_team_name(org, team, alice):
    out = run("shape", "pilot", "--pilot", "growth", "--as", "alice@example.com")
    assert "Rollout shape: Pilot team first. Pilot team: Growth." in out
    org.refresh_from_db()
    assert org.rollout == "pilot"
    assert "pilot team: Growth" in run("show", "--as", "alice@example.com")


def test_checking_and_unchecking_a_step(org, team, step, alice, bob):
    item_update(item=step, by=alice, owner=bob)
    out = run("check", step.code, "--as", "bob@example.com")
    assert "Done: Everyone learns the basics of OKRs" in out and "1 of 9 done" in out
    step.refresh_from_db()
    assert step.done_by.email == "bob@example.com"
    assert "0 of 9 done" in run("uncheck", step.code, "--as", "bob@example.com")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("shape", "leads", "--as", "bob@example.com"), "Only owners and admins"),
        (("shape", "pilot", "--as", "alice@example.com"), "pilot_unit: Choose the team"),
        (("shape", "pilot", "--pilot", "Nope", "--as", "alice@example.com"), "No team"),
        (("check", "{code}", "--as", "bob@example.com"), "step's owner"),
        (("check", "{code}", "--as", "victor@example.com"), "step's owner"),
        (("check", "nosuchcode", "--as", "alice@example.com"), "No checklist step"),
        (("check", "{code}", "--as", "mallory@example.com"), "belongs to no"),
        (("show", "--as", "nobody@example.com"), "Nobody"),
        (("sandbox", "open", "--as", "bob@example.com"), "Team leads and admins"),
        (("sandbox", "reset", "--as", "carol@example.com"), "no sandbox to reset"),
        (("sandbox", "delete", "--as", "carol@example.com"), "no sandbox to delete"),
    ],
)
def test_bad_input_exits_with_a_message_and_writes_nothing(org, team, step, mallory, args, words):
    before = written()
    with pytest.raises(CommandError) as caught:
        run(*(arg.format(code=step.code) for arg in args))
    assert words in str(caught.value)
    assert written() == before


def test_an_outsider_cannot_tick_another_organizations_step(org, step, other_org, mallory):
    with pytest.raises(CommandError, match="No checklist step"):
        run("check", step.code, "--as", "mallory@example.com")


def test_a_lead_opens_resets_and_deletes_their_sandbox(org, team, carol, fast_sandbox):
    out = run("sandbox", "open", "--as", "carol@example.com", "--org", "acme")
    slug = Sandbox.objects.get(person=carol).organization.slug
    assert f"/{slug}/" in out and "Built your sandbox in" in out
    assert f"Your sandbox is at /{slug}/" in run(
        "sandbox", "open", "--as", "carol@example.com", "--org", "acme"
    )
    assert "Rebuilt your sandbox" in run(
        "sandbox", "reset", "--as", "carol@example.com", "--org", "acme"
    )
    assert "Deleted" in run("sandbox", "delete", "--as", "carol@example.com", "--org", "acme")
    assert not Organization.objects.filter(slug=slug).exists()
