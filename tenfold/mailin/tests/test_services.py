"""Applying replies: what lands in the week, what is refused (and then changes nothing), and the
log and confirmation of each message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from email.message import EmailMessage

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn, Source, WeeklyItem
from tenfold.checkins.weekly import categories_update
from tenfold.mailin import services
from tenfold.mailin.models import InboundMessage
from tenfold.mailin.services import reply_apply, reply_apply_safely, reply_confirm_send
from tenfold.okrs.services import key_result_create, objective_create

from .conftest import WEEK, build_reply, counts, sample, token_of


def items_of(user) -> list[tuple[str, str]]:
    return list(
        WeeklyItem.objects.filter(report__person=user)
        .order_by("id")
        .values_list("category", "text")
    )


@pytest.fixture
def kr(key_result):
    return key_result


# --- applied ------------------------------------------------------------------------------


def test_a_plain_reply_adds_items_and_a_check_in_to_the_week(
    org, bob, kr, bob_token, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = reply_apply(raw=sample("plain.eml", token=bob_token, kr_code=kr.code))
    assert outcome.status == "applied", outcome.errors
    assert items_of(bob) == [
        ("plans", "Call five customers about onboarding"),
        ("plans", "Fix the signup bug"),
        ("progress", "Shipped the new welcome email — first results look good"),
        ("problems", "Waiting for the legal review"),
    ]
    item = WeeklyItem.objects.filter(report__person=bob).first()
    assert item is not None
    assert (item.report.week, item.source, item.added_by) == (WEEK, Source.EMAIL, bob)
    checkin = CheckIn.objects.get(key_result=kr)
    assert (checkin.value, checkin.confidence, checkin.note) == (
        Decimal("27.5"),
        Decimal("0.7"),
        "activation is climbing",
    )
    assert (checkin.source, checkin.author) == (Source.EMAIL, bob)
    kr.refresh_from_db()
    assert kr.current == Decimal("27.5")  # the roll-up ran
    assert AuditEvent.objects.filter(verb="weekly.item_added").count() == 4
    assert AuditEvent.objects.filter(verb="checkin.recorded").count() == 1
    row = outcome.message
    assert row is not None
    assert (row.organization, row.user, row.week, row.token_ok, row.status) == (
        org,
        bob,
        WEEK,
        True,
        "applied",
    )
    assert row.message_id == "plain-0001@mail.example.com"
    assert row.sender == "bob@example.com" and row.via == "http"
    assert row.summary["items"][0]["text"] == "Call five customers about onboarding"
    assert row.summary["checkins"][0]["key_result"] == kr.code
    assert outcome.added[-1] == "Problems: Waiting for the legal review"
    assert outcome.added[0].startswith("Check-in on “Raise activation")
    # The confirmation went to Bob's own address, once, listing what was added.
    [confirmation] = mail.outbox
    assert confirmation.to == ["bob@example.com"]
    assert "Fix the signup bug" in confirmation.body and "27.5" in confirmation.body
    assert confirmation.extra_headers["In-Reply-To"] == "<plain-0001@mail.example.com>"
    assert confirmation.extra_headers["Auto-Submitted"] == "auto-replied"
    assert reply_confirm_send(message_id=row.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "html_only.eml",
            [
                ("plans", "Interview three churned customers"),
                ("plans", "Draft the pricing page & FAQ"),
                ("problems", "No access to the analytics dashboard"),
            ],
        ),
        ("gmail_quoted.eml", [("plans", "Prepare the onboarding survey")]),
        (
            "outlook.eml",
            [
                ("progress", "Finished the partner deck"),
                ("problems", "Budget for ads is not approved"),
            ],
        ),
        ("outlook_web.eml", [("plans", "Book the customer advisory board")]),
        (
            "chinese_gbk.eml",
            [
                ("plans", "准备新用户访谈提纲（朱镕）"),
                ("plans", "修复注册页面的错误"),
                ("progress", "完成了欢迎邮件的改版"),
                ("problems", "数据看板没有权限"),
            ],
        ),
        (
            "spanish.eml",
            [
                ("plans", "Llamar a cinco clientes sobre la incorporación"),
                ("plans", "Revisar la página de precios"),
                ("progress", "Terminé el informe de campaña"),
                ("problems", "Falta la aprobación del presupuesto"),
            ],
        ),
        (
            "base64.eml",
            [
                ("plans", "Pair with the design team on the checkout flow ✓ soon"),
                ("problems", "The staging server is down — again"),
            ],
        ),
    ],
)
def test_each_sample_adds_only_what_the_person_wrote(bob, kr, bob_token, name, expected):
    outcome = reply_apply(raw=sample(name, token=bob_token, kr_code=kr.code))
    assert outcome.status == "applied", outcome.errors
    assert items_of(bob) == expected
    # Only the samples whose own text checks in record one; quoted reminders never do.
    checked = {"html_only.eml": "31", "chinese_gbk.eml": "33", "spanish.eml": "29.5"}
    values = [str(c.value.normalize()) for c in CheckIn.objects.filter(key_result=kr)]
    assert values == ([checked[name]] if name in checked else [])


def test_the_organizations_own_category_names_are_understood(org, alice, bob, team, reply):
    categories_update(
        organization=org,
        by=alice,
        names={"plans": "Goals", "progress": "Wins", "problems": "Blockers"},
        extras=[("", "Lessons learned")],
    )
    outcome = reply_apply(raw=reply("Goals\n- one\nWins: two\nLessons learned: three"))
    assert outcome.status == "applied", outcome.errors
    assert items_of(bob) == [("plans", "one"), ("progress", "two"), ("lessons-learned", "three")]
    assert outcome.added == ["Goals: one", "Wins: two", "Lessons learned: three"]


def test_an_item_is_linked_to_the_okr_its_code_names(bob, kr, reply):
    outcome = reply_apply(raw=reply(f"Plans: call Ana #{kr.code}\nPlans: tidy up #nosuchcode9"))
    assert outcome.status == "applied"
    linked, unlinked = WeeklyItem.objects.order_by("id")
    assert (linked.text, linked.key_result, linked.objective) == ("call Ana", kr, kr.objective)
    assert (unlinked.text, unlinked.key_result) == ("tidy up #nosuchcode9", None)
    assert any("nosuchcode9" in warning for warning in outcome.warnings)


def test_a_reply_from_another_address_is_accepted_and_noted(bob, team, reply):
    outcome = reply_apply(raw=reply("Plans: from my phone", sender="bob.private@example.net"))
    assert outcome.status == "applied"
    assert "bob.private@example.net" in outcome.warnings[0]
    row = outcome.message
    assert row is not None and row.sender == "bob.private@example.net"
    assert row.warnings == outcome.warnings


def test_a_reply_to_last_weeks_reminder_goes_into_this_week(org, bob, team):
    token = token_of(bob, org, WEEK - dt.timedelta(days=7))
    outcome = reply_apply(raw=build_reply(token=token, body="Plans: late but here"))
    assert outcome.status == "applied"
    assert WeeklyItem.objects.get().report.week == WEEK
    assert "has ended" in outcome.warnings[0]


def test_a_dry_run_reports_and_writes_nothing(bob, kr, reply, django_capture_on_commit_callbacks):
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = reply_apply(raw=reply(f"Plans: one\nKR {kr.code}: 30"), dry_run=True)
    assert (outcome.status, outcome.dry_run) == ("applied", True)
    assert outcome.added == [f"Check-in on “{kr.title}”: 30", "Plans: one"]
    assert counts() == before
    assert InboundMessage.objects.count() == 0 and mail.outbox == []


# --- refused: nothing changes -------------------------------------------------------------


def test_an_unknown_key_result_code_applies_nothing_of_the_message(
    bob, kr, reply, django_capture_on_commit_callbacks
):
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = reply_apply(
            raw=reply(f"Plans: one\nKR {kr.code}: 30\nKR zz9zz9zz9z: 12", message_id="<u@x>")
        )
    assert (outcome.status, outcome.reason) == ("rejected", "invalid")
    assert outcome.errors == ["Line 3: there is no key result “zz9zz9zz9z” you can see."]
    assert counts() == before
    row = outcome.message
    assert row is not None
    assert (row.status, row.organization_id, row.user, row.token_ok) == (
        "rejected",
        kr.organization_id,
        bob,
        True,
    )
    assert "zz9zz9zz9z" in row.error
    # Bob hears why, at his own address.
    [notice] = mail.outbox
    assert notice.to == ["bob@example.com"] and "zz9zz9zz9z" in notice.body
    assert "could not be added" in notice.subject


def test_a_value_that_is_not_a_number_applies_nothing(kr, reply):
    before = counts()
    outcome = reply_apply(raw=reply(f"Plans: one\nKR {kr.code}: about forty"))
    assert (outcome.status, outcome.reason) == ("rejected", "invalid")
    assert "“about” is not a number" in outcome.errors[0]
    assert counts() == before


def test_a_key_result_the_person_may_not_update_applies_nothing(
    org, alice, bob, kr, company, reply
):
    company_objective = objective_create(
        organization=org, cycle=kr.objective.cycle, unit=company, title="Grow", by=alice
    )
    theirs = key_result_create(
        objective=company_objective,
        title="Revenue from 1 to 2",
        kind="increase",
        start=Decimal(1),
        target=Decimal(2),
        owner=alice,
        by=alice,
    )
    before = counts()
    outcome = reply_apply(raw=reply(f"Plans: one\nKR {theirs.code}: 1.5"))
    assert outcome.reason == "invalid"
    assert "may not check in on “Revenue from 1 to 2”" in outcome.errors[0]
    assert counts() == before


def test_a_refusal_from_a_service_rolls_back_what_came_before_it(kr, reply):
    before = counts()
    outcome = reply_apply(raw=reply(f"KR {kr.code}: 30\nPlans: one\nPlans: {'x' * 501}"))
    assert (outcome.status, outcome.reason) == ("rejected", "refused")
    assert outcome.errors[0].startswith("Line 3: Keep an item under 500 characters")
    assert counts() == before  # neither the check-in nor the first plan stayed


def test_a_viewer_cannot_add_by_email(org, victor, team):
    token = token_of(victor, org)
    before = counts()
    outcome = reply_apply(raw=build_reply(token=token, body="Plans: one", sender=victor.email))
    assert (outcome.status, outcome.reason) == ("rejected", "refused")
    assert "read weeks but not write" in outcome.errors[0]
    assert counts() == before


def test_a_forged_token_is_rejected_and_belongs_to_no_organization(team, reply):
    before = counts()
    outcome = reply_apply(raw=reply("Plans: one", token="a" * 48))
    assert (outcome.status, outcome.reason) == ("rejected", "forged")
    row = outcome.message
    assert row is not None
    assert (row.organization, row.user, row.token_ok) == (None, None, False)
    assert counts() == before and mail.outbox == []


def test_a_tampered_token_is_rejected(bob_token, reply):
    tampered = bob_token[:-1] + ("a" if bob_token[-1] != "a" else "b")
    outcome = reply_apply(raw=reply("Plans: one", token=tampered))
    assert (outcome.status, outcome.reason) == ("rejected", "forged")
    assert WeeklyItem.objects.count() == 0


def test_an_expired_token_is_rejected(bob_token, reply):
    raw = reply("Plans: one")
    with time_machine.travel(dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC), tick=False):
        outcome = reply_apply(raw=raw)
    assert (outcome.status, outcome.reason) == ("rejected", "expired")
    assert WeeklyItem.objects.count() == 0


def test_a_token_for_another_organization_cannot_reach_this_one(other_org, mallory, bob, kr):
    # Bob holds no place in Globex: a token naming it is refused.
    outcome = reply_apply(raw=build_reply(token=token_of(bob, other_org), body="Plans: one"))
    assert outcome.reason == "not_member"
    # Mallory's own token works in Globex only: Acme's key result does not exist there.
    outcome = reply_apply(
        raw=build_reply(
            token=token_of(mallory, other_org),
            body=f"Plans: one\nKR {kr.code}: 30",
            sender=mallory.email,
        )
    )
    assert (outcome.status, outcome.reason) == ("rejected", "invalid")
    assert WeeklyItem.objects.count() == 0 and CheckIn.objects.count() == 0


def test_a_message_to_no_reply_address_is_rejected(team):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "x@example.com", "hr@example.com", "Hi"
    message.set_content("Plans: one")
    outcome = reply_apply(raw=message.as_bytes())
    assert (outcome.status, outcome.reason) == ("rejected", "no_token")


def test_the_envelope_recipient_of_the_transport_is_enough(bob_token, bob, team):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = bob.email, "undisclosed-recipients:;", "Re"
    message.set_content("Plans: via the envelope")
    outcome = reply_apply(
        raw=message.as_bytes(), recipients=[f"reply+{bob_token}@reply.example.com"]
    )
    assert outcome.status == "applied"


def test_a_reply_with_nothing_to_add_is_rejected_with_help(reply):
    outcome = reply_apply(raw=reply("Sure, will do!"))
    assert (outcome.status, outcome.reason) == ("rejected", "empty")
    assert "Plans:" in outcome.errors[0]


def test_an_automatic_reply_is_ignored_without_a_confirmation(
    bob_token, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = reply_apply(raw=sample("autoreply.eml", token=bob_token))
    assert (outcome.status, outcome.reason) == ("ignored", "auto_reply")
    assert WeeklyItem.objects.count() == 0 and mail.outbox == []
    row = outcome.message
    assert row is not None and row.status == "ignored"


def test_a_message_over_the_limit_is_refused_before_its_body_is_read(
    settings, bob_token, org, bob, team, monkeypatch, django_capture_on_commit_callbacks
):
    """A reply with a 15 MB attachment: only its header block is looked at."""
    message = EmailMessage()
    message["From"], message["To"] = bob.email, f"reply+{bob_token}@reply.example.com"
    message["Subject"], message["Message-ID"] = "Re: with the deck", "<big-0001@x>"
    message.set_content("Plans: read the attached deck")
    message.add_attachment(
        b"\0" * (15 * 1024 * 1024), maintype="application", subtype="octet-stream", filename="d.bin"
    )
    raw = message.as_bytes()
    assert len(raw) > settings.INBOUND_MAX_BYTES

    def no_parsing(*args, **kwargs):
        raise AssertionError("the body of an oversized message must not be parsed")

    monkeypatch.setattr(services, "parse_message", no_parsing)
    monkeypatch.setattr(services, "reply_text", no_parsing)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = reply_apply(raw=raw)
    assert (outcome.status, outcome.reason) == ("rejected", "too_large")
    assert "MB" in outcome.errors[0]
    assert WeeklyItem.objects.count() == 0
    row = outcome.message
    assert row is not None
    assert (row.organization, row.user, row.message_id) == (org, bob, "big-0001@x")
    assert row.size == len(raw)
    assert row.summary == {} and len(row.error) < 500  # nothing of the attachment is kept
    [notice] = mail.outbox
    assert notice.to == [bob.email] and "without attachments" in notice.body


def test_the_same_message_twice_is_applied_once(bob, reply):
    raw = reply("Plans: only once", message_id="<twice@mail.example.com>")
    first = reply_apply(raw=raw)
    second = reply_apply(raw=raw)
    assert (first.status, second.status) == ("applied", "duplicate")
    assert items_of(bob) == [("plans", "only once")]
    assert InboundMessage.objects.count() == 1


def test_a_refused_message_may_be_read_again(kr, reply):
    raw = reply(f"KR {kr.code}: 30", message_id="<again@x>")
    kr.objective.cycle.state = "closed"
    kr.objective.cycle.save(update_fields=["state"])
    assert reply_apply(raw=raw).status == "rejected"
    kr.objective.cycle.state = "active"
    kr.objective.cycle.save(update_fields=["state"])
    assert reply_apply(raw=raw).status == "applied"


def test_the_database_keeps_one_applied_row_per_message_id(org):
    InboundMessage.objects.create(organization=org, status="applied", message_id="m@x")
    InboundMessage.objects.create(organization=org, status="rejected", message_id="m@x")
    with pytest.raises(IntegrityError):
        InboundMessage.objects.create(organization=org, status="applied", message_id="m@x")


def test_a_concurrent_delivery_that_wins_the_race_makes_this_one_a_duplicate(
    org, bob, reply, monkeypatch
):
    """Two deliveries pass the duplicate check together; the unique constraint decides."""
    raw = reply("Plans: raced", message_id="<race@x>")
    InboundMessage.objects.create(organization=org, status="applied", message_id="race@x")
    real = services._applied_before
    calls: list[str] = []

    def checked(message_id: str) -> bool:
        calls.append(message_id)
        # The first check ran before the other delivery committed.
        return False if len(calls) == 1 else real(message_id)

    monkeypatch.setattr(services, "_applied_before", checked)
    outcome = reply_apply(raw=raw)
    assert calls == ["race@x", "race@x"]  # decided by the constraint, then checked again
    assert outcome.status == "duplicate"
    assert WeeklyItem.objects.count() == 0  # the loser's items were rolled back
    assert InboundMessage.objects.count() == 1


def test_an_unexpected_fault_is_recorded_as_an_error(reply, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "item_add", broken)
    outcome = reply_apply_safely(raw=reply("Plans: one"))
    assert (outcome.status, outcome.reason) == ("error", "internal")
    assert "disk on fire" not in " ".join(outcome.errors)  # not shown to the sender
    row = outcome.message
    assert row is not None and "RuntimeError: disk on fire" in row.error
    assert WeeklyItem.objects.count() == 0
