"""The first-OKR wizard: five steps, clear refusals, one transaction at the end."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tenfold.coach.wizard import KeyResultRow, key_result_title
from tenfold.okrs.models import Alignment, KeyResult, Objective
from tenfold.okrs.services import objective_create

pytestmark = pytest.mark.django_db


def step(client: Any, org: Any, **data: Any) -> Any:
    return client.post(reverse("wizard", args=[org.slug]), data)


def test_the_whole_walk_creates_a_draft_objective(client, org, cycle, company, team, alice, carol):
    parent = objective_create(
        organization=org, cycle=cycle, unit=company, title="Customers love us", by=alice
    )
    client.force_login(carol)
    assert client.get(reverse("wizard", args=[org.slug])).status_code == 200
    page = step(
        client,
        org,
        problem="New customers give up in week one",
        why=["They never see a report"],
        action="why",
    )
    assert page.content.decode().count('name="why"') == 2
    step(
        client,
        org,
        problem="New customers give up in week one",
        why=["They never see a report", "Churn"],
        action="next",
    )
    page = step(
        client,
        org,
        title="New customers succeed in week one",
        description="",
        unit=team.code,
        cycle=cycle.code,
        type="committed",
        action="next",
    )
    assert page.status_code == 200 and 'name="metric"' in page.content.decode()
    rows = {
        "shape": ["increase", "decrease", "keep_below"],
        "metric": ["week-one activation", "time to first report", "support tickets per account"],
        "start": ["30", "3", ""],
        "target": ["45", "1", "2"],
        "unit": ["%", "days", ""],
    }
    check = step(client, org, action="next", **rows)
    assert "The coach" in check.content.decode()
    align = step(client, org, action="next")
    assert parent.title in align.content.decode()
    done = step(client, org, parent=f"o:{parent.code}", action="next")
    assert done.status_code == 302
    objective = Objective.objects.get(title="New customers succeed in week one")
    assert objective.state == "draft" and objective.unit == team and objective.lead == carol
    assert "They never see a report" in objective.description
    titles = list(KeyResult.objects.filter(objective=objective).values_list("title", "kind"))
    assert titles == [
        ("Increase week-one activation from 30% to 45%", "increase"),
        ("Reduce time to first report (days) from 3 to 1", "decrease"),
        ("Keep support tickets per account below 2", "keep_below"),
    ]
    assert Alignment.objects.filter(child=objective, parent_objective=parent).exists()
    # The draft is gone from the session: the wizard starts again.
    assert (
        "What do you want to change?"
        in client.get(reverse("wizard", args=[org.slug])).content.decode()
    )


def test_each_step_refuses_what_is_missing(client, org, cycle, team, carol):
    client.force_login(carol)
    refused = step(client, org, problem="", why=[""], action="next")
    assert refused.status_code == 400 and "Describe the problem" in refused.content.decode()
    step(client, org, problem="Slow onboarding", why=["Churn"], action="next")
    refused = step(client, org, title="", unit="nope", cycle="nope", action="next")
    text = refused.content.decode()
    assert (
        refused.status_code == 400 and "Write the objective" in text and "Choose the team" in text
    )
    step(
        client, org, title="Onboarding that works", unit=team.code, cycle=cycle.code, action="next"
    )
    refused = step(
        client,
        org,
        action="next",
        shape=["increase"],
        metric=["activation"],
        start=["40"],
        target=["30"],
        unit=[""],
    )
    assert refused.status_code == 400 and "aim above the start" in refused.content.decode()
    refused = step(
        client,
        org,
        action="next",
        shape=["increase"],
        metric=[""],
        start=[""],
        target=[""],
        unit=[""],
    )
    assert "at least one key result" in refused.content.decode()
    assert not Objective.objects.filter(title="Onboarding that works").exists()


def test_back_and_restart(client, org, cycle, team, carol):
    client.force_login(carol)
    step(client, org, problem="Slow onboarding", why=["Churn"], action="next")
    back = step(client, org, title="Kept", unit=team.code, cycle=cycle.code, action="back")
    assert "Slow onboarding" in back.content.decode()
    restart = step(client, org, action="restart")
    assert restart.status_code == 302
    assert "Slow onboarding" not in client.get(reverse("wizard", args=[org.slug])).content.decode()


def test_who_may_use_it(client, org, team, other_org, victor, mallory):
    client.force_login(victor)
    assert client.get(reverse("wizard", args=[org.slug])).status_code == 403
    client.force_login(mallory)
    assert client.get(reverse("wizard", args=[org.slug])).status_code == 404


def test_a_tampered_session_starts_over(client, org, team, carol):
    client.force_login(carol)
    session = client.session
    session[f"coach-wizard:{org.slug}"] = {"step": "galaxy", "rows": [{"nope": 1}]}
    session.save()
    assert client.get(reverse("wizard", args=[org.slug])).status_code == 200


@pytest.mark.parametrize(
    ("row", "title"),
    [
        (KeyResultRow("increase", "NPS", "32", "45", ""), "Increase NPS from 32 to 45"),
        (
            KeyResultRow("decrease", "lead time", "14", "9", "days"),
            "Reduce lead time (days) from 14 to 9",
        ),
        (KeyResultRow("decrease", "churn", "5", "3.5", "%"), "Reduce churn from 5% to 3.5%"),
        (KeyResultRow("reach", "paying customers", "", "1200", ""), "Reach 1200 paying customers"),
        (KeyResultRow("keep_above", "uptime", "", "99.9", "%"), "Keep uptime above 99.9%"),
        (KeyResultRow("increase", "", "", "", ""), "Increase … from … to …"),
    ],
)
def test_key_result_titles(row: KeyResultRow, title: str) -> None:
    assert key_result_title(row) == title


def test_an_example_fills_the_key_result_rows(client, org, cycle, team, carol):
    client.force_login(carol)
    step(
        client, org, problem="Deals take too long to close", why=["Cash comes late"], action="next"
    )
    page = step(
        client,
        org,
        title="Close deals faster",
        unit=team.code,
        cycle=cycle.code,
        type="committed",
        action="next",
    )
    assert "Start from its key results" in page.content.decode()
    filled = step(
        client,
        org,
        action="example:sales-faster-deals",
        shape=["increase"],
        metric=[""],
        start=[""],
        target=[""],
        unit=[""],
    ).content.decode()
    from tenfold.coach.library import example

    first = example("sales-faster-deals").key_results[0]
    assert f'value="{first.title}"' in filled
    assert f"{first.title} from" not in filled  # kept as written, not wrapped in a template
    checked = step(
        client,
        org,
        action="next",
        shape=[first.kind],
        metric=[first.title],
        start=[str(first.start or "")],
        target=[str(first.target)],
        unit=[""],
        whole=["1"],
    ).content.decode()
    assert first.title in checked
