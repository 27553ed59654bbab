"""Writing objectives and key results: one audit event per write, clear refusals that write
nothing, state changes with their approval rules, and optimistic locking."""

from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tenfold.audit.models import AuditEvent
from tenfold.okrs.models import Cycle, KeyResult, Objective
from tenfold.okrs.services import (
    cycle_set_state,
    key_result_create,
    key_result_update,
    objective_create,
    objective_set_state,
    objective_update,
)
from tenfold.okrs.tests.helpers import NOW, refused, row_counts


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def new_key_result(objective, by, **fields):
    defaults = {"title": "Raise it", "kind": "increase", "start": 0, "target": 10}
    return key_result_create(objective=objective, by=by, **{**defaults, **fields})


# --- creating ---------------------------------------------------------------------------------


def test_creating_an_objective_writes_one_audit_event(org, cycle, team, carol):
    before = row_counts()
    objective = objective_create(organization=org, cycle=cycle, unit=team, title="A", by=carol)
    after = row_counts()
    assert after["AuditEvent"] == before["AuditEvent"] + 1
    assert after["Objective"] == before["Objective"] + 1
    event = AuditEvent.objects.get(object_code=objective.code)
    assert (event.verb, event.actor, event.objective_code) == (
        "objective.created",
        carol,
        objective.code,
    )
    assert event.changes == {"title": "A", "type": "committed", "level": "team", "cycle": "Q4 2026"}


def test_creating_a_key_result_writes_one_audit_event_with_plain_numbers(objective, carol):
    before = row_counts()["AuditEvent"]
    kr = new_key_result(objective, carol, start=D(0), target=D(100), weight="2.5")
    assert row_counts()["AuditEvent"] == before + 1
    event = AuditEvent.objects.get(verb="key_result.created")
    assert event.object_code == kr.code
    assert event.changes == {
        "title": "Raise it",
        "kind": "increase",
        "start": "0",
        "target": "100",
        "weight": "2.5",
    }


def test_a_new_key_result_starts_at_zero_progress(objective, carol):
    kr = new_key_result(objective, carol, start=D(20), target=D(40))
    kr.refresh_from_db()
    assert (kr.progress, kr.progress_raw, kr.current) == (0, 0, None)


def test_a_team_objective_starts_as_a_draft_when_approval_is_required(org, cycle, team, carol):
    objective = objective_create(organization=org, cycle=cycle, unit=team, title="A", by=carol)
    assert (objective.state, objective.level, objective.visibility) == (
        "draft",
        "team",
        "organization",
    )


def test_a_team_objective_starts_active_when_approval_is_not_required(org, cycle, team, carol):
    org.approval_required = False
    org.save()
    objective = objective_create(organization=org, cycle=cycle, unit=team, title="A", by=carol)
    assert objective.state == "active"


def test_a_company_objective_needs_no_approval(org, cycle, company, alice):
    objective = objective_create(organization=org, cycle=cycle, unit=company, title="A", by=alice)
    assert (objective.level, objective.state) == ("company", "active")


def test_a_personal_objective_is_private_by_default(org, cycle, team, bob):
    objective = objective_create(organization=org, cycle=cycle, owner_person=bob, title="A", by=bob)
    assert (objective.level, objective.visibility, objective.unit) == ("personal", "private", None)


def test_a_title_of_exactly_two_hundred_characters_is_accepted(org, cycle, team, carol):
    objective = objective_create(
        organization=org, cycle=cycle, unit=team, title="x" * 200, by=carol
    )
    assert len(objective.title) == 200


def test_titles_are_trimmed(org, cycle, team, carol):
    objective = objective_create(organization=org, cycle=cycle, unit=team, title="  A  ", by=carol)
    assert objective.title == "A"


# --- objectives refused -----------------------------------------------------------------------


def refused_objective(field, org, cycle, by, **fields):
    return refused(field, objective_create, organization=org, cycle=cycle, by=by, **fields)


def test_an_objective_without_a_title_is_refused(org, cycle, team, carol):
    assert "cannot be empty" in refused_objective("title", org, cycle, carol, unit=team, title="")


def test_an_objective_with_a_blank_title_is_refused(org, cycle, team, carol):
    assert "cannot be empty" in refused_objective(
        "title", org, cycle, carol, unit=team, title="   "
    )


def test_an_objective_title_over_two_hundred_characters_is_refused(org, cycle, team, carol):
    message = refused_objective("title", org, cycle, carol, unit=team, title="x" * 201)
    assert "under 200 characters (it has 201)" in message


