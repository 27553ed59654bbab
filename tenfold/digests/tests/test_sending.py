"""The weekly send: `run_due` at the digest hour mails each team member their team's digest and
the leaders the company's, through a real SMTP server, in each reader's language, once per
week however often the tick runs, respecting mutes; posts the short version to team chat; and
costs next to nothing when nothing is due."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from tenfold.digests import jobs
from tenfold.digests.models import DigestRun
from tenfold.habits.tests.test_scores_policy import (
    _figures,
    block_violations,
    line_violations,
)
from tenfold.notifications.models import Delivery, Preference, org_settings
from tenfold.organizations.services import person_add, unit_create

from .conftest import DUE, NOW, access_of

pytestmark = pytest.mark.django_db


def parts(message):
    """The text and HTML parts of a received email."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def by_recipient(messages):
    return {str(message["To"]): message for message in messages}


def test_team_members_get_their_team_digest_and_the_owner_the_companys(story, smtp):
    assert jobs.run_due(NOW) == 3
    received = by_recipient(smtp.wait_for(3))
    assert set(received) == {"alice@example.com", "bob@example.com", "carol@example.com"}
    bob = received["bob@example.com"]
    assert bob["Subject"] == "Growth: the week of 16 Nov in OKRs · 1 key result behind"
    assert bob["Content-Language"] == "en"
    text, html = parts(bob)
    assert "Grow NPS from 20 to 50" in text and "30 % done where 58 % was expected" in text
    assert "Waiting for analytics access — Bob Member, open for 2 weeks" in text
    link = settings.SITE_URL + reverse(
        "key_result", kwargs={"org": "acme", "code": story["nps"].code}
    )
    assert link in text and f'href="{link}"' in html
    assert "Plans of the week" in html and "Who might welcome a hand" in html
    company_text, _html = parts(received["alice@example.com"])
    assert received["alice@example.com"]["Subject"].startswith("Acme: the week of 16 Nov")
    assert "Teams that may need support" in company_text
    assert "Plans of the week" not in company_text  # people's weeks stay with their team
    rows = Delivery.objects.filter(kind="team_digest").values_list("period", "status")
    assert sorted(rows) == [(f"2026-W48:{story['activation'].objective.unit.code}", "sent")] * 2


def test_the_html_is_email_safe_and_the_text_readable(story, smtp):
    jobs.run_due(NOW)
    text, html = parts(by_recipient(smtp.wait_for(3))["bob@example.com"])
    assert "<script" not in html and "<style" not in html and "stylesheet" not in html
    assert 'role="presentation"' in html and 'style="' in html
    assert "<" not in text.replace("<http", "")  # no markup in the plain text
    assert "What moved this week" in text
    assert "10 → 100 · 10 % → 100 % (+90 pts)" in text
    assert not re.search(r"\n{3,}", text)  # no runs of empty lines


def test_a_digest_never_names_a_person_beside_a_progress_figure(story, smtp):
    jobs.run_due(NOW)
    names = {"Bob Member", "Carol Lead", "Alice Owner", "bob@example.com"}
    figures: set[str] = set()
    for key in ("activation", "faster", "nps"):
        story[key].refresh_from_db()
        figures |= _figures(story[key].progress)
    assert "70 %" in figures
    for message in smtp.wait_for(3):
        text, html = parts(message)
        assert block_violations(html, names, figures) == []
        assert line_violations(text, names, figures) == []


def test_each_reader_gets_their_language(story, smtp, bob):
    bob.language = "zh-hans"
    bob.save(update_fields=["language"])
    jobs.run_due(NOW)
    received = by_recipient(smtp.wait_for(3))
    bob_text, bob_html = parts(received["bob@example.com"])
    assert received["bob@example.com"]["Content-Language"] == "zh-hans"
    assert "2026年11月16日" in bob_text  # the week, in Chinese date format
    assert '<html lang="zh-hans">' in bob_html
    carol_text, _html = parts(received["carol@example.com"])
    assert received["carol@example.com"]["Content-Language"] == "en"
    assert "16 Nov 2026" in carol_text


def test_the_organization_language_is_the_fallback(story, smtp, org):
    org.language = "es"
    org.save(update_fields=["language"])
    jobs.run_due(NOW)
    for message in smtp.wait_for(3):
        assert message["Content-Language"] == "es"
        assert "16 nov 2026" in parts(message)[0]


def test_a_second_tick_sends_nothing_again(story, smtp):
    assert jobs.run_due(NOW) == 3
    smtp.wait_for(3)
    assert jobs.run_due(NOW + dt.timedelta(minutes=15)) == 0
    assert jobs.run_due(NOW + dt.timedelta(hours=5)) == 0
    assert len(smtp.messages) == 3
    assert Delivery.objects.count() == 3
    run = DigestRun.objects.get()
    assert (run.period, run.sent, run.finished_at is not None) == ("2026-W48", 3, True)


def test_muted_or_switched_off_readers_are_left_alone(story, smtp, org, bob, carol):
    Preference.objects.create(organization=org, user=bob, muted_until=dt.date(2026, 11, 30))
    Preference.objects.create(organization=org, user=carol, kinds_off=["team_digest"])
    assert jobs.run_due(NOW) == 1
    (message,) = smtp.wait_for(1)
    assert message["To"] == "alice@example.com"
    assert not Delivery.objects.filter(user__in=[bob, carol]).exists()


