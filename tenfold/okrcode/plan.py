"""OKRs as code: compare the files with what is stored (`plan`) and make it so (`apply`).

A plan lists what would be created, updated, archived or deleted, field by field, and every
problem that stops it (an unknown code, owner, unit or cycle; a key result with check-ins that
the file no longer holds; a change the person may not make). `apply` carries out a plan without
problems through the services of `tenfold.okrs.services`, all in one transaction, then writes
the codes of new objectives and key results back into their files, so planning the same files
again finds nothing to do.

Only what people write is compared: measured values (current value, check-ins, progress) and
workflow state are not in the files. An objective of the file's unit and cycle that the file
no longer lists is archived (closed), never deleted; listing a closed objective again reopens it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from tenfold.checkins.models import CheckIn
from tenfold.lib.validation import Errors, error_dict
from tenfold.okrs.models import (
    Alignment,
    Cycle,
    CycleState,
    KeyResult,
    Objective,
    ObjectiveState,
)
from tenfold.okrs.services import (
    _check_key_result,
    alignment_link,
    alignment_unlink,
    key_result_create,
    key_result_delete,
    key_result_update,
    objective_create,
    objective_set_state,
    objective_update,
)
from tenfold.organizations.models import Membership, Organization, Unit, UnitKind
from tenfold.organizations.permissions import Access, access_for

from .files import (
    LEVEL_OF_UNIT,
    Document,
    FileProblems,
    KeyResultSpec,
    Link,
    ObjectiveSpec,
    Problem,
    number_text,
    parse_document,
    render,
    stored_objectives,
    with_codes,
    write_text,
)

# The order in which apply carries out changes: an objective exists (and is open) before its
# key results change, a link is removed before it is made again with another weight, and
# archiving comes last.
PHASES = (
    "objective.create",
    "objective.update",
    "objective.reopen",
    "key_result.delete",
    "key_result.update",
    "key_result.create",
    "alignment.unlink",
    "alignment.link",
    "objective.archive",
)
# How an objective reaches "closed" from each state through the allowed transitions of
# `objective_set_state`. Passing through "active" inside the one transaction approves
# nothing: the objective ends closed.
ARCHIVE_PATH = {
    ObjectiveState.DRAFT: [ObjectiveState.ACTIVE, ObjectiveState.CLOSED],
    ObjectiveState.PROPOSED: [ObjectiveState.DRAFT, ObjectiveState.ACTIVE, ObjectiveState.CLOSED],
    ObjectiveState.APPROVED: [ObjectiveState.ACTIVE, ObjectiveState.CLOSED],
    ObjectiveState.ACTIVE: [ObjectiveState.CLOSED],
}
KR_FIELDS = (  # (name in the file, name in the model)
    ("title", "title"),
    ("kind", "kind"),
    ("start", "start"),
    ("target", "target"),
    ("unit_label", "unit_label"),
    ("format", "value_format"),
    ("currency", "currency"),
    ("decimals", "decimals"),
    ("owner", "owner"),
    ("weight", "weight"),
    ("aspirational", "aspirational"),
    ("description", "description"),
)


class PlanError(ValueError):
    """The plan cannot be applied; `problems` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Change:
    """One thing apply would do, for people (action, what, fields) and for apply (run)."""

    action: str  # create | update | reopen | delete | link | unlink | archive
    what: str  # objective | key_result | alignment
    title: str
    code: str
    path: str
    line: int
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)
    detail: str = ""
    run: Callable[[_Run], None] | None = field(default=None, repr=False)

    @property
    def phase(self) -> int:
        return PHASES.index(f"{self.what}.{self.action}")

    @property
    def sign(self) -> str:
        return {"create": "+", "link": "+", "delete": "-", "unlink": "-", "archive": "-"}.get(
            self.action, "~"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "type": self.what,
            "code": self.code or None,
            "title": self.title,
            "file": self.path,
            "line": self.line,
            "detail": self.detail,
            "fields": {name: [shown(old), shown(new)] for name, old, new in self.fields},
        }


