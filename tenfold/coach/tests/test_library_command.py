"""tenfold examples: list and search, show one, and start a draft from one as a person; bad
input exits with a message and writes nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tenfold.audit.models import AuditEvent
from tenfold.coach.library import examples
from tenfold.okrs.models import KeyResult, Objective

SLUG = "sales-faster-deals"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("examples", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def written():
    return Objective.objects.count(), KeyResult.objects.count(), AuditEvent.objects.count()


def test_without_arguments_it_lists_every_example():
    lines = run("--language", "en").splitlines()
    assert len(lines) == len(examples("en")) + 1
    assert lines[0].startswith(f"{SLUG}  [Sales] Win deals faster")
    assert "Show one with --show SLUG" in lines[-1]


def test_a_query_searches_in_the_chosen_language():
    out = run("churn", "--language", "en")
    assert "cs-reduce-churn" in out and "3 examples" in out
    chinese = run("流失", "--language", "zh-hans")
    assert "cs-reduce-churn  [客户成功] 让客户持续成功" in chinese
    spanish = run("renovacion", "clientes", "--language", "es")
    assert "cs-reduce-churn" in spanish


def test_a_function_filters_and_an_unknown_one_is_refused():
    out = run("--function", "legal", "--language", "en")
    assert out.count("[Legal]") == 2
    with pytest.raises(CommandError, match="Unknown function"):
        run("--function", "astrology")


def test_nothing_found_says_so():
    assert "No example matches" in run("zebra", "--language", "en")


def test_json_lists_parse():
    data = json.loads(run("churn", "--json", "--language", "es"))
    assert data[0]["slug"] == "cs-reduce-churn"
    assert data[0]["language"] == "es" and len(data[0]["key_results"]) == 3


def test_show_prints_the_whole_example():
    out = run("--show", SLUG, "--language", "en")
    assert out.startswith("Win deals faster without buying speed with discounts\n")
    assert "Sales · Team · Committed  (sales-faster-deals)" in out
    assert "  - Cut the median lead-to-close time from 48 to 35 days" in out
    assert "Suggested weekly plans:" in out and "Why this is a good OKR:" in out
    data = json.loads(run("--show", SLUG, "--json", "--language", "zh-hans"))
    assert data["title"] == "更快赢单，而不是拿折扣换速度"
    with pytest.raises(CommandError, match="No example is called"):
        run("--show", "nope")


def test_use_creates_a_draft_as_the_person(org, team, cycle, carol):
    out = run(
        "--use", SLUG, "--org", org.slug, "--unit", team.code, "--cycle", cycle.code,
        "--as", "carol@example.com", "--language", "en",
    )  # fmt: skip
    objective = Objective.objects.get()
    assert objective.state == "draft" and objective.lead == carol
    assert objective.key_results.count() == 3
    assert f"Draft objective {objective.code} created" in out
    assert reverse("objective", args=[org.slug, objective.code]) in out


def test_use_with_json(org, team, cycle, bob):
    args = f"--use personal-confident-presenter --org {org.slug} --cycle {cycle.code}"
    data = json.loads(run(*args.split(), "--as", "bob@example.com", "--json"))
    objective = Objective.objects.get(code=data["code"])
    assert (objective.level, objective.owner_person, data["key_results"]) == ("personal", bob, 3)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--use", SLUG, "--org", "acme", "--cycle", "{cycle}", "--as", "carol@example.com"),
         "--unit"),
        (("--use", SLUG, "--unit", "{unit}", "--cycle", "{cycle}"), "--as, --org"),
        (("--use", "nope", "--org", "acme", "--unit", "{unit}", "--cycle", "{cycle}", "--as",
          "carol@example.com"), "No example"),
        (("--use", SLUG, "--org", "acme", "--unit", "{unit}", "--cycle", "{cycle}", "--as",
          "nobody@example.com"), "Nobody signs in"),
        (("--use", SLUG, "--org", "acme", "--unit", "{unit}", "--cycle", "{cycle}", "--as",
          "mallory@example.com"), "not a member"),
        (("--use", SLUG, "--org", "acme", "--unit", "nope", "--cycle", "{cycle}", "--as",
          "carol@example.com"), "No unit"),
        (("--use", SLUG, "--org", "acme", "--unit", "{unit}", "--cycle", "nope", "--as",
          "carol@example.com"), "No cycle"),
        (("--use", SLUG, "--org", "acme", "--unit", "{unit}", "--cycle", "{cycle}", "--as",
          "victor@example.com"), "Viewers"),
        (("--use", SLUG, "--org", "acme", "--unit", "{company}", "--cycle", "{cycle}", "--as",
          "bob@example.com"), "may not create"),
        (("--use", SLUG, "--org", "acme", "--unit", "{unit}", "--cycle", "{closed}", "--as",
          "carol@example.com"), "is closed"),
    ],
)  # fmt: skip
def test_bad_input_exits_with_a_message_and_writes_nothing(
    org, company, team, cycle, alice, mallory, args, words
):
    import datetime as dt

    from tenfold.okrs.services import cycle_create

    closed = cycle_create(
        organization=org,
        name="Q2 2026",
        start=dt.date(2026, 4, 1),
        end=dt.date(2026, 6, 30),
        state="closed",
        by=alice,
    )
    before = written()
    codes = {"cycle": cycle.code, "unit": team.code, "company": company.code, "closed": closed.code}
    with pytest.raises(CommandError) as caught:
        run(*(arg.format(**codes) for arg in args))
    assert words in str(caught.value)
    assert written() == before
