"""A whole quarter on the demo organization, in the browser: the company objective, a team's
draft, its proposal and approval, alignment, check-ins across the quarter (frozen time), the
close, the review with one adjusted score, and the carry-over into the next quarter."""

import datetime as dt
import os
import shutil
import subprocess

import pytest
import time_machine

from tenfold.checkins.models import CheckIn
from tenfold.okrs.demo import PASSWORD, build_demo, email_of
from tenfold.okrs.models import Cycle, KeyResult, Objective
from tenfold.okrs.services import cycles_create_for_year
from tenfold.organizations.models import Unit
from tenfold.reviews.models import Review

from .conftest import ARTIFACTS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWNER = email_of("Maya Okafor")
HEAD = email_of("Kenji Watanabe")  # leads the department above the Onboarding team
LEAD = email_of("Priya Raman")  # leads Onboarding
MEMBER = email_of("Noah Fischer")  # works in Onboarding


def as_person(page, email):
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def move_cycle(page, org, cycle, label):
    as_person(page, OWNER)
    page.goto(f"{page.base_url}/{org.slug}/settings/cycles/")
    row = page.locator("tr", has_text=cycle.name).first
    row.get_by_role("button", name=label).click()
    page.wait_for_load_state()


def check_in(page, org, kr, value, confidence):
    as_person(page, MEMBER)
    page.goto(f"{page.base_url}/{org.slug}/week/")
    row = page.locator(f"#kr-{kr.code}")
    row.locator(".checkin-value").fill(str(value))
    row.locator(".checkin-confidence").fill(str(confidence))
    row.get_by_role("button", name="Save").click()
    page.locator(f"#kr-{kr.code}").get_by_text("Saved").wait_for()


