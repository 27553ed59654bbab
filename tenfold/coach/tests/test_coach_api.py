"""The coach's API: check a draft, read the findings on an objective and a cycle."""

from __future__ import annotations

from typing import Any

import pytest

from tenfold.okrs.services import key_result_create, objective_create

pytestmark = pytest.mark.django_db
API = "/api/v1/orgs/acme"


def post(client: Any, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def test_check_a_key_result_draft(client, org, team, bob) -> None:
    client.force_login(bob)
    answer = post(client, f"{API}/coach/check", {"key_result": {"title": "Write 4 blog posts"}})
    assert answer.status_code == 200
    body = answer.json()
    assert body["needs_work"] is True
    assert any(f["rule"] == "kr.counts_outputs" for f in body["findings"])
    good = post(
        client,
        f"{API}/coach/check",
        {
            "key_result": {
                "title": "Raise NPS from 32 to 45",
                "kind": "increase",
                "start": 32,
                "target": 45,
            }
        },
    ).json()
    assert good["needs_work"] is False


def test_check_an_objective_with_key_results(client, org, team, bob) -> None:
    client.force_login(bob)
    body = post(
        client,
        f"{API}/coach/check",
        {
            "objective": {
                "title": "Delight new customers",
                "key_results": [{"title": "Raise NPS from 32 to 45"}],
            }
        },
    ).json()
    assert any(f["field"] == "key_results" for f in body["findings"])  # one KR: too few
    assert body["key_results"][0]["title"] == "Raise NPS from 32 to 45"


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"objective": {"title": "A"}, "key_result": {"title": "B"}},
        {"objective": {"title": "A", "level": "galaxy"}},
        {"objective": {"title": "A", "type": "moonshot"}},
        {"key_result": {"title": "B", "kind": "maybe"}},
        {"key_result": {"title": "x" * 6000}},
        {"key_result": {"title": "B", "start": "lots"}},
    ],
)
def test_bad_drafts_get_the_error_shape(client, org, team, bob, payload) -> None:
    client.force_login(bob)
    answer = post(client, f"{API}/coach/check", payload)
    assert answer.status_code == 400
    assert answer.json()["error"]["message"]


def test_objective_and_cycle_findings(
    client, org, cycle, team, objective, key_result, carol, mallory
) -> None:
    client.force_login(carol)
    one = client.get(f"{API}/objectives/{objective.code}/coach").json()
    assert one["code"] == objective.code and "counts" in one
    assert one["key_results"][0]["code"] == key_result.code
    whole = client.get(f"{API}/coach", {"cycle": cycle.code}).json()
    assert whole["cycle"] == cycle.code
    assert any(o["code"] == objective.code for u in whole["units"] for o in u["objectives"])
    client.force_login(mallory)
    assert client.get(f"{API}/objectives/{objective.code}/coach").status_code == 404


def test_cycle_findings_query_count_is_flat(
    client, org, cycle, team, carol, django_assert_max_num_queries
) -> None:
    def add(n: int) -> None:
        for i in range(n):
            o = objective_create(
                organization=org, cycle=cycle, unit=team, title=f"Objective {i}", by=carol
            )
            key_result_create(
                objective=o, title="Raise NPS from 1 to 9", start=1, target=9, by=carol
            )

    client.force_login(carol)
    add(2)
    with django_assert_max_num_queries(40) as small:
        client.get(f"{API}/coach")
    add(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"{API}/coach")


def test_likely_parents_answers_even_when_off(
    client, org, cycle, team, objective, carol, monkeypatch
) -> None:
    client.force_login(carol)
    monkeypatch.setattr("tenfold.coach.semantic_help.available", lambda: False)
    body = client.get(f"{API}/objectives/{objective.code}/likely-parents").json()
    assert body == {"enabled": False, "reason": body["reason"], "parents": []}
    assert body["reason"]
