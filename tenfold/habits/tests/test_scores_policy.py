"""The scores policy (docs/scores-policy.md), enforced: OKR scores and progress never appear in
anything about an individual's performance.

(a) The API: no schema that describes a person carries a score or progress field, and no path
    groups scores by person.
(b) The pages about a person (every route named like "person") and the people settings show no
    score or progress figure.
(c) Commands and exports never print a person beside a score or progress figure; a new export
    module has to be reviewed here before it ships.

Each checker is first shown a crafted violation, so none of these tests can pass by accident.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tenfold
from tenfold.api.views import api
from tenfold.checkins.services import checkin_record
from tenfold.okrs.models import Cycle, KeyResult, Objective
from tenfold.okrs.services import key_result_create, objective_create
from tenfold.reviews.models import Review, ReviewScore
from tenfold.reviews.services import reviews_open
from tenfold.web.templatetags.tenfold import pct

from .conftest import LAST_WEEK, THIS_WEEK, at, to_now, write_week

SCORE = re.compile(r"score|progress|grade|rating|attainment|achievement|performance")
"""A field that holds an OKR result (or a verdict on one)."""
SUBJECT = {"person", "people", "user", "users", "member", "members", "employee", "email"}
"""Fields that make a record *about* a person."""
ATTRIBUTE = {"owner", "lead", "author", "actor", "giver", "assignee", "person_id", "user_id"}
"""Fields that name the person responsible for something else (a key result's owner, …);
names ending in `_by` count too."""
OKR = {"objective", "objectives", "key_result", "key_results", "kpi"}
"""Fields that show a record is about an OKR, whoever is named in it."""
TEAM = {"unit", "team", "review"}
"""Fields that show a record is about a team's work (a unit's review)."""
PERSON_PATH = re.compile(r"/(people|persons|person|users|user|members|member|me)(/|$)")
PERSON_PARAMETERS = SUBJECT | ATTRIBUTE | {"user_id", "person_id"}


# --- (a) the API ------------------------------------------------------------------------------


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref:
        return document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return schema


def _properties(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    schema = _resolve(document, schema)
    found = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        found.update(_properties(document, part))
    return found


def _names_a_person(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    """A person's reference, such as PersonOut: an email, and nothing that is not a name."""
    for option in [schema, *schema.get("anyOf", [])]:
        props = _properties(document, option)
        if "email" in props and set(props) <= {"name", "email", "code", "id"}:
            return True
    return False


def record_violation(
    keys: set[str], person_refs: frozenset[str] | set[str] = frozenset()
) -> str | None:
    """Why a record with these field names is about a person and carries a score, or None."""
    scores = sorted(key for key in keys if SCORE.search(key))
    if not scores:
        return None
    subject = sorted(keys & SUBJECT)
    attribute = sorted(
        key for key in keys if key in ATTRIBUTE or key.endswith("_by") or key in person_refs
    )
    if subject and not keys & OKR:
        return f"about a person ({', '.join(subject)}) with {', '.join(scores)}"
    if attribute and not keys & (OKR | TEAM):
        return f"names a person ({', '.join(attribute)}) beside {', '.join(scores)}"
    return None


def schema_violations(document: dict[str, Any]) -> list[str]:
    found = []
    for name, schema in document["components"]["schemas"].items():
        props = _properties(document, schema)
        refs = {key for key, value in props.items() if _names_a_person(document, value)}
        why = record_violation(set(props), refs)
        if why:
            found.append(f"{name}: {why}")
    return found