@dataclass
class Plan:
    organization: Organization
    documents: list[Document]
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    targets: dict[int, tuple[Cycle, Unit]] = field(default_factory=dict, repr=False)
    """The cycle and unit of each document, by the document's id()."""

    @property
    def empty(self) -> bool:
        return not self.changes

    def counts(self) -> dict[str, int]:
        found = {"create": 0, "update": 0, "archive": 0, "delete": 0}
        for change in self.changes:
            key = {"link": "update", "unlink": "update", "reopen": "update"}.get(
                change.action, change.action
            )
            found[key] += 1
        return found

    def as_dict(self) -> dict[str, Any]:
        return {
            "organization": self.organization.slug,
            "changes": [c.as_dict() for c in self.changes],
            "problems": [p.as_dict() for p in self.problems],
            "summary": self.counts(),
        }


@dataclass
class Applied:
    changes: list[Change]
    written: list[Path]


def shown(value: Any) -> Any:
    """A value as a plan shows it: decimals as written in files."""
    if isinstance(value, Decimal):
        return number_text(value)
    return value


# --- planning -----------------------------------------------------------------------------------


class _Planner:
    def __init__(self, organization: Organization, documents: list[Document], by: Any) -> None:
        self.organization = organization
        self.documents = documents
        self.plan = Plan(organization=organization, documents=documents)
        self.access: Access | None = None
        if by is not None:
            membership = (
                Membership.objects.filter(organization=organization, user=by)
                .select_related("user", "organization")
                .first()
            )
            if membership is None:
                raise PermissionDenied(
                    _("%(who)s is not a member of %(org)s.")
                    % {"who": getattr(by, "email", by), "org": organization.slug}
                )
            self.access = access_for(membership)

    def problem(self, document: Document, line: int | None, name: str, message: str) -> None:
        self.plan.problems.append(Problem(document.name, line, name, message))

    def change(self, document: Document, **kwargs: Any) -> Change:
        found = Change(path=document.name, **kwargs)
        self.plan.changes.append(found)
        return found

    # --- loading, in a fixed number of queries ---------------------------------------------------

    def load(self) -> None:
        org = self.organization
        self.units = list(Unit.objects.filter(organization=org))
        self.cycles = list(Cycle.objects.filter(organization=org))
        self.cycle_by_id = {c.id: c for c in self.cycles}
        self.unit_by_id = {u.id: u for u in self.units}
        self.target: dict[int, tuple[Cycle, Unit] | None] = {}
        for document in self.documents:
            self.target[id(document)] = self._where(document)
        self.plan.targets = {key: pair for key, pair in self.target.items() if pair}
        emails = {
            email
            for d in self.documents
            for o in d.objectives
            for email in [o.owner, *(kr.owner for kr in o.key_results)]
            if email
        }
        self.people: dict[str, Any] = {}
        if emails:
            for membership in (
                Membership.objects.filter(organization=org)
                .annotate(email_key=Lower("user__email"))
                .filter(email_key__in=emails)
                .select_related("user")
            ):
                self.people[membership.user.email.lower()] = membership.user
        codes = {o.code for d in self.documents for o in d.objectives if o.code}
        pairs = Q(pk__in=[])
        for pair in self.target.values():
            if pair is not None:
                pairs |= Q(cycle_id=pair[0].id, unit_id=pair[1].id)
        checkins = CheckIn.objects.filter(key_result=OuterRef("pk"))
        self.stored = list(
            Objective.objects.filter(organization=org)
            .filter(pairs | Q(code__in=codes))
            .select_related("lead")
            .prefetch_related(
                Prefetch(
                    "key_results",
                    queryset=KeyResult.objects.select_related("owner")
                    .annotate(has_checkins=Exists(checkins))
                    .order_by("order", "id"),
                ),
                Prefetch(
                    "parent_links",
                    queryset=Alignment.objects.select_related(
                        "parent_objective", "parent_key_result"
                    ).order_by("created_at", "id"),
                ),
            )
            .order_by("order", "created_at", "id")
        )
        for objective in self.stored:
            # Attach what is already loaded, so neither this plan nor the services that
            # apply it fetch them again one by one.
            objective.organization = org
            objective.cycle = self.cycle_by_id[objective.cycle_id]
            objective.unit = self.unit_by_id.get(objective.unit_id)  # type: ignore[arg-type]
            for kr in objective.key_results.all():
                kr.objective = objective
                kr.organization = org
            for alignment in objective.parent_links.all():
                alignment.child = objective
        self.by_code = {o.code: o for o in self.stored}
        self.kr_by_code = {kr.code: kr for o in self.stored for kr in o.key_results.all()}
        kr_codes = {
            kr.code
            for d in self.documents
            for o in d.objectives
            for kr in o.key_results
            if kr.code and kr.code not in self.kr_by_code
        }
        self.other_krs = (
            {
                kr.code: kr
                for kr in KeyResult.objects.filter(
                    organization=org, code__in=kr_codes
                ).select_related("objective")
            }
            if kr_codes
            else {}
        )
        parent_codes = {
            link.code for d in self.documents for o in d.objectives for link in o.aligned_to
        }
        self.parent_objectives: dict[str, Objective] = {}
        self.parent_krs: dict[str, KeyResult] = {}
        if parent_codes:
            for objective in Objective.objects.filter(organization=org, code__in=parent_codes):
                objective.cycle = self.cycle_by_id[objective.cycle_id]
                self.parent_objectives[objective.code] = objective
            for kr in KeyResult.objects.filter(
                organization=org, code__in=parent_codes
            ).select_related("objective"):
                kr.objective.cycle = self.cycle_by_id[kr.objective.cycle_id]
                self.parent_krs[kr.code] = kr

    def _where(self, document: Document) -> tuple[Cycle, Unit] | None:
        """The cycle and unit a file is about, by code or by name."""
        found = True
        if document.organization.lower() not in (
            self.organization.slug.lower(),
            self.organization.code,
        ):
            self.problem(
                document,
                document.line_of("organization"),
                "organization",
                _("this file is for “%(found)s”, not for %(org)s.")
                % {"found": document.organization, "org": self.organization.slug},
            )
            found = False
        wanted = document.cycle.strip()
        cycles = [c for c in self.cycles if c.code == wanted.lower()] or [
            c for c in self.cycles if c.name.casefold() == wanted.casefold()
        ]
        if not cycles:
            self.problem(
                document,
                document.line_of("cycle"),
                "cycle",
                _("no cycle has the code or name “%(value)s” in this organization.")
                % {"value": wanted},
            )
            found = False
        wanted = document.unit.strip()
        units = [u for u in self.units if u.code == wanted.lower()] or [
            u for u in self.units if u.name.casefold() == wanted.casefold()
        ]
        if not units:
            self.problem(
                document,
                document.line_of("unit"),
                "unit",
                _("no unit has the code or name “%(value)s” in this organization.")
                % {"value": wanted},
            )
            found = False
        elif len(units) > 1:
            self.problem(
                document,
                document.line_of("unit"),
                "unit",
                _("several units are called “%(value)s”; give the unit's code: %(codes)s.")
                % {"value": wanted, "codes": ", ".join(sorted(u.code for u in units))},
            )
            found = False
        if not found:
            return None
        unit = units[0]
        level = LEVEL_OF_UNIT[UnitKind(unit.kind)]
        if document.level is not None and document.level != level:
            self.problem(
                document,
                document.line_of("level"),
                "level",
                _("%(unit)s is a %(kind)s, so its objectives are %(level)s objectives.")
                % {"unit": unit.name, "kind": unit.get_kind_display().lower(), "level": level},
            )
        return cycles[0], unit

    # --- comparing -------------------------------------------------------------------------------

    def run(self) -> Plan:
        self.load()
        self._check_duplicates()
        listed: set[str] = set()
        for document in self.documents:
            pair = self.target[id(document)]
            if pair is None:
                continue
            for spec in document.objectives:
                if spec.code:
                    listed.add(spec.code)
        for document in self.documents:
            pair = self.target[id(document)]
            if pair is None:
                continue
            cycle, unit = pair
            before = len(self.plan.changes)
            for spec in document.objectives:
                self._objective(document, cycle, unit, spec)
            for objective in self.stored:
                if (
                    objective.cycle_id == cycle.id
                    and objective.unit_id == unit.id
                    and objective.state != ObjectiveState.CLOSED
                    and objective.code not in listed
                ):
                    self._archive(document, objective)
            if cycle.state == CycleState.CLOSED and len(self.plan.changes) > before:
                self.problem(
                    document,
                    document.line_of("cycle"),
                    "cycle",
                    _("the cycle “%(name)s” is closed; its OKRs no longer change.")
                    % {"name": cycle.name},
                )
        self.plan.changes.sort(key=lambda c: c.phase)
        return self.plan

    def _check_duplicates(self) -> None:
        seen_pairs: dict[tuple[int, int], Document] = {}
        seen_objectives: dict[str, str] = {}
        seen_krs: dict[str, str] = {}
        for document in self.documents:
            pair = self.target[id(document)]
            if pair is not None:
                key = (pair[0].id, pair[1].id)
                if key in seen_pairs:
                    self.problem(
                        document,
                        document.line_of("unit"),
                        "unit",
                        _("%(other)s already holds this unit's objectives for this cycle.")
                        % {"other": seen_pairs[key].name},
                    )
                    self.target[id(document)] = None
                else:
                    seen_pairs[key] = document
            for spec in document.objectives:
                if spec.code:
                    place = f"{document.name}:{spec.line_of('code')}"
                    if spec.code in seen_objectives:
                        self.problem(
                            document,
                            spec.line_of("code"),
                            "code",
                            _("the objective %(code)s is also listed at %(place)s.")
                            % {"code": spec.code, "place": seen_objectives[spec.code]},
                        )
                    seen_objectives.setdefault(spec.code, place)
                for kr in spec.key_results:
                    if kr.code:
                        place = f"{document.name}:{kr.line_of('code')}"
                        if kr.code in seen_krs:
                            self.problem(
                                document,
                                kr.line_of("code"),
                                "code",
                                _("the key result %(code)s is also listed at %(place)s.")
                                % {"code": kr.code, "place": seen_krs[kr.code]},
                            )
                        seen_krs.setdefault(kr.code, place)

    def _person(
        self, document: Document, email: str | None, line: int, unchanged: str | None = None
    ) -> Any:
        """The member with this email. A file that keeps the owner already stored is fine
        even when that person has left the organization since."""
        if email is None:
            return None
        person = self.people.get(email)
        if person is None and email != unchanged:
            self.problem(
                document,
                line,
                "owner",
                _("nobody in this organization signs in as %(email)s.") % {"email": email},
            )
        return person

    def _may(self, allowed: bool, document: Document, line: int, message: str) -> None:
        if self.access is not None and not allowed:
            self.problem(document, line, "", message)

    def _objective(self, document: Document, cycle: Cycle, unit: Unit, spec: ObjectiveSpec) -> None:
        stored: Objective | None = None
        if spec.code:
            stored = self.by_code.get(spec.code)
            if stored is None:
                self.problem(
                    document,
                    spec.line_of("code"),
                    "code",
                    _("no objective has the code %(code)s in this organization; remove the "
                      "line to create it anew.") % {"code": spec.code},
                )  # fmt: skip
                return
            if stored.unit_id is None:
                self.problem(
                    document,
                    spec.line_of("code"),
                    "code",
                    _("%(code)s is a personal-development objective; those are not kept in "
                      "unit files.") % {"code": spec.code},
                )  # fmt: skip
                return
            if stored.cycle_id != cycle.id:
                self.problem(
                    document,
                    spec.line_of("code"),
                    "code",
                    _("%(code)s belongs to the cycle “%(cycle)s”; objectives do not move "
                      "between cycles (carry it over instead).")
                    % {"code": spec.code, "cycle": stored.cycle.name},
                )  # fmt: skip
                return
        old_owner = stored.lead.email.lower() if stored and stored.lead else None
        lead = self._person(document, spec.owner, spec.line_of("owner"), old_owner)
        if stored is None:
            self._create(document, cycle, unit, spec, lead)
            return
        self._update(document, unit, spec, stored, lead)
        self._key_results(document, spec, stored)
        self._links(document, spec, stored)

    def _create(
        self, document: Document, cycle: Cycle, unit: Unit, spec: ObjectiveSpec, lead: Any
    ) -> None:
        self._may(
            self.access is not None and self.access.can_create_in_unit(unit.id, unit.kind),
            document,
            spec.line,
            _("you may not create objectives in %(unit)s.") % {"unit": unit.name},
        )

        def run(state: _Run) -> None:
            objective = objective_create(
                organization=self.organization,
                cycle=cycle,
                unit=unit,
                title=spec.title,
                description=spec.description,
                type=spec.type,
                visibility=spec.visibility,
                lead=lead,
                by=state.by,
            )
            state.created[id(spec)] = objective
            state.codes[id(spec)] = objective.code

        self.change(
            document,
            action="create",
            what="objective",
            title=spec.title,
            code="",
            line=spec.line,
            detail=unit.name,
            fields=self._objective_fields(spec, lead),
            run=run,
        )
        for kr in spec.key_results:
            if kr.code:
                self.problem(
                    document,
                    kr.line_of("code"),
                    "code",
                    _("a new objective's key results are new too; remove the code %(code)s.")
                    % {"code": kr.code},
                )
                continue
            self._kr_create(document, spec, kr, None)
        self._links(document, spec, None)

    def _objective_fields(self, spec: ObjectiveSpec, lead: Any) -> list[tuple[str, Any, Any]]:
        fields: list[tuple[str, Any, Any]] = [("type", None, spec.type)]
        if lead is not None:
            fields.append(("owner", None, spec.owner))
        return fields

    def _update(
        self, document: Document, unit: Unit, spec: ObjectiveSpec, stored: Objective, lead: Any
    ) -> None:
        changes: dict[str, Any] = {}
        shown_fields: list[tuple[str, Any, Any]] = []
        for name in ("title", "type", "visibility", "description"):
            old, new = getattr(stored, name), getattr(spec, name)
            if old != new:
                changes[name] = new
                shown_fields.append((name, old, new))
        old_owner = stored.lead.email.lower() if stored.lead is not None else None
        if spec.owner != old_owner and (lead is not None or spec.owner is None):
            changes["lead"] = lead
            shown_fields.append(("owner", old_owner, spec.owner))
        may_edit = self.access is not None and self.access.can_edit_objective(stored)
        if stored.unit_id != unit.id:
            old_unit = self.unit_by_id.get(stored.unit_id)  # type: ignore[arg-type]
            changes["unit"] = unit
            shown_fields.append(("unit", old_unit.name if old_unit else None, unit.name))
            level = LEVEL_OF_UNIT[UnitKind(unit.kind)]
            if level != stored.level:
                changes["level"] = level
            self._may(
                self.access is not None and self.access.can_create_in_unit(unit.id, unit.kind),
                document,
                spec.line,
                _("you may not move objectives into %(unit)s.") % {"unit": unit.name},
            )
        if changes:
            self._may(may_edit, document, spec.line, self._refusal(stored))
            version = stored.version

            def run(state: _Run) -> None:
                state.current[stored.pk] = objective_update(
                    objective=state.objective(stored), by=state.by, expected_version=version,
                    **changes,
                )  # fmt: skip

            self.change(
                document,
                action="update",
                what="objective",
                title=stored.title,
                code=stored.code,
                line=spec.line,
                fields=shown_fields,
                run=run,
            )
        if stored.state == ObjectiveState.CLOSED:
            self._may(may_edit, document, spec.line, self._refusal(stored))

            def reopen(state: _Run) -> None:
                objective_set_state(
                    objective=state.objective(stored), state=ObjectiveState.ACTIVE, by=state.by
                )

            self.change(
                document,
                action="reopen",
                what="objective",
                title=spec.title,
                code=stored.code,
                line=spec.line,
                fields=[("state", ObjectiveState.CLOSED.value, ObjectiveState.ACTIVE.value)],
                run=reopen,
            )

    def _refusal(self, objective: Objective) -> str:
        return _("you may not edit the objective %(code)s “%(title)s”.") % {
            "code": objective.code,
            "title": objective.title,
        }

    # --- key results -----------------------------------------------------------------------------

    def _kr_values(
        self, document: Document, kr: KeyResultSpec, unchanged: str | None = None
    ) -> dict[str, Any] | None:
        """The key result's fields, normalized and checked by the same rules the services use
        (so a milestone reads as 0 → 1 and a threshold has no start), or None after reporting
        what is wrong."""
        data: dict[str, Any] = {
            "title": kr.title,
            "description": kr.description,
            "kind": kr.kind,
            "start": kr.start,
            "target": kr.target,
            "unit_label": kr.unit_label,
            "value_format": kr.value_format,
            "currency": kr.currency,
            "decimals": kr.decimals,
            "weight": kr.weight,
            "aspirational": kr.aspirational,
            "owner": None,  # resolved from the email; checked against the members there
        }
        errors = Errors()
        _check_key_result(errors, self.organization, data)
        file_name = {model: name for name, model in KR_FIELDS}
        for name, messages in errors.fields.items():
            key = file_name.get(name, name)
            for message in messages:
                self.problem(document, kr.line_of(key), key, message)
        data["owner"] = self._person(document, kr.owner, kr.line_of("owner"), unchanged)
        return None if errors else data

    def _kr_create(
        self,
        document: Document,
        spec: ObjectiveSpec,
        kr: KeyResultSpec,
        stored: Objective | None,
    ) -> None:
        data = self._kr_values(document, kr)
        if data is None:
            return

        def run(state: _Run) -> None:
            objective = state.objective(stored) if stored else state.created[id(spec)]
            created = key_result_create(objective=objective, by=state.by, **data)
            state.codes[id(kr)] = created.code

        fields = [
            (name, None, kr.owner if name == "owner" else data[model])
            for name, model in KR_FIELDS
            if name in ("kind", "start", "target", "unit_label", "owner")
            and data[model] not in (None, "")
        ]
        self.change(
            document,
            action="create",
            what="key_result",
            title=kr.title,
            code="",
            line=kr.line,
            detail=spec.title,
            fields=fields,
            run=run,
        )

    def _key_results(self, document: Document, spec: ObjectiveSpec, stored: Objective) -> None:
        may_edit = self.access is not None and self.access.can_edit_objective(stored)
        listed = set()
        for kr in spec.key_results:
            if not kr.code:
                self._may(may_edit, document, kr.line, self._refusal(stored))
                self._kr_create(document, spec, kr, stored)
                continue
            listed.add(kr.code)
            found = self.kr_by_code.get(kr.code)
            if found is None or found.objective_id != stored.pk:
                other = self.other_krs.get(kr.code) or found
                self.problem(
                    document,
                    kr.line_of("code"),
                    "code",
                    _("the key result %(code)s belongs to the objective %(other)s; key results "
                      "do not move between objectives.")
                    % {"code": kr.code, "other": other.objective.code}
                    if other is not None
                    else _("no key result has the code %(code)s in this organization; remove "
                           "the line to create it anew.") % {"code": kr.code},
                )  # fmt: skip
                continue
            self._kr_update(document, stored, kr, found, may_edit)
        for found in stored.key_results.all():
            if found.code in listed:
                continue
            if found.has_checkins:  # type: ignore[attr-defined]
                self.problem(
                    document,
                    spec.line_of("key_results"),
                    "key_results",
                    _("the key result %(code)s “%(title)s” has check-ins, so it is kept; put "
                      "it back in the file (set its weight to 0 to stop it counting).")
                    % {"code": found.code, "title": found.title},
                )  # fmt: skip
                continue
            self._may(may_edit, document, spec.line, self._refusal(stored))

            def delete(state: _Run, found: KeyResult = found) -> None:
                key_result_delete(key_result=found, by=state.by)

            self.change(
                document,
                action="delete",
                what="key_result",
                title=found.title,
                code=found.code,
                line=spec.line_of("key_results"),
                detail=stored.title,
                run=delete,
            )

    def _kr_update(
        self,
        document: Document,
        stored: Objective,
        kr: KeyResultSpec,
        found: KeyResult,
        may_edit: bool,
    ) -> None:
        data = self._kr_values(
            document, kr, found.owner.email.lower() if found.owner is not None else None
        )
        if data is None:
            return
        changes: dict[str, Any] = {}
        fields: list[tuple[str, Any, Any]] = []
        for name, model in KR_FIELDS:
            old, new = getattr(found, model), data[model]
            if model == "owner":
                old_email = old.email.lower() if old is not None else None
                if old_email != kr.owner and (new is not None or kr.owner is None):
                    changes[model] = new
                    fields.append((name, old_email, kr.owner))
            elif old != new:
                changes[model] = new
                fields.append((name, old, new))
        if not changes:
            return
        self._may(may_edit, document, kr.line, self._refusal(stored))
        version = found.version

        def run(state: _Run) -> None:
            key_result_update(key_result=found, by=state.by, expected_version=version, **changes)

        self.change(
            document,
            action="update",
            what="key_result",
            title=found.title,
            code=found.code,
            line=kr.line,
            detail=stored.title,
            fields=fields,
            run=run,
        )

    # --- alignment -------------------------------------------------------------------------------

    def _links(self, document: Document, spec: ObjectiveSpec, stored: Objective | None) -> None:
        cycle = self.target[id(document)][0]  # type: ignore[index]
        may_edit = (
            self.access is not None and self.access.can_edit_objective(stored)
            if stored is not None
            else True  # creating it was checked already
        )
        existing: dict[tuple[str, str], Alignment] = {}
        if stored is not None:
            for alignment in stored.parent_links.all():
                parent = alignment.parent_objective or alignment.parent_key_result
                kind = "objective" if alignment.parent_objective_id else "key_result"
                existing[(kind, parent.code)] = alignment  # type: ignore[union-attr]
        wanted: set[tuple[str, str]] = set()
        for link in spec.aligned_to:
            resolved = self._parent(document, spec, stored, link, cycle)
            if resolved is None:
                continue
            kind, parent = resolved
            key = (kind, link.code)
            if key in wanted:
                self.problem(
                    document,
                    link.line,
                    "aligned_to",
                    _("%(code)s is listed twice.") % {"code": link.code},
                )
                continue
            wanted.add(key)
            current = existing.get(key)
            if current is not None and current.weight == link.weight:
                continue
            if self.access is not None:
                parent_objective = parent if kind == "objective" else parent.objective
                self._may(
                    self.access.can_view_objective(parent_objective),
                    document,
                    link.line,
                    _("no objective or key result has the code %(code)s in this organization.")
                    % {"code": link.code},
                )
            self._may(may_edit, document, link.line, self._refusal(stored) if stored else "")
            if current is not None:
                self._unlink(document, current, link.line)
            self._link(document, spec, stored, kind, parent, link, current)
        for key, current in existing.items():
            if key not in wanted:
                self._may(may_edit, document, spec.line, self._refusal(stored))  # type: ignore[arg-type]
                self._unlink(document, current, spec.line_of("aligned_to"))

    def _parent(
        self,
        document: Document,
        spec: ObjectiveSpec,
        stored: Objective | None,
        link: Link,
        cycle: Cycle,
    ) -> tuple[str, Any] | None:
        objective = self.parent_objectives.get(link.code)
        kr = self.parent_krs.get(link.code) if objective is None else None
        if objective is None and kr is None:
            self.problem(
                document,
                link.line,
                "aligned_to",
                _("no objective or key result has the code %(code)s in this organization.")
                % {"code": link.code},
            )
            return None
        owner = objective if objective is not None else kr.objective  # type: ignore[union-attr]
        if stored is not None and owner.pk == stored.pk:
            self.problem(
                document,
                link.line,
                "aligned_to",
                _("an objective cannot contribute to itself or to its own key results."),
            )
            return None
        parent_cycle = self.cycle_by_id[owner.cycle_id]
        if parent_cycle.start > cycle.start or parent_cycle.end < cycle.end:
            self.problem(
                document,
                link.line,
                "aligned_to",
                _("%(code)s is in the cycle “%(cycle)s”; align to an objective of the same "
                  "cycle or of a cycle that contains it.")
                % {"code": link.code, "cycle": parent_cycle.name},
            )  # fmt: skip
            return None
        if objective is not None:
            return "objective", objective
        return "key_result", kr

    def _link(
        self,
        document: Document,
        spec: ObjectiveSpec,
        stored: Objective | None,
        kind: str,
        parent: Any,
        link: Link,
        current: Alignment | None,
    ) -> None:
        def run(state: _Run) -> None:
            child = state.objective(stored) if stored is not None else state.created[id(spec)]
            alignment_link(
                child=child,
                by=state.by,
                parent_objective=parent if kind == "objective" else None,
                parent_key_result=parent if kind == "key_result" else None,
                weight=link.weight,
            )

        self.change(
            document,
            action="link",
            what="alignment",
            title=spec.title,
            code=stored.code if stored is not None else "",
            line=link.line,
            detail=f"{parent.code} “{parent.title}”",
            fields=[("weight", current.weight if current is not None else None, link.weight)],
            run=run,
        )

    def _unlink(self, document: Document, current: Alignment, line: int) -> None:
        parent = current.parent_objective or current.parent_key_result

        def run(state: _Run) -> None:
            alignment_unlink(link=current, by=state.by)

        self.change(
            document,
            action="unlink",
            what="alignment",
            title=current.child.title,
            code=current.child.code,
            line=line,
            detail=f"{parent.code} “{parent.title}”",  # type: ignore[union-attr]
            run=run,
        )

    def _archive(self, document: Document, objective: Objective) -> None:
        self._may(
            self.access is not None and self.access.can_edit_objective(objective),
            document,
            document.line_of("objectives"),
            self._refusal(objective),
        )

        def run(state: _Run) -> None:
            current = state.objective(objective)
            for step in ARCHIVE_PATH[ObjectiveState(current.state)]:
                objective_set_state(objective=current, state=step, by=state.by, may_approve=True)

        self.change(
            document,
            action="archive",
            what="objective",
            title=objective.title,
            code=objective.code,
            line=document.line_of("objectives"),
            fields=[("state", objective.state, ObjectiveState.CLOSED.value)],
            run=run,
        )


