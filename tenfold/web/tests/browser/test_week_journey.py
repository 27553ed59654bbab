"""A member fills in a week with the keyboard alone: plans linked to key results, one done,
one moved to problems, two key-result check-ins; the team week and the meeting show it."""

from decimal import Decimal

import pytest
import time_machine

from tenfold.checkins.models import CheckIn, WeeklyItem
from tenfold.conftest import PASSWORD
from tenfold.okrs.services import key_result_create

from .conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-18 09:00:00+00:00", tick=True):
        yield


def add_plan(page, text, link_steps):
    """Type a plan, Tab to the link picker, choose with the arrow keys, Shift+Tab back and
    press Enter; wait until the board shows it."""
    field = page.locator("#add-plans")
    field.focus()
    page.keyboard.type(text)
    page.keyboard.press("Tab")
    page.keyboard.press("Home")  # the picker remembers the last link; start from the top
    for _ in range(link_steps):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.get_by_test_id("items-plans").get_by_text(text, exact=True).wait_for()


def test_a_member_fills_in_the_week_with_the_keyboard(
    page, org, team, cycle, objective, key_result, bob, carol
):
    second = key_result_create(
        objective=objective,
        title="Grow weekly check-ins from 100 to 300",
        kind="increase",
        start=Decimal(100),
        target=Decimal(300),
        owner=bob,
        by=carol,
    )
    sign_in(page, bob.email, PASSWORD)
    page.goto(f"{page.base_url}/")
    page.wait_for_url(f"**/{org.slug}/week/")

    # Options: business as usual, the objective, its first key result, its second.
    add_plan(page, "Interview five trial teams", 2)
    add_plan(page, "Ship the reminder email", 3)
    add_plan(page, "Fix the signup tracking", 1)
    plans = WeeklyItem.objects.filter(category="plans").order_by("position")
    assert [(p.text, p.key_result_id) for p in plans] == [
        ("Interview five trial teams", key_result.id),
        ("Ship the reminder email", second.id),
        ("Fix the signup tracking", None),
    ]
    assert plans[2].objective_id == objective.id

    # Done: the first plan moves to progress. Stuck: the third moves to problems.
    page.get_by_role("button", name="Done: Interview five trial teams").focus()
    page.keyboard.press("Enter")
    progress = page.get_by_test_id("items-progress")
    progress.get_by_text("Interview five trial teams", exact=True).wait_for()
    page.get_by_role("button", name="Move to problems: Fix the signup tracking").focus()
    page.keyboard.press("Enter")
    problems = page.get_by_test_id("items-problems")
    problems.get_by_text("Fix the signup tracking", exact=True).wait_for()
    assert page.get_by_test_id("items-plans").get_by_test_id("item").count() == 1

    # Two check-ins: value, Tab, confidence, Enter; the cursor moves to the next key result.
    page.locator(f"#kr-{key_result.code} .checkin-value").focus()
    page.keyboard.type("26")
    page.keyboard.press("Tab")
    page.keyboard.type("7")
    page.keyboard.press("Enter")
    page.locator(f"#kr-{key_result.code}").get_by_text("Saved").wait_for()
    focused = page.evaluate("document.activeElement.id")
    assert focused == f"id_{second.code}-value"
    page.keyboard.type("160")
    page.keyboard.press("Enter")
    page.locator(f"#kr-{second.code}").get_by_text("Saved").wait_for()
    assert list(CheckIn.objects.order_by("id").values_list("value", flat=True)) == [26, 160]
    assert page.locator(f"#kr-{key_result.code} [data-testid=kr-current]").inner_text() == "26 %"
    screenshot(page, "my-week")

    # The team week groups the plans under their key results and shows the open problem.
    page.context.clear_cookies()
    sign_in(page, carol.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/units/{team.code}/week/")
    groups = page.get_by_test_id("okr-group")
    assert groups.first.get_by_text(key_result.title).count() == 1
    assert page.get_by_test_id("total-problems").inner_text() == "1"
    assert "Carol Lead" in page.get_by_test_id("missing").inner_text()
    screenshot(page, "team-week")

    # The meeting: status of the objective, what got done, the open problem; a plan agreed
    # in the meeting lands in bob's next week.
    page.goto(f"{page.base_url}/{org.slug}/units/{team.code}/meeting/")
    agenda = page.get_by_test_id("agenda-objective")
    assert agenda.count() == 1
    assert "Interview five trial teams" in page.get_by_test_id("done").inner_text()
    assert "Fix the signup tracking" in page.get_by_test_id("problems").inner_text()
    page.get_by_label("Plan", exact=True).fill("Pair with data team on tracking")
    page.get_by_label("Who").select_option(str(bob.id))
    page.get_by_role("button", name="Add to their next week").click()
    page.get_by_test_id("next-plans").get_by_text("Pair with data team on tracking").wait_for()
    screenshot(page, "meeting")
    planned = WeeklyItem.objects.get(text="Pair with data team on tracking")
    assert planned.report.person == bob and planned.source == "meeting"


def test_plans_reorder_by_drag_and_drop(page, org, team, bob):
    from tenfold.checkins.weekly import item_add
    from tenfold.organizations.models import Membership
    from tenfold.organizations.permissions import access_for

    access = access_for(Membership.objects.get(organization=org, user=bob))
    for text in ("First", "Second", "Third"):
        item_add(access=access, category="plans", text=text)
    sign_in(page, bob.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/week/")
    plans = page.get_by_test_id("items-plans").get_by_test_id("item")
    plans.nth(2).drag_to(plans.nth(0), target_position={"x": 10, "y": 2})
    page.wait_for_function(
        "document.querySelector('[data-testid=items-plans] .item .item-text')"
        ".textContent === 'Third'"
    )
    page.wait_for_load_state("networkidle")
    order = list(
        WeeklyItem.objects.filter(category="plans")
        .order_by("position")
        .values_list("text", flat=True)
    )
    assert order == ["Third", "First", "Second"]