def _reachable_fields(document: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    """Every field name of a schema and of the schemas it contains."""
    seen: set[str] = set()
    fields: set[str] = set()
    stack = [schema]
    while stack:
        current = stack.pop()
        if not isinstance(current, dict):
            continue
        ref = current.get("$ref")
        if ref:
            if ref in seen:
                continue
            seen.add(ref)
            current = _resolve(document, current)
        fields |= set(current.get("properties", {}))
        stack.extend(current.get("properties", {}).values())
        for key in ("items", "additionalProperties"):
            if isinstance(current.get(key), dict):
                stack.append(current[key])
        for key in ("anyOf", "oneOf", "allOf"):
            stack.extend(current.get(key, []))
    return fields


def path_violations(document: dict[str, Any]) -> list[str]:
    """Operations that group scores by person: addressed by a person (a person segment in the
    path, or a person parameter) and answering with score or progress fields."""
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            parameters = {p["name"] for p in operation.get("parameters", [])}
            by_person = bool(PERSON_PATH.search(path)) or bool(parameters & PERSON_PARAMETERS)
            if not by_person:
                continue
            answers: set[str] = set()
            for status, response in operation.get("responses", {}).items():
                if not str(status).startswith("2"):
                    continue
                for content in response.get("content", {}).values():
                    answers |= _reachable_fields(document, content.get("schema", {}))
            scores = sorted(field for field in answers if SCORE.search(field))
            if scores:
                found.append(f"{method.upper()} {path}: {', '.join(scores)} by person")
    return found


def openapi_document(client: Any) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


CRAFTED = {
    "paths": {
        "/orgs/{org}/people/{user_id}/scores": {
            "get": {
                "parameters": [{"name": "org"}, {"name": "user_id"}],
                "responses": {
                    "200": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/ScoreRow"},
                                }
                            }
                        }
                    }
                },
            }
        },
        "/orgs/{org}/objectives": {
            "get": {
                "parameters": [{"name": "org"}, {"name": "cycle"}],
                "responses": {
                    "200": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ObjectiveRow"}
                            }
                        }
                    }
                },
            }
        },
    },
    "components": {
        "schemas": {
            "PersonOut": {"properties": {"name": {}, "email": {}}},
            "PersonScoreOut": {
                "properties": {"person": {"$ref": "#/components/schemas/PersonOut"}, "score": {}}
            },
            "MemberOut": {"properties": {"name": {}, "email": {}, "average_progress": {}}},
            "ColleagueOut": {
                "properties": {"who": {"$ref": "#/components/schemas/PersonOut"}, "grade": {}}
            },
            "ScoreRow": {"properties": {"cycle": {}, "final": {}}},
            "ObjectiveRow": {
                "properties": {
                    "key_results": {},
                    "lead": {"$ref": "#/components/schemas/PersonOut"},
                    "progress": {},
                }
            },
            "ReviewRow": {
                "properties": {"unit": {}, "submitted_by": {}, "scores": {}},
            },
        }
    },
}


def test_the_api_checker_catches_crafted_violations():
    assert sorted(name.split(":")[0] for name in schema_violations(CRAFTED)) == [
        "ColleagueOut",
        "MemberOut",
        "PersonScoreOut",
    ]
    assert path_violations(CRAFTED) == []  # ScoreRow's "final" is not a score field name
    CRAFTED["components"]["schemas"]["ScoreRow"]["properties"]["score"] = {}
    try:
        (found,) = path_violations(CRAFTED)
    finally:
        del CRAFTED["components"]["schemas"]["ScoreRow"]["properties"]["score"]
    assert found.startswith("GET /orgs/{org}/people/{user_id}/scores")
    objectives = CRAFTED["paths"]["/orgs/{org}/objectives"]["get"]
    objectives["parameters"].append({"name": "owner"})
    try:
        assert path_violations(CRAFTED) == ["GET /orgs/{org}/objectives: progress by person"]
    finally:
        objectives["parameters"].pop()


def test_no_api_schema_describes_a_person_with_a_score(client, db):
    document = openapi_document(client)
    assert document["components"]["schemas"], "the API document has no schemas to check"
    assert schema_violations(document) == []


def test_no_api_path_groups_scores_by_person(client, db):
    document = openapi_document(client)
    assert "/api/v1/orgs/{org}/habits" in document["paths"]
    assert path_violations(document) == []


def test_the_document_served_is_the_one_generated(client, db):
    served = openapi_document(client)
    generated = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))
    assert set(served["components"]["schemas"]) == set(generated["components"]["schemas"])


# --- the data the pages and commands are checked against -------------------------------------