def test_an_objective_description_over_five_thousand_characters_is_refused(org, cycle, team, carol):
    message = refused_objective(
        "description", org, cycle, carol, unit=team, title="A", description="y" * 5001
    )
    assert "under 5000 characters" in message


def test_an_objective_in_a_closed_cycle_is_refused(org, cycle, team, alice, carol):
    cycle_set_state(cycle=cycle, state="closed", by=alice)
    assert "closed" in refused_objective("cycle", org, cycle, carol, unit=team, title="A")


def test_an_objective_in_another_organizations_cycle_is_refused(org, team, carol, other_org):
    theirs = Cycle.objects.get(organization=other_org)
    message = refused_objective("cycle", org, theirs, carol, unit=team, title="A")
    assert "another organization" in message


def test_an_objective_owned_by_another_organizations_unit_is_refused(org, cycle, carol, other_org):
    message = refused_objective("unit", org, cycle, carol, unit=other_org.units.get(), title="A")
    assert "another organization" in message


def test_an_objective_led_by_someone_from_another_organization_is_refused(
    org, cycle, team, carol, mallory
):
    message = refused_objective("lead", org, cycle, carol, unit=team, title="A", lead=mallory)
    assert "not a member" in message


def test_a_personal_objective_for_an_outsider_is_refused(org, cycle, alice, mallory):
    message = refused_objective(
        "owner_person", org, cycle, alice, level="personal", owner_person=mallory, title="A"
    )
    assert "not a member" in message


def test_an_objective_of_an_unknown_type_is_refused(org, cycle, team, carol):
    refused_objective("type", org, cycle, carol, unit=team, title="A", type="moonshot")


def test_a_team_level_objective_on_the_company_unit_is_refused(org, cycle, company, alice):
    refused_objective("level", org, cycle, alice, unit=company, level="team", title="A")


# --- key results refused ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "start", "target", "field", "words"),
    [
        pytest.param("increase", 5, 5, "target", "must differ", id="increase-target-is-start"),
        pytest.param("decrease", 5, 5, "target", "must differ", id="decrease-target-is-start"),
        pytest.param("reach", 5, 5, "target", "must differ", id="reach-target-is-start"),
        pytest.param("reach", None, 0, "target", "must differ", id="reach-zero-from-nothing"),
        pytest.param("increase", 10, 5, "target", "above the start", id="increase-going-down"),
        pytest.param("decrease", 5, 10, "target", "below the start", id="decrease-going-up"),
        pytest.param("increase", None, 10, "start", "Enter a number", id="increase-no-start"),
        pytest.param("keep_above", None, None, "target", "Enter a number", id="keep-no-target"),
        pytest.param("double", 0, 1, "kind", "Unknown kind", id="unknown-kind"),
    ],
)
def test_a_key_result_that_cannot_be_measured_is_refused(
    objective, carol, kind, start, target, field, words
):
    message = refused(
        field,
        key_result_create,
        objective=objective,
        title="K",
        kind=kind,
        start=start,
        target=target,
        by=carol,
    )
    assert words in message


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        pytest.param("abc", "not a number", id="letters"),
        pytest.param("1e400", "too large", id="huge"),
        pytest.param("NaN", "not a number", id="nan"),
        pytest.param("inf", "not a number", id="infinity"),
        pytest.param(float("inf"), "not a number", id="float-infinity"),
        pytest.param("0.00001", "decimal places", id="too-precise"),
        pytest.param("9999999999999999.9999", "significant digits", id="too-long"),
        pytest.param("1234567890123456", "significant digits", id="sixteen-digits"),
    ],
)
@pytest.mark.parametrize("field", ["start", "target"])
def test_a_key_result_value_that_is_not_a_storable_number_is_refused(
    objective, carol, field, raw, words
):
    values = {"start": 0, "target": 10, field: raw}
    message = refused(
        field,
        key_result_create,
        objective=objective,
        title="K",
        kind="increase",
        by=carol,
        **values,
    )
    assert words in message


@pytest.mark.parametrize(
    ("weight", "words"),
    [
        pytest.param(-1, "cannot be negative", id="negative"),
        pytest.param("-0.001", "cannot be negative", id="slightly-negative"),
        pytest.param("heavy", "must be a number", id="word"),
        pytest.param("NaN", "must be a number", id="nan"),
        pytest.param(1001, "under 1000", id="too-heavy"),
    ],
)
def test_a_bad_key_result_weight_is_refused(objective, carol, weight, words):
    message = refused(
        "weight",
        key_result_create,
        objective=objective,
        title="K",
        kind="increase",
        start=0,
        target=1,
        weight=weight,
        by=carol,
    )
    assert words in message


