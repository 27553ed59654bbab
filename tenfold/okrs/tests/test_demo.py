"""The demo organization: believable, consistent with the roll-up rules, and full of the
mistakes a coach should find. One demo is built for the module (it takes a couple of seconds)
and the read-only tests share it; tests that build again do so inside their own transaction."""

import datetime as dt
import io
import itertools
import re
from decimal import Decimal as D

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Min
from django.test import override_settings

from tenfold.accounts.models import User
from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn
from tenfold.conftest import not_on_postgresql
from tenfold.okrs import demo
from tenfold.okrs.demo import build_demo, demo_delete, demo_logins
from tenfold.okrs.models import Initiative, KeyResult, Objective
from tenfold.okrs.rollup import reconcile
from tenfold.organizations.models import Organization, Role, Unit, UnitMember
from tenfold.organizations.services import organization_create
from tenfold.web.management.commands import serve

# What the demo holds does not depend on the database; building it on PostgreSQL is covered by
# the sandbox tests (`adoption/tests/test_sandbox.py`), which copy this same demo there.
pytestmark = [pytest.mark.django_db, not_on_postgresql]

NOW = dt.datetime(2026, 11, 15, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(scope="module")
def northwind(django_db_setup, django_db_blocker):
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False), fast:
        org = build_demo(TODAY)
    yield org
    with django_db_blocker.unblock():
        demo_delete()


@pytest.fixture
def current(northwind):
    return northwind.cycles.get(name="Q4 2026")


def objectives_of(cycle, **filters):
    return Objective.objects.filter(cycle=cycle, **filters)


def signature(org):
    """Everything that should repeat exactly when the demo is rebuilt for the same day."""
    return (
        sorted(Objective.objects.filter(organization=org).values_list("title", "progress")),
        sorted(KeyResult.objects.filter(organization=org).values_list("title", "current")),
        sorted(
            CheckIn.objects.filter(organization=org).values_list(
                "key_result__title", "measured_at", "value", "confidence", "note"
            )
        ),
        sorted(org.memberships.values_list("user__email", "role")),
    )


# --- the company ----------------------------------------------------------------------------


def test_it_is_a_company_of_about_sixty_people_in_three_departments_and_eight_teams(northwind):
    assert 55 <= northwind.memberships.count() <= 65
    assert northwind.time_zone == "Europe/Madrid" and northwind.fiscal_year_start_month == 1
    departments = Unit.objects.filter(organization=northwind, kind="department")
    teams = Unit.objects.filter(organization=northwind, kind="team")
    assert departments.count() == 3 and teams.count() == 8
    assert all(team.parent.kind == "department" for team in teams)
    roles = dict(
        northwind.memberships.values_list("role").annotate(n=Count("id")).values_list("role", "n")
    )
    assert roles[Role.OWNER] == 1 and roles[Role.ADMIN] >= 1 and roles[Role.VIEWER] >= 1
    for unit in [*departments, *teams]:
        assert UnitMember.objects.filter(unit=unit, is_lead=True).count() == 1, unit
    for team in teams:
        assert UnitMember.objects.filter(unit=team, is_lead=False).count() >= 4, team
    emails = list(User.objects.filter(memberships__organization=northwind).values_list("email"))
    assert all(email.endswith("@example.com") for (email,) in emails)


def test_everyone_signs_in_with_the_printed_password(northwind):
    for _label, email, name in demo_logins():
        user = User.objects.get(email=email)
        assert user.name == name and user.check_password(demo.PASSWORD)
    assert [label for label, *_ in demo_logins()][:1] == ["owner"]
    assert demo_logins()[0][1] == "maya.okafor@example.com"


def test_the_year_the_closed_quarter_and_the_current_quarter_are_there(northwind):
    cycles = {c.name: c for c in northwind.cycles.all()}
    assert cycles["2026"].state == "active"
    assert cycles["Q3 2026"].state == "closed"
    assert cycles["Q4 2026"].state == "active"
    previous = cycles["Q3 2026"]
    assert set(objectives_of(previous).values_list("state", flat=True)) == {"closed"}
    # A whole quarter of weekly check-ins, recorded before the quarter was closed.
    span = CheckIn.objects.filter(key_result__objective__cycle=previous).aggregate(
        first=Min("measured_at"), last=Max("measured_at")
    )
    assert span["first"].date() <= previous.start + dt.timedelta(days=10)
    assert span["last"].date() >= previous.end - dt.timedelta(days=7)