def test_a_whole_quarter(page):
    with time_machine.travel("2026-12-07 09:00:00+01:00", tick=True):
        org = build_demo(dt.date(2026, 12, 7))
        owner = org.memberships.get(role="owner").user
        cycles_create_for_year(organization=org, year=2027, by=owner)
        q1 = Cycle.objects.get(organization=org, name__startswith="Q1", start__year=2027)
        q2 = Cycle.objects.get(organization=org, name__startswith="Q2", start__year=2027)
        company = Unit.objects.get(organization=org, parent__isnull=True)
        team = Unit.objects.get(organization=org, name="Onboarding")

        # 1. Leadership writes the company objective for Q1, with the why.
        as_person(page, OWNER)
        page.goto(f"{page.base_url}/{org.slug}/objectives/new/?unit={company.code}&cycle={q1.code}")
        page.get_by_label("Objective:", exact=True).fill(
            "Every new team succeeds in its first month"
        )
        page.get_by_label("Why it matters").fill("Teams that succeed early renew.")
        page.get_by_role("button", name="Create objective").click()
        page.wait_for_url("**/objectives/*/")
        parent = Objective.objects.get(title="Every new team succeeds in its first month")
        assert parent.cycle == q1

        # 2. A member of the team drafts the team's objective and a key result, and aligns it.
        as_person(page, MEMBER)
        page.goto(f"{page.base_url}/{org.slug}/objectives/new/?unit={team.code}&cycle={q1.code}")
        page.get_by_label("Objective:", exact=True).fill(
            "New teams reach their first check-in fast"
        )
        page.get_by_role("button", name="Create objective").click()
        page.wait_for_url("**/objectives/*/")
        draft = Objective.objects.get(title="New teams reach their first check-in fast")
        assert draft.state == "draft"
        page.goto(f"{page.base_url}/{org.slug}/objectives/{draft.code}/key-results/new/")
        page.get_by_label("Key result:", exact=True).fill(
            "Raise teams checking in within a week from 40% to 70%"
        )
        page.get_by_label("Kind").select_option("increase")
        page.get_by_label("Start value").fill("40")
        page.get_by_label("Target").fill("70")
        page.get_by_role("button", name="Add key result").click()
        page.wait_for_url(f"**/objectives/{draft.code}/")
        page.get_by_label("Contributes to").select_option(f"o:{parent.code}")
        page.get_by_role("button", name="Align", exact=True).click()
        page.wait_for_url(f"**/objectives/{draft.code}/")
        kr = KeyResult.objects.get(objective=draft)

        # 3. The team proposes it on the planning board; the department head approves it.
        page.goto(f"{page.base_url}/{org.slug}/cycles/{q1.code}/planning/")
        page.locator(f"#plan-{draft.code}").get_by_role("button", name="Propose").click()
        page.locator(f"#plan-{draft.code}").get_by_text("Proposed").first.wait_for()
        as_person(page, HEAD)
        page.goto(f"{page.base_url}/{org.slug}/approvals/")
        page.locator(f"#plan-{draft.code}").get_by_role("button", name="Approve").click()
        page.wait_for_load_state("networkidle")
        draft.refresh_from_db()
        assert draft.state == "approved"
        page.goto(f"{page.base_url}/{org.slug}/cycles/{q1.code}/alignment/")
        assert page.get_by_text("New teams reach their first check-in fast").count() >= 1

    # 4. The quarter runs: the cycle opens, the team activates its objective and checks in.
    with time_machine.travel("2027-01-04 09:00:00+01:00", tick=True):
        move_cycle(page, org, q1, "Active")
        as_person(page, LEAD)
        page.goto(f"{page.base_url}/{org.slug}/cycles/{q1.code}/planning/")
        page.locator(f"#plan-{draft.code}").get_by_role("button", name="Activate").click()
        page.wait_for_load_state("networkidle")
        draft.refresh_from_db()
        assert draft.state == "active"
    for day, value, confidence in (
        ("2027-01-15", 45, 6),
        ("2027-02-05", 52, 6),
        ("2027-02-26", 58, 7),
        ("2027-03-19", 64, 7),
    ):
        with time_machine.travel(f"{day} 10:00:00+01:00", tick=True):
            check_in(page, org, kr, value, confidence)
    assert CheckIn.objects.filter(key_result=kr).count() == 4
    with time_machine.travel("2027-03-22 10:00:00+01:00", tick=True):
        as_person(page, OWNER)
        page.goto(f"{page.base_url}/{org.slug}/tree/?cycle={q1.code}")
        screenshot(page, "cycle-tree")
        page.goto(f"{page.base_url}/{org.slug}/dashboard/?cycle={q1.code}")
        screenshot(page, "cycle-company-dashboard")

    # 5. The quarter ends: the cycle moves to review, then closes. Reviews open by themselves.
    with time_machine.travel("2027-04-01 09:00:00+02:00", tick=True):
        move_cycle(page, org, q1, "Reviewing")
        review = Review.objects.get(cycle=q1, unit=team)

        # 6. The lead adjusts one score, with the reason, and submits the review.
        as_person(page, LEAD)
        page.goto(f"{page.base_url}/{org.slug}/reviews/{review.code}/")
        row = page.locator(f"#score-{kr.code}")
        row.get_by_role("link", name="Adjust").click()
        page.get_by_label("Final score").fill("0.9")
        page.get_by_label("Why it differs from the proposed score").fill(
            "The last two weeks of data arrived after the final check-in."
        )
        page.get_by_role("button", name="Save score").click()
        page.locator(f"#score-{kr.code} [data-testid=final-score]").filter(
            has_text="0.9"
        ).wait_for()
        page.get_by_label("Summary", exact=False).first.fill("Faster first check-ins; keep going.")
        page.get_by_role("button", name="Save review").click()
        page.wait_for_load_state()
        screenshot(page, "cycle-review")
        pdf = page.request.get(f"{page.base_url}/{org.slug}/reviews/{review.code}/report.pdf")
        assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "cycle-review.pdf").write_bytes(pdf.body())
        if shutil.which("pdftoppm") or os.environ.get("TENFOLD_REQUIRE_BROWSER") == "1":
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "80",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(ARTIFACTS / "cycle-review.pdf"),
                    str(ARTIFACTS / "cycle-review-pdf"),
                ],
                check=True,
            )
            assert (ARTIFACTS / "cycle-review-pdf.png").exists()
        move_cycle(page, org, q1, "Closed")
        q1.refresh_from_db()
        assert q1.state == "closed"

        # 7. Carry the unfinished objective into Q2: baseline = its last value.
        as_person(page, LEAD)
        page.goto(f"{page.base_url}/{org.slug}/cycles/{q1.code}/carry-over/")
        page.get_by_label("Carry into").select_option(q2.code)
        page.locator(f"#pick-{draft.code}").check()
        page.get_by_role("button", name="Preview").click()
        page.get_by_test_id("planned-objective").first.wait_for()
        page.get_by_role("button", name="Carry over").click()
        page.wait_for_load_state()
        carried = Objective.objects.get(cycle=q2, carried_from=draft)
        new_kr = carried.key_results.get()
        assert new_kr.carried_from_id == kr.id and new_kr.start == 64
        assert not CheckIn.objects.filter(key_result=new_kr).exists()