def test_a_weight_of_zero_is_allowed(objective, carol):
    assert new_key_result(objective, carol, weight=0).weight == 0


@pytest.mark.parametrize("currency", ["", "E", "EURO", "E1R", None])
def test_a_currency_key_result_without_a_three_letter_code_is_refused(objective, carol, currency):
    message = refused(
        "currency",
        key_result_create,
        objective=objective,
        title="K",
        kind="increase",
        start=0,
        target=1,
        value_format="currency",
        currency=currency,
        by=carol,
    )
    assert "three-letter" in message


def test_a_currency_code_is_stored_in_capitals(objective, carol):
    kr = new_key_result(objective, carol, value_format="currency", currency=" eur ")
    assert kr.currency == "EUR"


def test_a_key_result_owned_by_someone_from_another_organization_is_refused(
    objective, carol, mallory
):
    message = refused(
        "owner",
        key_result_create,
        objective=objective,
        title="K",
        kind="increase",
        start=0,
        target=1,
        owner=mallory,
        by=carol,
    )
    assert "not a member" in message


def test_a_key_result_without_a_title_is_refused(objective, carol):
    refused("title", key_result_create, objective=objective, title=" ", target=1, start=0, by=carol)


def test_a_key_result_title_over_two_hundred_characters_is_refused(objective, carol):
    message = refused(
        "title",
        key_result_create,
        objective=objective,
        title="k" * 201,
        start=0,
        target=1,
        by=carol,
    )
    assert "under 200" in message


def test_a_key_result_description_over_five_thousand_characters_is_refused(objective, carol):
    refused(
        "description",
        key_result_create,
        objective=objective,
        title="K",
        description="d" * 5001,
        start=0,
        target=1,
        by=carol,
    )


def test_a_key_result_in_a_closed_cycle_is_refused(objective, cycle, alice, carol):
    cycle_set_state(cycle=cycle, state="closed", by=alice)
    objective.cycle.refresh_from_db()
    message = refused(
        "__all__", key_result_create, objective=objective, title="K", start=0, target=1, by=carol
    )
    assert "closed" in message


def test_unknown_key_result_fields_are_refused(objective, carol):
    before = row_counts()
    with pytest.raises(ValidationError, match="colour"):
        new_key_result(objective, carol, colour="red")
    assert row_counts() == before


# --- updating ---------------------------------------------------------------------------------


def test_updating_an_objective_bumps_its_version_and_audits_the_change(objective, carol):
    updated = objective_update(
        objective=objective, title="Customers adore onboarding", expected_version=1, by=carol
    )
    assert updated.version == 2
    event = AuditEvent.objects.get(verb="objective.updated")
    assert event.changes == {"title": ["Customers love onboarding", "Customers adore onboarding"]}


def test_an_objective_edited_on_a_stale_copy_is_a_conflict_and_nothing_is_written(
    objective, carol, alice
):
    objective_update(objective=objective, title="Alice was here", by=alice)
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        objective_update(objective=objective, title="Carol's edit", expected_version=1, by=carol)
    assert caught.value.code == "conflict"
    assert row_counts() == before
    objective.refresh_from_db()
    assert (objective.title, objective.version) == ("Alice was here", 2)


def test_a_key_result_edited_on_a_stale_copy_is_a_conflict_and_nothing_is_written(
    key_result, carol, alice
):
    key_result_update(key_result=key_result, title="Raise activation to 45%", by=alice)
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        key_result_update(key_result=key_result, target=D(60), expected_version=1, by=carol)
    assert caught.value.code == "conflict"
    assert row_counts() == before
    key_result.refresh_from_db()
    assert (key_result.target, key_result.version) == (40, 2)


def test_a_key_result_edited_on_the_current_version_is_saved(key_result, carol):
    updated = key_result_update(key_result=key_result, target=D(60), expected_version=1, by=carol)
    assert (updated.target, updated.version) == (60, 2)
    assert AuditEvent.objects.get(verb="key_result.updated").changes == {"target": ["40", "60"]}


def test_a_key_result_update_that_breaks_a_rule_writes_nothing(key_result, carol):
    message = refused("target", key_result_update, key_result=key_result, target=D(20), by=carol)
    assert "must differ" in message
    key_result.refresh_from_db()
    assert (key_result.target, key_result.version) == (40, 1)