def test_the_current_quarter_has_aligned_company_department_and_team_okrs(current):
    company = objectives_of(current, level="company")
    assert company.count() == 3
    without_krs = company.filter(key_results__isnull=True)
    assert without_krs.count() == 2
    for objective in without_krs:  # moved by the objectives aligned to them
        assert objective.child_links.exists() and objective.progress > 0
    assert all(objective.progress > D("0.2") for objective in company)
    assert objectives_of(current, level="department").count() == 2
    for team in Unit.objects.filter(organization=current.organization, kind="team"):
        count = objectives_of(current, unit=team).count()
        assert 1 <= count <= 5, team
    # Team objectives point up to company objectives, departments and key results.
    links = [link for o in objectives_of(current, level="team") for link in o.parent_links.all()]
    assert any(link.parent_key_result_id for link in links)
    assert any(
        link.parent_objective and link.parent_objective.level == "department" for link in links
    )
    assert len({link.weight for link in links}) > 3


def test_key_results_use_every_kind_and_format(current):
    krs = KeyResult.objects.filter(objective__cycle=current)
    kinds = set(krs.values_list("kind", flat=True))
    assert kinds == {"increase", "decrease", "reach", "keep_above", "keep_below", "milestone"}
    assert {"number", "percent", "currency"} <= set(krs.values_list("value_format", flat=True))
    assert krs.filter(value_format="currency", currency="EUR").exists()
    assert objectives_of(current, type="aspirational").exists()
    assert krs.filter(aspirational=True, objective__type="committed").exists()


def test_check_ins_are_weekly_realistic_and_in_the_past(current):
    checkins = CheckIn.objects.filter(key_result__objective__cycle=current)
    assert checkins.count() > 150
    assert checkins.filter(measured_at__gte=NOW).count() == 0
    assert checkins.filter(measured_at__date__lt=current.start).count() == 0
    confidences = set(checkins.values_list("confidence", flat=True))
    assert len(confidences) >= 5 and all(c is None or 0 <= c <= 1 for c in confidences)
    assert checkins.exclude(note="").count() > checkins.count() // 3
    # Values sometimes go backwards: at least one increase key result fell between readings.
    fell = False
    for kr in KeyResult.objects.filter(objective__cycle=current, kind="increase"):
        values = list(kr.checkins.order_by("measured_at").values_list("value", flat=True))
        fell = fell or any(later < earlier for earlier, later in itertools.pairwise(values))
    assert fell
    assert (
        AuditEvent.objects.filter(
            organization=current.organization, verb="checkin.recorded"
        ).count()
        == CheckIn.objects.filter(organization=current.organization).count()
    )


def test_initiatives_have_several_statuses(current):
    statuses = set(
        Initiative.objects.filter(objective__cycle=current).values_list("status", flat=True)
    )
    assert statuses == {"planned", "doing", "done", "dropped"}


def test_stored_progress_matches_a_full_recomputation(northwind):
    assert reconcile(northwind, fix=False) == []


