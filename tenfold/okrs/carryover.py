"""Carrying objectives into the next cycle, duplicating objectives, and reading a key result's
history across cycles.

Carry-over (METHOD §7: unfinished OKRs are reviewed, then some go on) copies the *definition*
of the chosen objectives and key results into another cycle and links each copy to its
original through `carried_from`. Nothing else travels: no check-ins, initiatives, comments or
reactions. A carried key result starts where the original ended:

- increase, decrease, reach: `start` = the last value, `current` = the same value, so the new
  cycle measures only what it adds (progress 0 %). One that already reached its target is
  refused: carry it with a new target instead (edit it after carrying a version of it).
- keep above / keep below: these hold a level and have no start; `current` = the last value,
  so the copy shows where the level stood when the cycle ended until its first check-in.
- milestone: start 0, target 1 as always; a milestone that was done is refused, an open one
  starts not done.
- never measured: the copy keeps the original's start and stays "not measured yet".

Alignment follows the parents: a link is carried when its parent (objective or key result)
is carried into the same target cycle, now or earlier, and points at the parent's copy; a
link to a parent whose cycle also contains the target (a year objective) is kept as it is.
Every other link is dropped and listed in the plan, so nothing disappears unannounced.

The writes go through `objective_create`, `key_result_create` and `alignment_link`, which keep
their own validation and audit events; this module adds the carry-over rules on top.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record
from tenfold.lib.progress import FROM_TO_KINDS, Kind, key_result_progress
from tenfold.lib.validation import Errors, error_dict
from tenfold.organizations.permissions import Access

from .models import Alignment, Cycle, CycleState, KeyResult, Objective
from .rollup import key_result_refresh, objective_refresh
from .services import alignment_link, key_result_create, objective_create

CHAIN_LIMIT = 12
"""How far back `carried_chain` follows a key result: three years of quarters."""

TARGET_STATES = (CycleState.PLANNING, CycleState.ACTIVE)
"""Cycles that can receive carried objectives: being planned, or under way."""

DEFINITION_FIELDS = (
    "title",
    "description",
    "kind",
    "target",
    "unit_label",
    "value_format",
    "currency",
    "decimals",
    "weight",
    "owner",
    "aspirational",
)
"""What a copied key result takes from its original, besides its start."""


@dataclass(frozen=True)
class Selection:
    """One objective to carry, and which of its key results; None means all of them."""

    objective: Objective
    key_results: Sequence[KeyResult] | None = None
    """None: every key result that has not reached its target (those are left behind and
    listed). Naming a key result that reached its target is refused."""


@dataclass
class PlannedKeyResult:
    original: KeyResult
    start: Decimal | None
    current: Decimal | None


@dataclass
class PlannedLink:
    """A parent link of the original, and where it will point in the target cycle."""

    link: Alignment
    parent_objective: Objective | None = None
    parent_key_result: KeyResult | None = None
    """Already in the target cycle (carried earlier, or a parent whose cycle contains it)."""
    carried_parent_id: int | None = None
    """The parent is carried in this same run: the link points at its copy once made."""
    parent_is_key_result: bool = False


@dataclass
class PlannedObjective:
    original: Objective
    key_results: list[PlannedKeyResult]
    links: list[PlannedLink] = field(default_factory=list)
    dropped_links: list[str] = field(default_factory=list)
    """Titles of the parents whose link stays behind."""
    left_behind: list[KeyResult] = field(default_factory=list)
    """Key results that reached their target, not carried when all were asked for."""


@dataclass
class CarryOverPlan:
    source: Cycle
    target: Cycle
    objectives: list[PlannedObjective]


@dataclass
class CarriedObjective:
    original: Objective
    copy: Objective
    key_results: list[tuple[KeyResult, KeyResult]]
    """(original, copy) pairs."""
    links: list[Alignment]
    dropped_links: list[str]
    left_behind: list[KeyResult]


# --- rules ------------------------------------------------------------------------------------


def last_value(kr: KeyResult) -> Decimal | None:
    """The value a key result ended at: its current value, or None if never measured."""
    return kr.current


def carried_values(kr: KeyResult) -> tuple[Decimal | None, Decimal | None]:
    """(start, current) of the copy of `kr` in the next cycle; see the module docstring."""
    ended = last_value(kr)
    if kr.kind in (Kind.KEEP_ABOVE, Kind.KEEP_BELOW):
        return None, ended
    if kr.kind == Kind.MILESTONE:
        return Decimal(0), ended
    if ended is None:
        return kr.start, None
    return ended, ended


def has_reached_target(kr: KeyResult) -> bool:
    """A from-to key result or milestone that is done: carrying it would start at its target."""
    if kr.kind not in FROM_TO_KINDS and kr.kind != Kind.MILESTONE:
        return False
    result = key_result_progress(kr.kind, start=kr.start, target=kr.target, current=kr.current)
    return result.raw >= 1


def _quoted(title: str) -> str:
    return f"“{title}”"


def _check_target(errors: Errors, *, source: Cycle, target: Cycle, access: Access) -> None:
    org_id = access.membership.organization_id
    if source.organization_id != org_id:
        errors.add("cycle", _("That cycle belongs to another organization."))
    if target.organization_id != org_id:
        errors.add("target", _("That cycle belongs to another organization."))
        return
    if target.pk == source.pk:
        errors.add(
            "target",
            _(
                "Choose another cycle to carry into. To copy an objective within the same "
                "cycle, duplicate it."
            ),
        )
    elif target.state == CycleState.CLOSED:
        errors.add(
            "target",
            _("“%(name)s” is closed, so nothing can be carried into it. Reopen it or pick another.")
            % {"name": target.name},
        )
    elif target.state not in TARGET_STATES:
        errors.add(
            "target",
            _(
                "“%(name)s” is being reviewed. Carry objectives into a cycle that is being "
                "planned or is under way."
            )
            % {"name": target.name},
        )


def _check_allowed(access: Access, objectives: Iterable[Objective]) -> None:
    if not access.can_write:
        raise PermissionDenied(_("Viewers can read objectives but not carry them over."))
    for objective in objectives:
        if not access.can_edit_objective(objective):
            raise PermissionDenied(
                _("You may not carry %(title)s: only the people who may edit it can.")
                % {"title": _quoted(objective.title)}
            )


# --- the plan ---------------------------------------------------------------------------------


def carry_over_plan(
    *,
    source_cycle: Cycle,
    target_cycle: Cycle,
    selections: Sequence[Selection],
    access: Access,
) -> CarryOverPlan:
    """What carrying `selections` from `source_cycle` into `target_cycle` would create, or the
    reasons it cannot: ValidationError keyed by field ("target", "objectives", "key_results"),
    PermissionDenied for someone who may not edit one of the objectives. Writes nothing; the
    web preview and the CLI's --dry-run show this plan."""
    errors = Errors()
    _check_target(errors, source=source_cycle, target=target_cycle, access=access)
    chosen: dict[int, Selection] = {}
    for selection in selections:
        chosen.setdefault(selection.objective.pk, selection)
    if not chosen:
        errors.add("objectives", _("Choose at least one objective to carry."))
    errors.raise_if_any()

    org_id = access.membership.organization_id
    originals = [selection.objective for selection in chosen.values()]
    for objective in originals:
        if objective.organization_id != org_id:
            raise ValidationError(
                {"objectives": _("One of those objectives belongs to another organization.")}
            )
        if objective.cycle_id != source_cycle.pk:
            errors.add(
                "objectives",
                _("%(title)s is not part of %(cycle)s.")
                % {"title": _quoted(objective.title), "cycle": source_cycle.name},
            )
    errors.raise_if_any()
    _check_allowed(access, originals)

    ids = list(chosen)
    already = dict(
        Objective.objects.filter(cycle=target_cycle, carried_from_id__in=ids).values_list(
            "carried_from_id", "code"
        )
    )
    for objective in originals:
        if objective.pk in already:
            errors.add(
                "objectives",
                _(
                    "%(title)s was already carried into %(cycle)s; it is carried only once. "
                    "Open the copy there, or duplicate it for a second one."
                )
                % {"title": _quoted(objective.title), "cycle": target_cycle.name},
            )

    all_krs: dict[int, list[KeyResult]] = {pk: [] for pk in ids}
    for kr in KeyResult.objects.filter(objective_id__in=ids).order_by("order", "id"):
        all_krs[kr.objective_id].append(kr)

    planned: list[PlannedObjective] = []
    carried_kr_ids: set[int] = set()
    for pk, selection in chosen.items():
        own = {kr.pk: kr for kr in all_krs[pk]}
        if selection.key_results is None:
            picked = all_krs[pk]
        else:
            wanted = {kr.pk for kr in selection.key_results}
            strangers = wanted - own.keys()
            if strangers:
                errors.add(
                    "key_results",
                    _("Some of the chosen key results are not part of %(title)s.")
                    % {"title": _quoted(selection.objective.title)},
                )
            picked = [kr for kr in all_krs[pk] if kr.pk in wanted]
        krs: list[PlannedKeyResult] = []
        item = PlannedObjective(original=selection.objective, key_results=krs)
        for kr in picked:
            if has_reached_target(kr) and selection.key_results is None:
                item.left_behind.append(kr)
                continue
            if has_reached_target(kr):
                errors.add(
                    "key_results",
                    _(
                        "%(title)s already reached its target; it would start where it should "
                        "end. Leave it behind, or add a new key result with a new target."
                    )
                    % {"title": _quoted(kr.title)},
                )
                continue
            start, current = carried_values(kr)
            krs.append(PlannedKeyResult(original=kr, start=start, current=current))
            carried_kr_ids.add(kr.pk)
        planned.append(item)
    errors.raise_if_any()
    _plan_links(planned, target_cycle, set(ids), carried_kr_ids, access)
    return CarryOverPlan(source=source_cycle, target=target_cycle, objectives=planned)


