"""Writes of the adoption programme: the rollout shape, the first-cycle settings, a short first
cycle, the checklist and its steps, and the sandboxes.

Like every service: keyword-only, validated, atomic, audited. Refusals are a ValidationError
keyed by field with a message for the person who typed the input; nothing is written when one
is raised. Who may call them is decided by the views, the API and the command through
`selectors.can_*`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import time
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record, diff
from tenfold.lib.codes import new_code
from tenfold.lib.validation import Errors
from tenfold.okrs.models import Cycle, CycleKind, CycleState
from tenfold.okrs.selectors import organization_today
from tenfold.okrs.services import cycle_create
from tenfold.organizations.models import (
    CycleLength,
    Membership,
    Organization,
    Role,
    Unit,
    UnitKind,
    UnitMember,
)
from tenfold.organizations.services import organization_update, person_add

from .models import NOTE_MAX, TITLE_MAX, ChecklistItem, Programme, Sandbox
from .policy import PILOT, SHAPES
from .selectors import SANDBOX_PREFIX, target_cycle
from .steps import STEPS, due_dates

FIRST_CYCLE_LENGTHS = (CycleLength.SIX_WEEKS, CycleLength.MONTH)
SANDBOX_TEAM = "Onboarding"
"""The demo team a sandbox's person leads: its OKRs are among the demo's good ones."""


# --- the programme ----------------------------------------------------------------------------


def programme_ensure(*, organization: Organization) -> Programme:
    """The organization's programme, made the first time it is needed."""
    programme = (
        Programme.objects.filter(organization=organization)
        .select_related("pilot_unit", "first_cycle")
        .first()
    )
    if programme is None:
        with transaction.atomic():
            programme, _created = Programme.objects.get_or_create(organization=organization)
    programme.organization = organization
    return programme