def test_the_owner_sees_the_company_tree(northwind, client):
    client.force_login(User.objects.get(email="maya.okafor@example.com"))
    page = client.get(f"/{demo.SLUG}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "New customers succeed in their first week" in html
    assert "Make the first week effortless for new teams" in html


# --- the planted mistakes -------------------------------------------------------------------


def test_the_classic_mistakes_are_there_for_the_coach(current):
    krs = KeyResult.objects.filter(objective__cycle=current)
    active = objectives_of(current, state="active")
    # A task posing as a key result, and a milestone.
    assert krs.filter(title="Launch the new pricing page").exists()
    assert krs.filter(kind="milestone").count() >= 2
    # A number in an objective's title.
    assert any(re.search(r"\d", o.title) for o in objectives_of(current))
    # An objective with a single key result.
    assert active.annotate(n=Count("key_results")).filter(n=1).exists()
    # An over-eager team with five objectives.
    marketing = Unit.objects.get(organization=current.organization, name="Marketing")
    assert objectives_of(current, unit=marketing).count() == 5
    # A key result nobody owns.
    assert krs.filter(owner__isnull=True).exists()
    # A team objective linked to nothing.
    assert active.filter(level="team", parent_links__isnull=True).exists()
    # A stale key result: its last check-in was three weeks ago.
    three_weeks = NOW - dt.timedelta(days=21)
    stale = krs.filter(last_checkin_at__lte=three_weeks, objective__state="active")
    assert stale.filter(last_checkin_at__gte=NOW - dt.timedelta(days=35)).exists()
    # One never checked in, in an active objective.
    assert krs.filter(objective__state="active", last_checkin_at__isnull=True).exists()
    # A private objective.
    assert objectives_of(current, visibility="private").exists()


# --- rebuilding -------------------------------------------------------------------------------


def test_it_is_the_same_demo_every_time_for_the_same_day(northwind):
    before = signature(northwind)
    assert demo_delete()
    again = build_demo(TODAY)
    assert signature(again) == before
    assert Organization.objects.filter(slug=demo.SLUG).count() == 1


def test_in_january_the_closed_quarter_is_last_years_fourth(northwind):
    demo_delete()
    with time_machine.travel(dt.datetime(2027, 1, 20, 9, tzinfo=dt.UTC), tick=False):
        org = build_demo()
    cycles = {c.name: c.state for c in org.cycles.all()}
    assert cycles["Q4 2026"] == "closed" and cycles["Q1 2027"] == "active"
    assert cycles["2027"] == "active"
    assert Objective.objects.filter(cycle__name="Q1 2027", level="company", progress__gt=0)
    assert reconcile(org, fix=False) == []


def test_a_fresh_quarter_is_not_blank(northwind):
    demo_delete()
    with time_machine.travel(dt.datetime(2026, 10, 3, 9, tzinfo=dt.UTC), tick=False):
        org = build_demo()
    assert CheckIn.objects.filter(organization=org, key_result__objective__cycle__name="Q4 2026")


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_prints_the_sign_ins_and_serves(northwind, monkeypatch):
    served = {}
    workers = []
    monkeypatch.setattr(serve, "run", served.update)
    monkeypatch.setattr(serve, "start_worker", lambda: workers.append(1))
    out = run("demo", "--serve", "--host", "0.0.0.0", "--port", "8123")
    assert workers == [1]  # the demo's reminders and webhooks need a worker beside the server
    assert "already exists" in out
    assert 'Demo organization "Northwind Labs" is ready at http://localhost:8123/northwind/' in out
    for label, email, _name in demo_logins():
        assert label in out and email in out
    assert f"password: {demo.PASSWORD}" in out
    assert served["bind"] == "0.0.0.0:8123"


def test_the_command_builds_only_once_and_reset_rebuilds(northwind):
    objectives, checkins = Objective.objects.count(), CheckIn.objects.count()
    out = run("demo", "--reset")
    assert "Removed the previous demo organization" in out and "Built Northwind Labs" in out
    rebuilt = Organization.objects.get(slug=demo.SLUG)
    assert rebuilt.pk != northwind.pk
    assert (Objective.objects.count(), CheckIn.objects.count()) == (objectives, checkins)
    assert User.objects.filter(email="maya.okafor@example.com").count() == 1

    out = run("demo")
    assert "already exists" in out and "Built" not in out
    assert Organization.objects.count() == 1 and Objective.objects.count() == objectives


def test_the_command_never_replaces_a_real_organization_at_its_address(northwind, alice):
    demo_delete()
    organization_create(name="Northwind Traders", slug=demo.SLUG, owner=alice)
    with pytest.raises(CommandError, match="not the demo"):
        run("demo", "--reset")
    assert Organization.objects.get(slug=demo.SLUG).name == "Northwind Traders"
    assert not demo_delete()


def test_the_command_refuses_a_bad_port_before_building(northwind):
    demo_delete()
    with pytest.raises(CommandError, match="port"):
        run("demo", "--serve", "--port", "0")
    assert not Organization.objects.filter(slug=demo.SLUG).exists()