@pytest.fixture
def scored(clock, org, cycle, team, alice, bob, carol, objective, key_result):
    """bob owns two key results with unusual progress (43.7 % and 55 %), carol leads their
    objective (49 %), bob has a personal-development objective (62 %), and the cycle has been
    reviewed, so every objective and key result also has a proposed score. Returns every
    progress and score figure as it could be printed."""
    odd = key_result_create(
        objective=objective,
        title="Reach 1000 trials",
        kind="increase",
        start=0,
        target=1000,
        owner=bob,
        by=carol,
    )
    personal = objective_create(
        organization=org,
        cycle=cycle,
        owner_person=bob,
        level="personal",
        title="Learn SQL",
        state="active",
        lead=bob,
        by=bob,
    )
    own = key_result_create(
        objective=personal, title="Chapters read", kind="increase", start=0, target=50, by=bob
    )
    at(clock, LAST_WEEK + dt.timedelta(days=2))
    checkin_record(key_result=odd, value=Decimal("437"), confidence=3, by=bob)
    checkin_record(key_result=key_result, value=Decimal("31"), by=bob)
    checkin_record(key_result=own, value=Decimal("31"), by=bob)
    write_week(org, bob, THIS_WEEK, key_result=odd)
    to_now(clock)
    figures: set[str] = set()
    for row in [
        *KeyResult.objects.filter(organization=org),
        *Objective.objects.filter(organization=org),
    ]:
        if row.progress:
            figures |= _figures(row.progress)
    Cycle.objects.filter(pk=cycle.pk).update(state="reviewing")
    cycle.refresh_from_db()
    reviews_open(cycle=cycle, by=alice)
    for score in ReviewScore.objects.filter(review__cycle=cycle):
        figures |= {f"{score.proposed:.1f}", f"{score.proposed}"}
    assert {"44 %", "55 %", "62 %"} <= figures
    Cycle.objects.filter(pk=cycle.pk).update(state="active")
    return figures


def _figures(progress: Decimal) -> set[str]:
    return {
        pct(progress),
        pct(progress).replace(" ", ""),
        pct(progress).replace(" ", "\xa0"),
        f"{progress.normalize()}",
        f"{progress * 100:.1f}",
        f"{progress:.2f}",
    }


# --- (b) the pages about a person ------------------------------------------------------------


def _text(html: str) -> str:
    """What a reader sees: no tags, scripts or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return " ".join(html.split())


def shown_figures(html: str, figures: set[str]) -> list[str]:
    text = _text(html)
    return sorted(
        figure for figure in figures if re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d])", text)
    )


def test_the_page_checker_catches_a_figure():
    assert shown_figures("<p>Bob: <b>44 %</b></p>", {"44 %", "0.4"}) == ["44 %"]
    assert shown_figures("<p>Score 0.4</p>", {"0.4"}) == ["0.4"]
    assert shown_figures("<p>10.4 km, 2026-11-04</p>", {"0.4"}) == []


def person_routes() -> list[str]:
    """Every page route whose name says it is about a person, and the people settings."""
    names: list[str] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    f"{pattern.namespace}:" if pattern.namespace else namespace,
                )
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and not namespace
                and ("person" in pattern.name or "people" in pattern.name)
            ):
                names.append(pattern.name)

    walk(get_resolver().url_patterns, "")
    return sorted(names)


def test_the_person_routes_are_found():
    assert {"person", "settings_people"} <= set(person_routes())


@pytest.mark.parametrize("viewer", ["alice", "bob", "carol", "victor"])
def test_no_page_about_a_person_shows_a_score_or_progress_figure(
    client, request, org, bob, carol, victor, scored, viewer
):
    client.force_login(request.getfixturevalue(viewer))
    cycle = Cycle.objects.get(organization=org)
    checked = 0
    for name in person_routes():
        for subject in (bob, carol):
            kwargs: dict[str, Any] = {"org": org.slug}
            if "<int:user_id>" in str(_route_of(name)):
                kwargs["user_id"] = subject.pk
            url = reverse(name, kwargs=kwargs)
            for query in ("", f"?cycle={cycle.code}"):
                response = client.get(url + query)
                if response.status_code in (403, 405):
                    continue  # not a page for this viewer, or a write
                assert response.status_code == 200, url
                assert shown_figures(response.content.decode(), scored) == [], url + query
                checked += 1
    assert checked >= 4  # the person pages at the least


def _route_of(name: str) -> Any:
    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not pattern.namespace:
                    yield from walk(pattern.url_patterns, route)
            elif pattern.name:
                yield pattern.name, route

    return dict(walk(get_resolver().url_patterns, ""))[name]


def test_the_person_page_is_really_checked(client, org, bob, alice, scored):
    """The same data does show its figures where they belong: on the key result's page."""
    client.force_login(alice)
    kr = KeyResult.objects.get(title="Reach 1000 trials")
    html = client.get(reverse("key_result", args=[org.slug, kr.code])).content.decode()
    assert "44 %" in shown_figures(html, scored)


