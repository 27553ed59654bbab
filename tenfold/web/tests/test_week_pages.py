"""My week, team week, the check-in meeting and the monthly review, through the browser's
requests: htmx fragments, plain posts, permissions, and query counts that do not grow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.checkins.models import CheckIn, WeeklyItem, WeeklyReport
from tenfold.checkins.weekly import week_of
from tenfold.conftest import make_user
from tenfold.organizations.models import Organization, UnitMember
from tenfold.organizations.services import person_add

NOW = "2026-11-18 12:00:00+00:00"
HTMX = {"HTTP_HX_REQUEST": "true"}

pytestmark = pytest.mark.usefixtures("_frozen")


@pytest.fixture
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add(client: Client, org: Organization, **data: Any) -> Any:
    return client.post(reverse("week_item_add", args=[org.slug]), data, **HTMX)


def test_home_opens_my_week(org: Organization, bob: Any, team: Any) -> None:
    response = client_for(bob).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("my_week", args=[org.slug])


def test_my_week_shows_the_categories_and_the_key_results_to_update(
    org: Organization, bob: Any, key_result: Any
) -> None:
    response = client_for(bob).get(reverse("my_week", args=[org.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("Plans", "Progress", "Problems"):
        assert name in page
    assert key_result.title in page
    assert reverse("week_checkin", args=[org.slug, key_result.code]) in page
    # The link picker offers the team's key result.
    assert f'value="{key_result.code}"' in page


def test_adding_with_htmx_answers_the_board(org: Organization, bob: Any, key_result: Any) -> None:
    client = client_for(bob)
    response = add(client, org, category="plans", text="Call five customers", link=key_result.code)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith("<section")  # only the board, not the whole page
    assert "Call five customers" in page
    item = WeeklyItem.objects.get()
    assert item.key_result == key_result and item.report.person == bob


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"category": "plans", "text": ""}, "Write what the item is about"),
        ({"category": "plans", "text": "x" * 501}, "500"),
        ({"category": "plans", "text": "ok", "link": "zzzz"}, "zzzz"),
        ({"category": "nope", "text": "ok"}, "categories"),
    ],
)
def test_bad_input_is_explained_and_writes_nothing(
    org: Organization, bob: Any, team: Any, data: dict[str, str], message: str
) -> None:
    client = client_for(bob)
    response = add(client, org, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    plain = client.post(reverse("week_item_add", args=[org.slug]), data)
    assert plain.status_code == 400
    assert message in plain.content.decode()
    assert not WeeklyItem.objects.exists()


def test_plain_post_redirects_back(org: Organization, bob: Any, team: Any) -> None:
    response = client_for(bob).post(
        reverse("week_item_add", args=[org.slug]), {"category": "plans", "text": "A plan"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("my_week", args=[org.slug]))


def test_item_actions(org: Organization, bob: Any, team: Any) -> None:
    client = client_for(bob)
    for text in ("First", "Second"):
        add(client, org, category="plans", text=text)
    first, second = WeeklyItem.objects.order_by("position")
    move = reverse("week_item_move", args=[org.slug, first.code])
    assert client.post(move, {"category": "progress"}, **HTMX).status_code == 200
    first.refresh_from_db()
    assert first.category == "progress" and first.done_at
    client.post(
        reverse("week_item_move", args=[org.slug, second.code]), {"category": "problems"}, **HTMX
    )
    client.post(reverse("week_item_resolve", args=[org.slug, second.code]), {}, **HTMX)
    second.refresh_from_db()
    assert second.category == "problems" and second.resolved_at
    edit = reverse("week_item_edit", args=[org.slug, second.code])
    assert 'name="text"' in client.get(edit, **HTMX).content.decode()
    client.post(edit, {"text": "Second, reworded", "link": ""}, **HTMX)
    second.refresh_from_db()
    assert second.text == "Second, reworded"
    refused = client.post(edit, {"text": "", "link": ""}, **HTMX)
    assert refused.status_code == 200 and refused["HX-Retarget"] == f"#item-{second.code}"
    second.refresh_from_db()
    assert second.text == "Second, reworded"
    client.post(reverse("week_item_delete", args=[org.slug, second.code]), **HTMX)
    assert not WeeklyItem.objects.filter(pk=second.pk).exists()


def test_shift_reorders(org: Organization, bob: Any, team: Any) -> None:
    client = client_for(bob)
    for text in ("A", "B", "C"):
        add(client, org, category="plans", text=text)
    c = WeeklyItem.objects.get(text="C")
    client.post(reverse("week_item_shift", args=[org.slug, c.code]), {"direction": "up"}, **HTMX)
    order = list(WeeklyItem.objects.order_by("position").values_list("text", flat=True))
    assert order == ["A", "C", "B"]


def test_guidance_when_there_are_too_many_plans(org: Organization, bob: Any, team: Any) -> None:
    client = client_for(bob)
    for n in range(8):
        response = add(client, org, category="plans", text=f"Plan {n}")
    assert "8 plans this week" in response.content.decode()
    assert WeeklyItem.objects.count() == 8  # guidance, not a limit


def test_other_people_cannot_touch_my_items(
    org: Organization, bob: Any, victor: Any, mallory: Any, other_org: Any, team: Any
) -> None:
    add(client_for(bob), org, category="plans", text="Mine")
    item = WeeklyItem.objects.get()
    move = reverse("week_item_move", args=[org.slug, item.code])
    assert client_for(victor).post(move, {"category": "progress"}).status_code == 404
    assert client_for(mallory).post(move, {"category": "progress"}).status_code == 404
    item.refresh_from_db()
    assert item.category == "plans"


def test_past_week_is_readable_not_writable(org: Organization, bob: Any, team: Any) -> None:
    client = client_for(bob)
    add(client, org, category="plans", text="Old plan")
    with time_machine.travel("2026-11-25 12:00:00+00:00", tick=False):
        last = (week_of(org) - dt.timedelta(days=7)).isoformat()
        page = client.get(reverse("my_week", args=[org.slug]) + f"?week={last}")
        text = page.content.decode()
        assert "Old plan" in text
        assert reverse("week_item_add", args=[org.slug]) not in text
        this_week = client.get(reverse("my_week", args=[org.slug])).content.decode()
        assert "Old plan" in this_week and "from the week of" in this_week
    assert client.get(reverse("my_week", args=[org.slug]) + "?week=notadate").status_code == 404


# --- check-ins on my week ---------------------------------


def test_inline_checkin(org: Organization, bob: Any, key_result: Any) -> None:
    client = client_for(bob)
    url = reverse("week_checkin", args=[org.slug, key_result.code])
    prefix = key_result.code
    response = client.post(url, {f"{prefix}-value": "31", f"{prefix}-confidence": "7"}, **HTMX)
    assert response.status_code == 200
    assert "Saved" in response.content.decode()
    key_result.refresh_from_db()
    assert key_result.current == 31
    assert CheckIn.objects.get().confidence == Decimal("0.7")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "abc"}, "not a number"),
        ({"value": ""}, "value"),
        ({"value": "3", "confidence": "11"}, "0 to 10"),
    ],
)
def test_inline_checkin_refusals(
    org: Organization, bob: Any, key_result: Any, data: dict[str, str], message: str
) -> None:
    client = client_for(bob)
    url = reverse("week_checkin", args=[org.slug, key_result.code])
    posted = {f"{key_result.code}-{key}": value for key, value in data.items()}
    response = client.post(url, posted, **HTMX)
    assert response.status_code == 200
    assert message.lower() in response.content.decode().lower()
    assert client.post(url, posted).status_code == 400
    assert not CheckIn.objects.exists()


def test_viewer_and_outsider_cannot_check_in(
    org: Organization, victor: Any, mallory: Any, other_org: Any, key_result: Any
) -> None:
    url = reverse("week_checkin", args=[org.slug, key_result.code])
    assert client_for(victor).post(url, {f"{key_result.code}-value": "30"}).status_code == 403
    assert client_for(mallory).post(url, {f"{key_result.code}-value": "30"}).status_code == 404
    assert client_for(victor).get(url).status_code == 405
    assert not CheckIn.objects.exists()


# --- team week, meeting, monthly review ---------------------------------


def test_team_week_groups_by_key_result_and_names_who_is_missing(
    org: Organization, bob: Any, carol: Any, key_result: Any, team: Any
) -> None:
    add(client_for(bob), org, category="plans", text="Run the pricing test", link=key_result.code)
    response = client_for(carol).get(reverse("team_week", args=[org.slug, team.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Run the pricing test" in page and key_result.title in page
    missing = page.split('data-testid="missing"')[1].split("</ul>")[0]
    assert carol.name in missing and bob.name not in missing


def test_team_pages_are_for_the_team(
    org: Organization, team: Any, victor: Any, alice: Any, mallory: Any, other_org: Any
) -> None:
    for name in ("team_week", "team_meeting"):
        url = reverse(name, args=[org.slug, team.code])
        assert client_for(victor).get(url).status_code == 404
        assert client_for(mallory).get(url).status_code == 404
        assert client_for(alice).get(url).status_code == 200


def test_meeting_plan_lands_in_the_owners_next_week(
    org: Organization, bob: Any, carol: Any, key_result: Any, team: Any
) -> None:
    client = client_for(carol)
    url = reverse("meeting_plan", args=[org.slug, team.code])
    response = client.post(
        url,
        {"person": str(bob.id), "text": "Call the churned accounts", "link": key_result.code},
        **HTMX,
    )
    assert response.status_code == 200
    assert "Call the churned accounts" in response.content.decode()
    item = WeeklyItem.objects.get()
    assert item.report.person == bob
    assert item.report.week == week_of(org) + dt.timedelta(days=7)
    assert item.source == "meeting" and item.added_by == carol
    refused = client.post(url, {"person": "", "text": "Nobody"}, **HTMX)
    assert "Choose who" in refused.content.decode()
    assert client.post(url, {"person": str(bob.id), "text": ""}).status_code == 400
    assert WeeklyItem.objects.count() == 1


def test_meeting_shows_status_movement_and_problems(
    org: Organization, bob: Any, carol: Any, key_result: Any, team: Any
) -> None:
    from tenfold.checkins.services import checkin_record

    with time_machine.travel("2026-11-10 12:00:00+00:00", tick=False):
        checkin_record(key_result=key_result, value=24, by=bob)
    checkin_record(key_result=key_result, value=28, by=bob)
    add(client_for(bob), org, category="problems", text="Tracking is broken")
    page = client_for(carol).get(reverse("team_meeting", args=[org.slug, team.code]))
    text = page.content.decode()
    assert "moved from 20 % to 40 % in the last seven days" in text
    assert "Tracking is broken" in text


def test_monthly_review_for_leads(
    org: Organization, bob: Any, carol: Any, key_result: Any, team: Any
) -> None:
    add(client_for(bob), org, category="problems", text="We lack test data")
    url = reverse("monthly_review", args=[org.slug])
    page = client_for(carol).get(url).content.decode()
    assert "We lack test data" in page
    assert key_result.title in page  # never checked in: stalled
    assert client_for(bob).get(url).status_code == 403


# --- query counts ---------------------------------


def _queries(client: Client, url: str) -> int:
    # The connection keeps at most 9,000 queries; a full log would make every count zero.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert len(captured) > 0
    return len(captured)


def _fill(org: Organization, people: list[Any], items_each: int, key_result: Any) -> None:
    week = week_of(org)
    for person in people:
        report = WeeklyReport.objects.create(organization=org, person=person, week=week)
        WeeklyItem.objects.bulk_create(
            WeeklyItem(
                organization=org,
                report=report,
                category=("plans", "progress", "problems")[n % 3],
                text=f"item {n}",
                position=n,
                key_result=key_result if n % 2 else None,
                objective=key_result.objective if n % 2 else None,
            )
            for n in range(items_each)
        )


def test_my_week_query_count_does_not_grow(
    org: Organization, bob: Any, key_result: Any, team: Any
) -> None:
    client = client_for(bob)
    url = reverse("my_week", args=[org.slug])
    _fill(org, [bob], 5, key_result)
    client.get(url)  # the first visit of the week may carry items over
    small = _queries(client, url)
    WeeklyItem.objects.all().delete()
    WeeklyReport.objects.all().delete()
    _fill(org, [bob], 50, key_result)
    client.get(url)
    assert _queries(client, url) == small


@pytest.mark.usefixtures("no_fragments")  # what building the page costs, not serving a copy
def test_team_week_query_count_does_not_grow(
    org: Organization, alice: Any, carol: Any, key_result: Any, team: Any
) -> None:
    client = client_for(carol)
    url = reverse("team_week", args=[org.slug, team.code])

    def people(n: int) -> list[Any]:
        result = []
        for k in range(n):
            user = make_user(f"m{n}-{k}@example.com", f"Member {k}")
            person_add(organization=org, email=user.email, units=[team], by=alice)
            result.append(user)
        return result

    _fill(org, people(5), 2, key_result)
    client.get(url)
    small = _queries(client, url)
    _fill(org, people(45), 12, key_result)
    client.get(url)
    assert UnitMember.objects.filter(unit=team).count() >= 50
    assert WeeklyItem.objects.count() >= 500
    assert _queries(client, url) == small
    meeting = reverse("team_meeting", args=[org.slug, team.code])
    assert _queries(client, meeting) <= 40


def test_admin_names_the_weekly_categories(
    org: Organization, alice: Any, bob: Any, team: Any
) -> None:
    client = client_for(alice)
    url = reverse("settings_weekly", args=[org.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name_plans": "Priorities",
            "name_progress": "",
            "name_problems": "Blockers",
            "extra_key": ["", ""],
            "extra_name": ["Lessons learned", ""],
        },
    )
    assert response.status_code == 302
    page = client_for(bob).get(reverse("my_week", args=[org.slug])).content.decode()
    for name in ("Priorities", "Progress", "Blockers", "Lessons learned"):
        assert name in page
    add(client_for(bob), org, category="lessons-learned", text="Short tests beat long ones")
    assert WeeklyItem.objects.get().category == "lessons-learned"
    refused = client.post(url, {"extra_key": ["", ""], "extra_name": ["Ideas", "ideas"]})
    assert refused.status_code == 400 and "twice" in refused.content.decode()
    org.refresh_from_db()
    assert [c["name"] for c in org.extra_categories] == ["Lessons learned"]


def test_meeting_notes_become_comments_on_the_objective(
    org: Organization, bob: Any, carol: Any, objective: Any, team: Any
) -> None:
    from tenfold.social.models import Comment

    client = client_for(carol)
    url = reverse("meeting_note", args=[org.slug, team.code])
    response = client.post(
        url, {"objective": objective.code, "body": "Agreed: @bob owns the tracking fix"}, **HTMX
    )
    assert response.status_code == 200
    assert "Note saved on the objective" in response.content.decode()
    comment = Comment.objects.get()
    assert comment.objective == objective and comment.author == carol
    # Bob sees the mention on his week.
    page = client_for(bob).get(reverse("my_week", args=[org.slug])).content.decode()
    assert 'data-testid="mentions-panel"' in page and "Agreed: @bob" in page
    empty = client.post(url, {"objective": objective.code, "body": "  "}, **HTMX)
    assert empty.status_code == 200 and Comment.objects.count() == 1
    assert client.post(url, {"objective": "nope", "body": "x"}).status_code == 404


def test_weekly_items_carry_a_comment_thread(org: Organization, bob: Any, team: Any) -> None:
    client = client_for(bob)
    add(client, org, category="plans", text="Pair on the report")
    item = WeeklyItem.objects.get()
    thread = reverse("comments", args=[org.slug, "item", item.code])
    page = client.get(reverse("my_week", args=[org.slug])).content.decode()
    assert thread in page
    client.post(thread, {"body": "Happy to help"}, **HTMX)
    page = client.get(reverse("my_week", args=[org.slug])).content.decode()
    assert "1 comment" in page


def test_meeting_does_not_read_rounding_as_movement(
    org: Organization, bob: Any, carol: Any, key_result: Any, team: Any
) -> None:
    from tenfold.checkins.services import checkin_record

    with time_machine.travel("2026-11-08 12:00:00+00:00", tick=False):
        checkin_record(key_result=key_result, value="26.123", by=bob)  # progress 0.30615
    page = client_for(carol).get(reverse("team_meeting", args=[org.slug, team.code]))
    text = page.content.decode()
    assert "no movement in the last seven days" in text
    assert "got worse" not in text and "moved from" not in text