def _plan_links(
    planned: list[PlannedObjective],
    target: Cycle,
    carried_ids: set[int],
    carried_kr_ids: set[int],
    access: Access,
) -> None:
    """Decide, for every parent link of the carried objectives, where it points in `target`;
    three queries whatever the number of links."""
    links = list(
        Alignment.objects.filter(child_id__in=carried_ids)
        .select_related("parent_objective__cycle", "parent_key_result__objective__cycle")
        .order_by("id")
    )
    parent_ids = {link.parent_objective_id for link in links if link.parent_objective_id}
    parent_kr_ids = {link.parent_key_result_id for link in links if link.parent_key_result_id}
    earlier = {
        o.carried_from_id: o
        for o in Objective.objects.filter(cycle=target, carried_from_id__in=parent_ids)
    }
    earlier_krs = {
        kr.carried_from_id: kr
        for kr in KeyResult.objects.filter(
            objective__cycle=target, carried_from_id__in=parent_kr_ids
        ).select_related("objective")
    }
    by_child: dict[int, list[Alignment]] = {}
    for link in links:
        by_child.setdefault(link.child_id, []).append(link)

    def contains_target(cycle: Cycle) -> bool:
        return cycle.pk != target.pk and cycle.start <= target.start and cycle.end >= target.end

    for item in planned:
        for link in by_child.get(item.original.pk, []):
            plan = PlannedLink(link=link)
            if link.parent_objective_id:
                parent = link.parent_objective
                assert parent is not None
                if parent.pk in carried_ids:
                    plan.carried_parent_id = parent.pk
                elif parent.pk in earlier:
                    plan.parent_objective = earlier[parent.pk]
                elif contains_target(parent.cycle):
                    plan.parent_objective = parent
            else:
                parent_kr = link.parent_key_result
                assert parent_kr is not None
                parent = parent_kr.objective
                plan.parent_is_key_result = True
                if parent_kr.pk in carried_kr_ids:
                    plan.carried_parent_id = parent_kr.pk
                elif parent_kr.pk in earlier_krs:
                    plan.parent_key_result = earlier_krs[parent_kr.pk]
                elif contains_target(parent.cycle):
                    plan.parent_key_result = parent_kr
            if plan.carried_parent_id or plan.parent_objective or plan.parent_key_result:
                item.links.append(plan)
            else:
                title = (
                    str(link.parent)
                    if access.can_view_objective(parent)
                    else _("an objective you cannot see")
                )
                item.dropped_links.append(title)