def test_a_mute_that_ended_does_not_hold_the_digest(story, smtp, org, bob):
    Preference.objects.create(organization=org, user=bob, muted_until=dt.date(2026, 11, 22))
    assert jobs.run_due(NOW) == 3


def test_department_leads_get_the_company_digest(story, smtp, org, company, alice, carol):
    product = company.children.get()
    person_add(
        organization=org, email="dora@example.com", name="Dora Dept", lead_of=[product], by=alice
    )
    jobs.run_due(NOW)
    received = by_recipient(smtp.wait_for(4))
    assert received["dora@example.com"]["Subject"].startswith("Acme:")


def test_nothing_goes_out_before_the_hour_or_a_day_late(story, smtp, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert jobs.run_due(DUE - dt.timedelta(minutes=1)) == 0
    with django_assert_max_num_queries(2):
        assert jobs.run_due(DUE + dt.timedelta(hours=24, minutes=1)) == 0
    assert Delivery.objects.count() == 0


def test_a_late_tick_still_sends_the_week_as_it_was(story, smtp, clock):
    clock.move_to(DUE + dt.timedelta(hours=20))
    assert jobs.run_due(DUE + dt.timedelta(hours=20)) == 3
    text, _html = parts(by_recipient(smtp.wait_for(3))["bob@example.com"])
    assert "16 Nov 2026 to 22 Nov 2026" in text


def test_a_finished_week_costs_two_queries(story, smtp, django_assert_max_num_queries):
    jobs.run_due(NOW)
    with django_assert_max_num_queries(2):
        assert jobs.run_due(NOW + dt.timedelta(minutes=15)) == 0


def test_digests_switched_off_send_nothing(story, smtp, org):
    opts = org_settings(org)
    opts.digests = False
    opts.save()
    assert jobs.run_due(NOW) == 0
    assert Delivery.objects.count() == 0


def test_the_organizations_own_day_and_hour(story, smtp, org):
    opts = org_settings(org)
    opts.digest_weekday = 4  # Friday
    opts.digest_hour = 16
    opts.save()
    assert jobs.run_due(NOW) == 0
    friday = dt.datetime(2026, 11, 27, 15, 5, tzinfo=dt.UTC)  # 16:05 in Berlin
    assert jobs.run_due(friday) == 3
    assert Delivery.objects.filter(period__startswith="2026-W48").count() == 3


def test_a_team_with_nothing_to_say_gets_no_mail(story, smtp, org, company, alice):
    quiet = unit_create(organization=org, name="Legal", parent=company, by=alice)
    person_add(organization=org, email="lee@example.com", name="Lee", units=[quiet], by=alice)
    jobs.run_due(NOW)
    assert "lee@example.com" not in by_recipient(smtp.wait_for(3))


def test_a_failed_send_is_retried_and_the_week_stays_open(story, smtp, monkeypatch):
    calls = {"n": 0}
    real = jobs.emails.send

    def flaky(to, rendered, **kwargs):
        calls["n"] += 1
        if to == "bob@example.com" and calls["n"] < 3:
            raise OSError("mail server busy")
        return real(to, rendered, **kwargs)

    monkeypatch.setattr(jobs.emails, "send", flaky)
    assert jobs.run_due(NOW) == 2
    assert DigestRun.objects.get().finished_at is None
    failed = Delivery.objects.get(user__email="bob@example.com")
    assert (failed.status, failed.error) == ("pending", "mail server busy")
    # The retry waits for its pause (five minutes after the first attempt).
    assert jobs.run_due(NOW + dt.timedelta(minutes=6)) == 1
    assert DigestRun.objects.get().finished_at is not None
    assert "bob@example.com" in by_recipient(smtp.wait_for(3))


def test_the_short_version_goes_to_the_teams_chat_once(story, smtp, receiver, org, team, carol):
    from tenfold.chat.services import channel_create
    from tenfold.integrations.models import AllowedHost

    AllowedHost.objects.create(organization=org, host="127.0.0.1")
    channel_create(
        access=access_of(org, carol),
        unit=team,
        provider="slack",
        name="#growth",
        url=receiver.url("/slack/hook"),
        kinds=["team_digest"],
    )
    assert jobs.run_due(NOW) == 4
    (posted,) = receiver.wait_for(1)
    body = json.loads(posted.body)
    assert "Weekly digest: Growth" in body["text"]
    assert "Grow NPS from 20 to 50" in body["text"]
    assert "Bob Member" not in body["text"]  # chat channels may have guests: no names
    assert jobs.run_due(NOW + dt.timedelta(minutes=15)) == 0
    assert len(receiver.requests) == 1


def test_progress_in_the_email_matches_the_stored_figures(story, smtp):
    jobs.run_due(NOW)
    text, _html = parts(by_recipient(smtp.wait_for(3))["carol@example.com"])
    story["activation"].refresh_from_db()
    assert story["activation"].progress == Decimal("0.7")
    assert "25 % → 70 % (+45 pts)" in text