def _pilot_lead(unit: Unit | None) -> Any:
    if unit is None:
        return None
    row = (
        UnitMember.objects.filter(unit=unit, is_lead=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return row.user if row is not None else None


@transaction.atomic
def programme_set_shape(
    *, organization: Organization, shape: str, pilot_unit: Unit | None = None, by: Any
) -> Programme:
    """Choose how OKRs are rolled out. A pilot rollout needs its pilot team; the other shapes
    forget it. The shape itself is the organization's `rollout`, changed through the same
    service as Settings uses."""
    errors = Errors()
    if shape not in SHAPES:
        errors.add("shape", _("Choose a pilot team, team leads only, or everyone."))
    if shape == PILOT:
        if pilot_unit is None:
            errors.add("pilot_unit", _("Choose the team that pilots OKRs."))
        elif pilot_unit.organization_id != organization.id:
            errors.add("pilot_unit", _("That team belongs to another organization."))
        elif pilot_unit.kind != UnitKind.TEAM:
            errors.add("pilot_unit", _("The pilot is a team, not a department or the company."))
    errors.raise_if_any()
    programme = programme_ensure(organization=organization)
    new_pilot = pilot_unit if shape == PILOT else None
    before = {"shape": organization.rollout, "pilot_unit": programme.pilot_unit}
    after = {"shape": shape, "pilot_unit": new_pilot}
    if organization.rollout != shape:
        # Recorded once, as the programme's shape below, with its pilot team.
        organization_update(organization=organization, by=by, rollout=shape, record=False)
    if programme.pilot_unit_id != (new_pilot.id if new_pilot else None):
        programme.pilot_unit = new_pilot
        programme.save(update_fields=["pilot_unit", "updated_at"])
        # The pilot team's own steps go to its lead, unless someone has changed or done them.
        lead = _pilot_lead(programme.pilot_unit)
        if lead is not None:
            ChecklistItem.objects.filter(
                programme=programme,
                key__in=[step.key for step in STEPS if step.pilot_owned],
                done_at__isnull=True,
                version=1,
            ).update(owner=lead)
    changes = diff(before, after)
    if changes:
        audit_record(
            organization=organization,
            actor=by,
            verb="adoption.shape_set",
            obj=programme,
            changes=changes,
        )
    return programme


@transaction.atomic
def programme_set_first_cycle(
    *, organization: Organization, defaults_on: bool, by: Any
) -> Programme:
    """Turn the first-cycle defaults (one committed objective per team) on or off."""
    programme = programme_ensure(organization=organization)
    if programme.first_cycle_defaults != bool(defaults_on):
        before = programme.first_cycle_defaults
        programme.first_cycle_defaults = bool(defaults_on)
        programme.save(update_fields=["first_cycle_defaults", "updated_at"])
        audit_record(
            organization=organization,
            actor=by,
            verb="adoption.first_cycle_set",
            obj=programme,
            changes={"first_cycle_defaults": [before, programme.first_cycle_defaults]},
        )
    return programme


def _month_later(day: dt.date) -> dt.date:
    """The same day a month later (the month's last day when it has no such day)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def short_cycle_period(length: str, start: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of a short first cycle."""
    if length == CycleLength.MONTH:
        return start, _month_later(start) - dt.timedelta(days=1)
    return start, start + dt.timedelta(days=6 * 7 - 1)


@transaction.atomic
def first_cycle_create(
    *, organization: Organization, length: str, start: dt.date | None, by: Any
) -> Cycle:
    """A short first cycle (six weeks or a month), so the method is practised and reviewed
    before it is forgotten; then the organization's usual cycles follow. It is planned, not
    started: the planning board and the alignment session work on it first."""
    errors = Errors()
    if length not in FIRST_CYCLE_LENGTHS:
        errors.add("length", _("A short first cycle lasts six weeks or a month."))
    today = organization_today(organization)
    if start is None:
        errors.add("start", _("Choose the day the first cycle starts."))
    elif start < today:
        errors.add("start", _("The first cycle cannot start in the past."))
    elif start > today + dt.timedelta(days=366):
        errors.add("start", _("Start the first cycle within the next year."))
    programme = programme_ensure(organization=organization)
    if programme.first_cycle is not None:
        errors.add(
            "__all__",
            _("The short first cycle “%(name)s” already exists.")
            % {"name": programme.first_cycle.name},
        )
    elif Cycle.objects.filter(organization=organization, state=CycleState.CLOSED).exists():
        errors.add(
            "__all__", _("This organization has already closed a cycle: its first is behind it.")
        )
    errors.raise_if_any()
    assert start is not None
    first, last = short_cycle_period(length, start)
    parent = (
        Cycle.objects.filter(
            organization=organization, kind=CycleKind.YEAR, start__lte=first, end__gte=last
        )
        .order_by("start")
        .first()
    )
    weeks = _("six weeks") if length == CycleLength.SIX_WEEKS else _("a month")
    name = _("First cycle (%(length)s)") % {"length": weeks}
    cycle = cycle_create(
        organization=organization,
        name=name[:60],
        start=first,
        end=last,
        kind=CycleKind.MONTH if length == CycleLength.MONTH else CycleKind.CUSTOM,
        parent=parent,
        state=CycleState.PLANNING,
        by=by,
    )
    programme.first_cycle = cycle
    programme.save(update_fields=["first_cycle", "updated_at"])
    # Steps still undone and never rescheduled by hand move with the new cycle.
    _reschedule(programme, cycle)
    audit_record(
        organization=organization,
        actor=by,
        verb="adoption.first_cycle_created",
        obj=programme,
        changes={"cycle": cycle.code, "start": first, "end": last},
    )
    return cycle


def _reschedule(programme: Programme, cycle: Cycle) -> None:
    today = organization_today(programme.organization)
    dates = due_dates(today, cycle.start, cycle.end)
    for item in ChecklistItem.objects.filter(
        programme=programme, done_at__isnull=True, version=1
    ).exclude(key=""):
        if item.key in dates and item.due != dates[item.key]:
            ChecklistItem.objects.filter(pk=item.pk).update(due=dates[item.key])


# --- the checklist ----------------------------------------------------------------------------


def checklist_ensure(*, organization: Organization, by: Any) -> Programme:
    """Lay out the standard steps the first time the checklist is needed; afterwards do
    nothing, so admins' changes stay. Owners: the person who laid it out (usually an admin),
    and with a pilot rollout the pilot team's lead for the team's own steps."""
    programme = programme_ensure(organization=organization)
    if programme.checklist_created_at is not None:
        return programme
    with transaction.atomic():
        return _lay_out(organization, programme, by)


def _lay_out(organization: Organization, programme: Programme, by: Any) -> Programme:
    programme = (
        Programme.objects.select_for_update(of=("self",))
        .select_related("pilot_unit", "first_cycle")
        .get(pk=programme.pk)
    )
    programme.organization = organization
    if programme.checklist_created_at is not None:  # laid out while we waited for the lock
        return programme
    cycle = target_cycle(organization, programme)
    dates = due_dates(
        organization_today(organization),
        cycle.start if cycle else None,
        cycle.end if cycle else None,
    )
    author = by if _writer(organization, by) else None
    pilot_lead = _pilot_lead(programme.pilot_unit) if organization.rollout == PILOT else None
    rows = [
        ChecklistItem(
            organization=organization,
            programme=programme,
            key=step.key,
            owner=(pilot_lead if step.pilot_owned and pilot_lead else author),
            due=dates[step.key],
            position=index + 1,
        )
        for index, step in enumerate(STEPS)
    ]
    ChecklistItem.objects.bulk_create(rows)
    programme.checklist_created_at = timezone.now()
    programme.save(update_fields=["checklist_created_at", "updated_at"])
    audit_record(
        organization=organization,
        actor=by,
        verb="adoption.checklist_created",
        obj=programme,
        changes={"shape": organization.rollout, "steps": len(rows)},
    )
    return programme


def _writer(organization: Organization, user: Any) -> bool:
    """Whether `user` is a member of the organization who may own a step (not a viewer)."""
    if not getattr(user, "pk", None):
        return False
    return (
        Membership.objects.filter(organization=organization, user=user)
        .exclude(role=Role.VIEWER)
        .exists()
    )


def _check_owner(errors: Errors, organization: Organization, owner: Any) -> None:
    if owner is None:
        return
    if not getattr(owner, "pk", None):
        errors.add("owner", _("The owner must be a member of this organization."))
        return
    role = (
        Membership.objects.filter(organization=organization, user_id=owner.pk)
        .values_list("role", flat=True)
        .first()
    )
    if role is None:
        errors.add("owner", _("The owner must be a member of this organization."))
    elif role == Role.VIEWER:
        errors.add("owner", _("A viewer cannot own a step: choose someone who can act on it."))


def _check_text(errors: Errors, field: str, value: Any, limit: int, *, required: bool) -> str:
    text = " ".join(str(value or "").split()) if field == "title" else str(value or "").strip()
    if required and not text:
        errors.add(field, _("Say what the step is."))
    elif len(text) > limit:
        errors.add(field, _("Keep it under %(n)d characters.") % {"n": limit})
    return text


def _check_due(errors: Errors, due: Any) -> dt.date | None:
    if due is None or due == "":
        return None
    if isinstance(due, dt.datetime):
        return due.date()
    if isinstance(due, dt.date):
        return due
    try:
        return dt.date.fromisoformat(str(due).strip())
    except ValueError:
        errors.add("due", _("Give the due date as a date, such as 2026-11-02."))
        return None


@transaction.atomic
def item_add(
    *,
    organization: Organization,
    title: str,
    by: Any,
    owner: Any = None,
    due: Any = None,
    note: str = "",
) -> ChecklistItem:
    """A step of the organization's own, at the end of the checklist."""
    errors = Errors()
    title = _check_text(errors, "title", title, TITLE_MAX, required=True)
    note = _check_text(errors, "note", note, NOTE_MAX, required=False)
    day = _check_due(errors, due)
    _check_owner(errors, organization, owner)
    errors.raise_if_any()
    programme = checklist_ensure(organization=organization, by=by)
    last = ChecklistItem.objects.filter(programme=programme).aggregate(last=Max("position"))
    item = ChecklistItem.objects.create(
        organization=organization,
        programme=programme,
        title=title,
        owner=owner,
        due=day,
        note=note,
        position=(last["last"] or 0) + 1,
    )
    audit_record(
        organization=organization,
        actor=by,
        verb="adoption.step_added",
        obj=item,
        changes={"title": title, "owner": getattr(owner, "email", None), "due": day},
    )
    return item


ITEM_FIELDS = ("title", "owner", "due", "note")


def _locked(item: ChecklistItem) -> ChecklistItem:
    row = (
        ChecklistItem.objects.select_for_update(of=("self",))
        .select_related("owner", "done_by")
        .get(pk=item.pk)
    )
    row.organization = item.organization
    return row


@transaction.atomic
def item_update(
    *, item: ChecklistItem, by: Any, expected_version: int | None = None, **changes: Any
) -> ChecklistItem:
    """Change a step's owner, due date or note (and the title of a step of one's own: the
    standard steps keep theirs, which follow the rollout shape)."""
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    organization = item.organization
    item = _locked(item)
    errors = Errors()
    data: dict[str, Any] = {}
    if "title" in changes:
        if item.is_custom:
            data["title"] = _check_text(errors, "title", changes["title"], TITLE_MAX, required=True)
        elif (changes["title"] or "").strip():
            errors.add("title", _("The standard steps keep their title; add a note instead."))
    if "note" in changes:
        data["note"] = _check_text(errors, "note", changes["note"], NOTE_MAX, required=False)
    if "due" in changes:
        data["due"] = _check_due(errors, changes["due"])
    if "owner" in changes:
        _check_owner(errors, organization, changes["owner"])
        data["owner"] = changes["owner"]
    errors.raise_if_any()
    if expected_version is not None and expected_version != item.version:
        raise ValidationError(
            _("Someone else changed this step while you were editing. Reload to see it."),
            code="conflict",
        )
    before = {name: getattr(item, name) for name in data}
    changed = diff(before, data)
    if not changed:
        return item
    for name, value in data.items():
        setattr(item, name, value)
    item.version += 1
    item.save()
    audit_record(
        organization=organization,
        actor=by,
        verb="adoption.step_updated",
        obj=item,
        changes=changed,
    )
    return item


@transaction.atomic
def item_set_done(*, item: ChecklistItem, done: bool, by: Any) -> ChecklistItem:
    """Tick a step off (remembering who and when), or open it again. Ticking a done step
    again changes nothing."""
    organization = item.organization
    item = _locked(item)
    if bool(done) == item.is_done:
        return item
    if done:
        item.done_at, item.done_by = timezone.now(), by if getattr(by, "pk", None) else None
    else:
        item.done_at, item.done_by = None, None
    item.version += 1
    item.save(update_fields=["done_at", "done_by", "version", "updated_at"])
    audit_record(
        organization=organization,
        actor=by,
        verb="adoption.step_done" if done else "adoption.step_reopened",
        obj=item,
        changes={"done": bool(done)},
    )
    return item


@transaction.atomic
def item_move(*, item: ChecklistItem, direction: str, by: Any) -> ChecklistItem:
    """Swap a step with its neighbour above ("up") or below ("down")."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move a step up or down.")})
    organization = item.organization
    siblings = list(
        ChecklistItem.objects.select_for_update(of=("self",))
        .filter(programme_id=item.programme_id)
        .order_by("position", "id")
    )
    index = next(i for i, row in enumerate(siblings) if row.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return siblings[index]
    siblings[index], siblings[other] = siblings[other], siblings[index]
    # Positions are renumbered 1…n, which also repairs any gaps or ties.
    for position, row in enumerate(siblings, start=1):
        if row.position != position:
            ChecklistItem.objects.filter(pk=row.pk).update(position=position)
            row.position = position
    moved = siblings[other]
    moved.organization = organization
    audit_record(
        organization=organization,
        actor=by,
        verb="adoption.step_moved",
        obj=moved,
        changes={"position": [index + 1, other + 1]},
    )
    return moved


@transaction.atomic
def item_delete(*, item: ChecklistItem, by: Any) -> None:
    """Delete a step an admin added. The standard steps stay: they are the method."""
    if not item.is_custom:
        raise ValidationError(
            _("The standard steps cannot be deleted; leave a note if one does not apply.")
        )
    organization = item.organization
    audit_record(
        organization=organization,
        actor=by,
        verb="adoption.step_deleted",
        obj=item,
        changes={"title": item.title},
    )
    item.delete()


# --- sandboxes --------------------------------------------------------------------------------


def _sandbox_name() -> str:
    from tenfold.okrs.demo import NAME

    return _("%(name)s (Sandbox)") % {"name": NAME}


def _wipe(organization: Organization) -> None:
    """Delete an organization and everything in it, whatever apps have added to it.

    Rows that protect other rows (a cycle its objectives, a unit its key performance
    indicators) go in rounds until nothing is left; links of a table to itself (corrections
    of check-ins, cycles within a year) are cut first, and the unit tree is removed leaves
    first, as the one root per organization cannot be cut loose."""
    from tenfold.organizations.models import Organization as Org

    scoped: list[tuple[type[models.Model], str]] = []
    for model in apps.get_models():
        if model in (Org, Unit, Sandbox):
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Org and not field.null:
                scoped.append((model, field.name))
    for model, name in scoped:
        for field in model._meta.concrete_fields:
            if (
                field.is_relation
                and field.related_model is model
                and field.null
                and field.remote_field.on_delete is models.PROTECT  # type: ignore[union-attr]
            ):
                model._base_manager.filter(**{name: organization}).exclude(
                    **{f"{field.name}__isnull": True}
                ).update(**{field.name: None})
    pending = list(scoped)
    for _round in range(len(scoped) + 1):
        blocked = []
        for model, name in pending:
            rows = model._base_manager.filter(**{name: organization})
            try:
                with transaction.atomic():
                    rows.delete()
            except (models.ProtectedError, models.RestrictedError):
                blocked.append((model, name))
        if not blocked or len(blocked) == len(pending):
            break
        pending = blocked
    units = Unit.objects.filter(organization=organization)
    while units.exists():  # leaves first: a unit protects the units below it
        units.filter(children__isnull=True).delete()
    organization.delete()


def _people_of(sandbox: Sandbox) -> list[int]:
    from tenfold.accounts.models import User

    return list(
        User.objects.filter(email__iendswith=f"@{sandbox.email_domain}").values_list(
            "id", flat=True
        )
    )


def _remove_people(ids: list[int]) -> None:
    """Remove the sandbox's made-up people who belong to no organization any more."""
    from tenfold.accounts.models import User

    User.objects.filter(id__in=ids, memberships__isnull=True).delete()


def _build(sandbox: Sandbox, person: Any) -> Organization:
    from tenfold.okrs.demo import build_demo

    started = time.monotonic()
    slug = sandbox.email_domain.split(".", 1)[0]
    organization = build_demo(
        slug=slug, name=_sandbox_name(), email_domain=sandbox.email_domain, password=None
    )
    team = Unit.objects.get(organization=organization, name=SANDBOX_TEAM, kind=UnitKind.TEAM)
    owner = Membership.objects.get(organization=organization, role=Role.OWNER).user
    person_add(
        organization=organization,
        email=person.email,
        role=Role.LEAD,
        units=[team],
        lead_of=[team],
        by=owner,
    )
    sandbox.organization = organization
    sandbox.built_at = timezone.now()
    sandbox.build_seconds = round(time.monotonic() - started, 2)
    return organization


def _new_domain() -> str:
    from tenfold.okrs.demo import EMAIL_DOMAIN

    for _attempt in range(10):
        slug = f"{SANDBOX_PREFIX}{new_code(6)}"
        domain = f"{slug}.{EMAIL_DOMAIN}"
        if not (
            Organization.objects.filter(slug=slug).exists()
            or Sandbox.objects.filter(email_domain=domain).exists()
        ):
            return domain
    raise ValidationError(_("Could not find a free address for the sandbox; try again."))


def sandbox_open(*, person: Any, home: Organization | None) -> tuple[Sandbox, bool]:
    """The person's sandbox, built the first time: a copy of the demo company in which they
    lead one team. True when it was built now."""
    existing = Sandbox.objects.filter(person=person).select_related("organization").first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            sandbox = Sandbox(person=person, home=home, email_domain=_new_domain())
            _build(sandbox, person)
            sandbox.save()
            _record(sandbox, home, person, "adoption.sandbox_opened")
    except IntegrityError:
        # Two clicks at once: the other one built it.
        existing = Sandbox.objects.filter(person=person).select_related("organization").first()
        if existing is None:
            raise
        return existing, False
    return sandbox, True


def _record(sandbox: Sandbox, home: Organization | None, person: Any, verb: str) -> None:
    """Audit in the organization the sandbox was opened from: the sandbox's own log goes with
    it when it is reset or deleted."""
    if home is None or home.pk == sandbox.organization_id:
        return
    audit_record(
        organization=home,
        actor=person,
        verb=verb,
        obj=sandbox,
        changes={"sandbox": sandbox.organization.slug, "seconds": sandbox.build_seconds},
    )


@transaction.atomic
def sandbox_reset(*, person: Any) -> Sandbox | None:
    """Rebuild the person's sandbox from scratch at the same address; None when they have
    none."""
    sandbox = (
        Sandbox.objects.select_for_update(of=("self",))
        .filter(person=person)
        .select_related("organization", "home")
        .first()
    )
    if sandbox is None:
        return None
    people = _people_of(sandbox)
    old = sandbox.organization
    # The row goes with the old organization; the new one takes the same code and address.
    home = sandbox.home
    values = {"code": sandbox.code, "email_domain": sandbox.email_domain, "home": home}
    sandbox.delete()
    _wipe(old)
    _remove_people(people)
    rebuilt = Sandbox(person=person, **values)
    _build(rebuilt, person)
    rebuilt.save()
    _record(rebuilt, home, person, "adoption.sandbox_reset")
    return rebuilt


@transaction.atomic
def sandbox_delete(*, person: Any) -> bool:
    """Delete the person's sandbox and its made-up people; False when there is none."""
    sandbox = (
        Sandbox.objects.select_for_update(of=("self",))
        .filter(person=person)
        .select_related("organization", "home")
        .first()
    )
    if sandbox is None:
        return False
    people = _people_of(sandbox)
    home = sandbox.home
    if home is not None and home.pk != sandbox.organization_id:
        audit_record(
            organization=home,
            actor=person,
            verb="adoption.sandbox_deleted",
            obj=sandbox,
            changes={"sandbox": sandbox.organization.slug},
        )
    organization = sandbox.organization
    sandbox.delete()
    _wipe(organization)
    _remove_people(people)
    return True