# --- the writes -------------------------------------------------------------------------------


def _explained(objective: Objective, error: ValidationError) -> ValidationError:
    """A copy refused by the underlying service, with the objective it was about."""
    messages = []
    for name, texts in error_dict(error).items():
        for text in texts:
            where = "" if name == "__all__" else f"{name}: "
            messages.append(
                _("%(title)s: %(problem)s")
                % {"title": _quoted(objective.title), "problem": where + text}
            )
    return ValidationError({"objectives": messages})


def _copy_objective(original: Objective, target: Cycle, by: Any) -> Objective:
    try:
        return objective_create(
            organization=original.organization,
            cycle=target,
            title=original.title,
            description=original.description,
            type=original.type,
            unit=original.unit,
            owner_person=original.owner_person,
            level=original.level,
            visibility=original.visibility,
            lead=original.lead,
            by=by,
        )
    except ValidationError as error:
        raise _explained(original, error) from error


def _copy_key_result(
    original: KeyResult, copy_of: Objective, start: Decimal | None, by: Any
) -> KeyResult:
    definition = {name: getattr(original, name) for name in DEFINITION_FIELDS}
    try:
        return key_result_create(objective=copy_of, start=start, by=by, **definition)
    except ValidationError as error:
        raise _explained(copy_of, error) from error