# --- (c) commands and exports ------------------------------------------------------------------

EXPORT_MARKERS = re.compile(
    r"import csv|csv\.writer|text/csv|Content-Disposition|openpyxl|xlsxwriter|\.xlsx"
)
REVIEWED_EXPORTS: dict[str, str] = {
    "reviews/views.py": (
        "the printable review of a unit (HTML and PDF): scores per objective and key result of "
        "a team, no person beside a score; test_the_review_report_names_no_person_beside_a_score"
    ),
    # Modules that only read CSV or MIME and write no export at all:
    "feeds/fetch.py": "asks a feed's URL for text/csv; reads a number, writes nothing out",
    "lib/feeds.py": "parses CSV answers of data feeds into one number; writes nothing out",
    "lib/mailreply.py": "reads the Content-Disposition of inbound mail parts; writes nothing out",
    "sheets/exporting.py": (
        "one row per key result (or objective without any), each carrying its code; the owner "
        "is an attribute of that key result as on its page; personal-development objectives "
        "are left out; test_spreadsheet_exports_are_about_key_results_not_people"
    ),
    "sheets/views.py": "serves sheets/exporting.py's files; reviewed there",
    "sheets/urls.py": "routes of sheets/views.py (export file names); reviewed there",
    "api/sheets.py": "serves sheets/exporting.py's files through the API; reviewed there",
    "sheets/reading.py": "reads uploaded CSV and XLSX files; writes nothing out",
    "apiguard/services.py": "stores API answers for Idempotency-Key replays; writes no export",
    "interchange/management/commands/import.py": (
        "names spreadsheet formats to point them at tenfold import-sheet; writes nothing out"
    ),
    "transfers/models.py": (
        "names the content types of export files; writes no rows itself (the exporters of "
        "sheets, interchange and okrcode write them)"
    ),
}
"""Modules that write exports, each reviewed for per-person scores: path → what was checked.
Add each new one here once its rows are known to carry no score or progress per person, with
a test of its output below."""