def plan(organization: Organization, documents: list[Document], *, by: Any = None) -> Plan:
    """Compare the files with what is stored. With `by`, every change is also checked against
    what that person may do (the same rules as the web); refusals are problems of the plan."""
    return _Planner(organization, documents, by).run()


# --- applying -----------------------------------------------------------------------------------


@dataclass
class _Run:
    """What apply knows while it runs: who acts, the objectives it created (by the id of their
    spec), the latest copy of objectives it changed, and the codes to write back."""

    by: Any
    created: dict[int, Objective] = field(default_factory=dict)
    current: dict[int, Objective] = field(default_factory=dict)
    codes: dict[int, str] = field(default_factory=dict)

    def objective(self, stored: Objective) -> Objective:
        return self.current.setdefault(stored.pk, stored)


def _place(change: Change, error: ValidationError) -> list[Problem]:
    return [
        Problem(change.path, change.line, "" if name == "__all__" else name, message)
        for name, messages in error_dict(error).items()
        for message in messages
    ]


def apply(plan: Plan, by: Any) -> Applied:
    """Carry out the plan in one transaction (all or nothing) as `by`, then write the codes of
    what was created into the files. Raises PlanError, changing nothing, when the plan has
    problems or a service refuses a change."""
    if plan.problems:
        raise PlanError(plan.problems)
    if plan.empty:
        return Applied(changes=[], written=[])
    creating = {c.path for c in plan.changes if c.action == "create" and c.what != "alignment"}
    unwritable = [
        Problem(d.name, None, "", _("the file cannot be written, so the new codes would be lost."))
        for d in plan.documents
        if d.name in creating
        and not (os.access(d.path, os.W_OK) and os.access(d.path.parent or Path("."), os.W_OK))
    ]
    if unwritable:
        raise PlanError(unwritable)
    state = _Run(by=by)
    texts: dict[Path, str] = {}
    with transaction.atomic():
        for change in plan.changes:
            assert change.run is not None
            try:
                change.run(state)
            except ValidationError as error:
                raise PlanError(_place(change, error)) from None
        for document in plan.documents:
            text = _written_back(plan, document, state.codes)
            if text is not None:
                texts[document.path] = text
    for path, text in texts.items():
        write_text(path, text)
    return Applied(changes=plan.changes, written=list(texts))