@transaction.atomic
def carry_over_objectives(
    *,
    source_cycle: Cycle,
    target_cycle: Cycle,
    selections: Sequence[Selection],
    by: Any,
    access: Access,
) -> list[CarriedObjective]:
    """Carry the chosen objectives and key results into `target_cycle`, all or nothing.

    Refused (ValidationError, nothing written) when the target is closed, being reviewed, the
    source itself or in another organization; when an objective was already carried into the
    target (carrying is refused a second time rather than answered with the existing copy, so
    a repeated request never looks like new work); when a key result already reached its
    target. PermissionDenied for viewers and for objectives the person may not edit."""
    # Lock the originals first: two people carrying the same objective at once queue here,
    # and the second then meets the "already carried" refusal.
    list(
        Objective.objects.select_for_update(of=("self",))
        .filter(pk__in=[selection.objective.pk for selection in selections])
        .values_list("pk", flat=True)
    )
    plan = carry_over_plan(
        source_cycle=source_cycle,
        target_cycle=target_cycle,
        selections=selections,
        access=access,
    )
    done: list[CarriedObjective] = []
    copies: dict[int, Objective] = {}
    kr_copies: dict[int, KeyResult] = {}
    for item in plan.objectives:
        original = item.original
        copy = _copy_objective(original, target_cycle, by)
        copy.carried_from = original
        copy.save(update_fields=["carried_from"])
        copies[original.pk] = copy
        pairs: list[tuple[KeyResult, KeyResult]] = []
        for planned_kr in item.key_results:
            kr = _copy_key_result(planned_kr.original, copy, planned_kr.start, by)
            kr.current = planned_kr.current
            kr.carried_from = planned_kr.original
            key_result_refresh(kr)
            kr.save(update_fields=["current", "carried_from", "progress", "progress_raw"])
            kr_copies[planned_kr.original.pk] = kr
            pairs.append((planned_kr.original, kr))
        if pairs:
            objective_refresh(copy)
        done.append(
            CarriedObjective(original, copy, pairs, [], item.dropped_links, item.left_behind)
        )

    # Links last: a child may come before its parent in the selection.
    for item, result in zip(plan.objectives, done, strict=True):
        for planned_link in item.links:
            parent_objective = planned_link.parent_objective
            parent_key_result = planned_link.parent_key_result
            if planned_link.carried_parent_id is not None:
                if planned_link.parent_is_key_result:
                    parent_key_result = kr_copies[planned_link.carried_parent_id]
                else:
                    parent_objective = copies[planned_link.carried_parent_id]
            try:
                link = alignment_link(
                    child=result.copy,
                    parent_objective=parent_objective,
                    parent_key_result=parent_key_result,
                    weight=planned_link.link.weight,
                    by=by,
                )
            except ValidationError as error:
                raise _explained(result.original, error) from error
            result.links.append(link)

    for result in done:
        result.copy.refresh_from_db(fields=["progress"])
        audit_record(
            organization=result.copy.organization,
            actor=by,
            verb="objective.carried_over",
            obj=result.copy,
            objective_code=result.copy.code,
            changes={
                "from": result.original.code,
                "from_cycle": source_cycle.name,
                "cycle": target_cycle.name,
                "key_results": [copy.code for _original, copy in result.key_results],
                "links_left_behind": result.dropped_links,
                "key_results_left_behind": [kr.code for kr in result.left_behind],
            },
        )
    return done


@transaction.atomic
def duplicate_objective(
    *, objective: Objective, target_cycle: Cycle, by: Any, access: Access
) -> Objective:
    """A copy of `objective` with all its key results, in the same or another open cycle.

    Unlike carrying, a duplicate starts afresh: every key result keeps its original start and
    is not measured yet, there is no `carried_from` link (the audit event records what it was
    copied from), the title stays the same, and alignment is not copied (the copy is aligned
    on its own page, where it is clear what it contributes to)."""
    errors = Errors()
    org_id = access.membership.organization_id
    if objective.organization_id != org_id:
        raise ValidationError({"objective": _("That objective belongs to another organization.")})
    if target_cycle.organization_id != org_id:
        errors.add("target", _("That cycle belongs to another organization."))
    elif target_cycle.state == CycleState.CLOSED:
        errors.add(
            "target",
            _("“%(name)s” is closed, so nothing can be copied into it. Reopen it or pick another.")
            % {"name": target_cycle.name},
        )
    errors.raise_if_any()
    if not access.can_write:
        raise PermissionDenied(_("Viewers can read objectives but not copy them."))
    if not access.can_edit_objective(objective):
        raise PermissionDenied(
            _("You may not duplicate %(title)s: only the people who may edit it can.")
            % {"title": _quoted(objective.title)}
        )
    copy = _copy_objective(objective, target_cycle, by)
    originals = list(KeyResult.objects.filter(objective=objective).order_by("order", "id"))
    made = [_copy_key_result(kr, copy, kr.start, by) for kr in originals]
    audit_record(
        organization=copy.organization,
        actor=by,
        verb="objective.duplicated",
        obj=copy,
        objective_code=copy.code,
        changes={
            "from": objective.code,
            "from_cycle": objective.cycle.name,
            "cycle": target_cycle.name,
            "key_results": [kr.code for kr in made],
        },
    )
    return copy