def test_an_objective_update_that_breaks_a_rule_writes_nothing(objective, carol):
    refused("title", objective_update, objective=objective, title="", by=carol)
    objective.refresh_from_db()
    assert (objective.title, objective.version) == ("Customers love onboarding", 1)


# --- objective states -------------------------------------------------------------------------


@pytest.fixture
def draft(org, cycle, team, carol):
    return objective_create(organization=org, cycle=cycle, unit=team, title="Draft", by=carol)


def set_state(objective, state, by, **kwargs):
    return objective_set_state(objective=objective, state=state, by=by, **kwargs)


def refused_state(objective, state, by, words, **kwargs):
    message = refused(
        "state", objective_set_state, objective=objective, state=state, by=by, **kwargs
    )
    assert words in message
    objective.refresh_from_db()
    return objective


def test_a_team_objective_goes_through_proposal_and_approval(draft, carol, alice):
    set_state(draft, "proposed", carol)
    set_state(draft, "approved", alice, may_approve=True)
    set_state(draft, "active", carol)
    draft.refresh_from_db()
    assert (draft.state, draft.version) == ("active", 4)
    verbs = AuditEvent.objects.filter(object_code=draft.code).values_list("changes", flat=True)
    assert sorted(change["state"][1] for change in verbs if "state" in change) == [
        "active",
        "approved",
        "proposed",
    ]


def test_a_team_objective_cannot_skip_approval_when_it_is_required(draft, carol):
    assert refused_state(draft, "active", carol, "Propose it for approval first").state == "draft"


def test_approving_needs_someone_who_may_approve(draft, carol):
    set_state(draft, "proposed", carol)
    assert refused_state(draft, "approved", carol, "approves").state == "proposed"


def test_someone_who_may_approve_can_activate_a_draft_directly(draft, alice):
    assert set_state(draft, "active", alice, may_approve=True).state == "active"


def test_without_required_approval_a_draft_can_be_activated(org, draft, carol):
    org.approval_required = False
    org.save()
    draft.organization.refresh_from_db()
    assert set_state(draft, "active", carol).state == "active"


def test_approval_is_still_needed_for_the_approved_state_without_required_approval(
    org, draft, carol
):
    org.approval_required = False
    org.save()
    draft.organization.refresh_from_db()
    set_state(draft, "proposed", carol)
    refused_state(draft, "approved", carol, "approves")


def test_a_company_objective_can_be_activated_without_approval(org, cycle, company, alice):
    objective = objective_create(
        organization=org, cycle=cycle, unit=company, title="C", state="draft", by=alice
    )
    assert set_state(objective, "active", alice).state == "active"


@pytest.mark.parametrize(
    ("path", "refused_state_name"),
    [
        pytest.param([], "closed", id="draft-to-closed"),
        pytest.param([], "approved", id="draft-to-approved"),
        pytest.param(["proposed"], "active", id="proposed-to-active"),
        pytest.param(["active"], "draft", id="active-to-draft"),
        pytest.param(["active", "closed"], "proposed", id="closed-to-proposed"),
        pytest.param([], "archived", id="unknown-state"),
    ],
)
def test_objective_transitions_outside_the_lifecycle_are_refused(
    draft, alice, path, refused_state_name
):
    for state in path:
        set_state(draft, state, alice, may_approve=True)
    before = draft.state
    after = refused_state(draft, refused_state_name, alice, "cannot go from", may_approve=True)
    assert after.state == before


def test_a_closed_objective_can_be_reopened(draft, alice):
    set_state(draft, "active", alice, may_approve=True)
    set_state(draft, "closed", alice)
    assert set_state(draft, "active", alice).state == "active"


def test_an_objective_in_a_closed_cycle_cannot_be_reopened(draft, cycle, alice):
    set_state(draft, "active", alice, may_approve=True)
    set_state(draft, "closed", alice)
    cycle_set_state(cycle=cycle, state="closed", by=alice)
    draft.cycle.refresh_from_db()
    assert refused_state(draft, "active", alice, "cycle is closed").state == "closed"


def test_key_results_are_ordered_as_they_are_added(objective, carol):
    new_key_result(objective, carol, title="One")
    new_key_result(objective, carol, title="Two")
    assert list(KeyResult.objects.filter(objective=objective).values_list("title", "order")) == [
        ("One", 0),
        ("Two", 1),
    ]
    assert Objective.objects.get(pk=objective.pk).progress == 0