def _written_back(plan: Plan, document: Document, codes: dict[int, str]) -> str | None:
    """The new text of a file that gained codes: the file as written plus the code lines, when
    that reads back to the same objectives; otherwise the canonical export of its unit."""
    ours = {
        id(spec): codes[id(spec)]
        for objective in document.objectives
        for spec in [objective, *objective.key_results]
        if id(spec) in codes
    }
    if not ours:
        return None
    text = with_codes(document, ours)
    if text is not None and _same_with_codes(document, text, ours):
        return text
    cycle, unit = plan.targets[id(document)]
    objectives = [o for o in stored_objectives(plan.organization, [cycle]) if o.unit_id == unit.id]
    return render(plan.organization, cycle, unit, objectives)


def _same_with_codes(document: Document, text: str, codes: dict[int, str]) -> bool:
    try:
        again = parse_document(text, document.path)
    except FileProblems:
        return False
    if len(again.objectives) != len(document.objectives):
        return False
    for before, after in zip(document.objectives, again.objectives, strict=True):
        if after.code != codes.get(id(before), before.code) or after.title != before.title:
            return False
        if len(after.key_results) != len(before.key_results):
            return False
        for kr_before, kr_after in zip(before.key_results, after.key_results, strict=True):
            if kr_after.code != codes.get(id(kr_before), kr_before.code):
                return False
            if kr_after.title != kr_before.title:
                return False
    return True