# --- reads ------------------------------------------------------------------------------------


def target_cycles(source: Cycle) -> list[Cycle]:
    """Cycles that can receive objectives carried from `source`: planned or under way."""
    return list(
        Cycle.objects.filter(organization_id=source.organization_id, state__in=TARGET_STATES)
        .exclude(pk=source.pk)
        .order_by("start", "-end")
    )


def open_cycles(organization_id: int) -> list[Cycle]:
    """Cycles an objective can be duplicated into: any that is not closed."""
    return list(
        Cycle.objects.filter(organization_id=organization_id)
        .exclude(state=CycleState.CLOSED)
        .order_by("start", "-end")
    )


def carried_copies(objective_ids: Iterable[int]) -> dict[int, list[Objective]]:
    """For each objective, the copies carried from it (with their cycle), in one query."""
    found: dict[int, list[Objective]] = {}
    rows = (
        Objective.objects.filter(carried_from_id__in=list(objective_ids))
        .select_related("cycle")
        .order_by("cycle__start", "id")
    )
    for row in rows:
        assert row.carried_from_id is not None
        found.setdefault(row.carried_from_id, []).append(row)
    return found


def carried_sources(key_results: Iterable[KeyResult]) -> dict[int, KeyResult]:
    """For each carried key result (by id), the one it was carried from, with its objective
    and cycle, in one query: for lists that show "carried from …" on many rows."""
    wanted = {kr.carried_from_id for kr in key_results if kr.carried_from_id}
    if not wanted:
        return {}
    sources = KeyResult.objects.filter(pk__in=wanted).select_related("objective__cycle")
    by_id = {kr.pk: kr for kr in sources}
    return {
        kr.pk: by_id[kr.carried_from_id]
        for kr in key_results
        if kr.carried_from_id in by_id  # deleted originals leave carried_from empty
    }


def carried_chain(
    kr: KeyResult, *, access: Access | None = None, limit: int = CHAIN_LIMIT
) -> list[KeyResult]:
    """The key results `kr` was carried from, nearest first: [last cycle's, the one before,
    …], each with its objective and cycle, at most `limit` long.

    Two queries whatever the length: a recursive CTE (SQLite and PostgreSQL both have
    `WITH RECURSIVE`) finds the ids, one select fetches the rows. The depth bound also stops a
    loop that imported data could hold. With `access`, the chain stops before the first key
    result whose objective the viewer may not see."""
    if not kr.carried_from_id or limit <= 0:
        return []
    table = connection.ops.quote_name(KeyResult._meta.db_table)
    sql = f"""
        WITH RECURSIVE chain(id, depth) AS (
            SELECT carried_from_id, 1 FROM {table} WHERE id = %s
            UNION ALL
            SELECT k.carried_from_id, chain.depth + 1
            FROM {table} AS k JOIN chain ON k.id = chain.id
            WHERE k.carried_from_id IS NOT NULL AND chain.depth < %s
        )
        SELECT id, depth FROM chain WHERE id IS NOT NULL
    """  # nosec B608  # only the table name is interpolated, quoted by the backend
    with connection.cursor() as cursor:
        cursor.execute(sql, [kr.pk, limit])
        depth_of: dict[int, int] = {}
        for row_id, depth in cursor.fetchall():
            depth_of.setdefault(row_id, depth)
    rows = KeyResult.objects.filter(
        pk__in=depth_of, organization_id=kr.organization_id
    ).select_related("objective__cycle", "objective__unit")
    chain = sorted(rows, key=lambda row: depth_of[row.pk])
    if access is None:
        return chain
    visible: list[KeyResult] = []
    for row in chain:
        if not access.can_view_objective(row.objective):
            break
        visible.append(row)
    return visible