def export_modules() -> list[str]:
    root = Path(tenfold.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in relative or "/migrations/" in relative:
            continue
        if EXPORT_MARKERS.search(path.read_text(encoding="utf-8")):
            found.append(relative)
    return found


def test_every_export_module_has_been_reviewed_for_per_person_scores():
    unreviewed = [module for module in export_modules() if module not in REVIEWED_EXPORTS]
    assert unreviewed == [], (
        "These modules write exports: check that no row about a person carries a score or "
        "progress figure, then list them in REVIEWED_EXPORTS with a test of their output."
    )


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def people_names(org: Any) -> set[str]:
    from tenfold.organizations.selectors import people_of

    return {text for user in people_of(org) for text in (user.display_name, user.email)}


def line_violations(output: str, names: set[str], figures: set[str]) -> list[str]:
    """Lines that name a person and show a score or progress figure."""
    return [
        line.strip()
        for line in output.splitlines()
        if any(name in line for name in names) and shown_figures(line, figures)
    ]


def json_violations(data: Any, path: str = "$") -> list[str]:
    """Objects in a JSON answer that are about a person and carry a score field."""
    found = []
    if isinstance(data, dict):
        why = record_violation(set(data))
        if why:
            found.append(f"{path}: {why}")
        for key, value in data.items():
            found.extend(json_violations(value, f"{path}.{key}"))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(json_violations(value, f"{path}[{index}]"))
    return found


def block_violations(html: str, names: set[str], figures: set[str]) -> list[str]:
    """Table rows, list items and paragraphs of a page that name a person and show a score or
    progress figure."""

    found = []
    for match in re.finditer(r"<(tr|li|p|dd)\b.*?</\1>", html, flags=re.S):
        text = _text(match.group(0))
        if any(name in text for name in names) and shown_figures(text, figures):
            found.append(text)

    return found


def test_the_output_checkers_catch_crafted_violations():
    assert block_violations("<tr><td>Bob Member</td><td>0.4</td></tr>", {"Bob Member"}, {"0.4"})
    assert not block_violations(
        "<p>by Bob Member</p><tr><td>Activation</td><td>0.4</td></tr>", {"Bob Member"}, {"0.4"}
    )
    assert line_violations("Bob Member  44 %  Learn SQL", {"Bob Member"}, {"44 %"})
    assert not line_violations("Growth  44 %  Activation", {"Bob Member"}, {"44 %"})
    assert json_violations({"people": [{"email": "b@x", "progress": "0.4"}]})
    assert not json_violations({"key_result": "k", "owner": {"email": "b@x"}, "progress": 1})


def test_person_commands_print_no_score_or_progress(org, team, scored, alice, bob):
    names = people_names(org)
    week = run("week", "show", "--as", "bob@example.com", "--org", org.slug)
    assert "Bob Member" in week  # the command is about bob…
    assert shown_figures(week, scored) == []  # …and shows no score or progress of his
    data = json.loads(run("week", "show", "--as", "bob@example.com", "--org", org.slug, "--json"))
    assert json_violations(data) == []
    assert shown_figures(json.dumps(data), scored) == []
    for args in (("kpi", "list", "--as", "bob@example.com"), ("habits", "--org", org.slug)):
        assert line_violations(run(*args), names, scored) == []
    assert json_violations(json.loads(run("habits", "--org", org.slug, "--json"))) == []


def test_review_commands_score_teams_not_people(org, team, scored, alice):
    cycle = Cycle.objects.get(organization=org)
    Cycle.objects.filter(pk=cycle.pk).update(state="reviewing")
    names = people_names(org)
    listing = run("review", "list", cycle.code, "--as", "alice@example.com")
    assert line_violations(listing, names, scored) == []
    for review in Review.objects.filter(cycle=cycle):
        shown = run("review", "show", review.code, "--as", "alice@example.com")
        assert line_violations(shown, names, scored) == []


def test_the_review_report_names_no_person_beside_a_score(client, org, team, scored, alice):
    names = people_names(org)
    client.force_login(alice)
    with_scores = 0
    for review in Review.objects.filter(organization=org):
        html = client.get(reverse("review_report", args=[org.slug, review.code])).content.decode()
        assert block_violations(html, names, scored) == []
        with_scores += bool(shown_figures(html, scored))
    assert with_scores, "the team's report shows its scores, so the check looked at them"


def test_krs_names_no_person_beside_progress(org, team, scored):
    output = run("krs", "--org", org.slug)
    assert "Reach 1000 trials" in output  # the team's key results are listed, with progress
    assert line_violations(output, people_names(org), scored) == []


def test_spreadsheet_exports_are_about_key_results_not_people(org, team, scored):
    from tenfold.sheets.exporting import COLUMNS, export_sheet

    stream = io.BytesIO()
    export_sheet(org, "csv", stream)
    rows = list(csv.reader(io.StringIO(stream.getvalue().decode("utf-8-sig"))))
    assert rows[0] == list(COLUMNS)
    code = COLUMNS.index("Key result code")
    objective_code = COLUMNS.index("Objective code")
    body = rows[1:]
    assert body, "the export has rows, so the check looked at them"
    assert all(row[code] or row[objective_code] for row in body)  # each row is an OKR
    assert not any("Learn SQL" in cell for row in body for cell in row)  # personal: left out
