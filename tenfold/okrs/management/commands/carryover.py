"""tenfold carryover: carry objectives of one cycle into the next from the command line."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenfold.accounts.models import User
from tenfold.okrs.carryover import (
    Selection,
    carried_copies,
    carry_over_objectives,
    carry_over_plan,
)
from tenfold.okrs.models import Cycle, Objective
from tenfold.okrs.selectors import visible_objectives
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import Access, access_for
from tenfold.web.templatetags.tenfold import kr_value

from .checkin import error_message


class Command(BaseCommand):
    help = (
        "Carry objectives of one cycle, with their key results, into another: each copy links "
        "back to its original and each key result starts at the value it ended at."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from", dest="source", required=True, metavar="CYCLE",
            help="The cycle to carry from: its code, or its name (e.g. “Q4 2026”).",
        )  # fmt: skip
        parser.add_argument(
            "--to", dest="target", required=True, metavar="CYCLE",
            help="The cycle to carry into, being planned or active: its code or its name.",
        )  # fmt: skip
        parser.add_argument(
            "--objective", dest="objectives", action="append", default=[], metavar="CODE",
            help="An objective to carry (repeat for several). Its key results go with it, "
            "except those that reached their target.",
        )  # fmt: skip
        parser.add_argument(
            "--all", action="store_true",
            help="Carry every objective of the cycle that you may edit and that is not "
            "carried into the target yet.",
        )  # fmt: skip
        parser.add_argument(
            "--as", dest="email", required=True, metavar="EMAIL",
            help="Email of the person carrying the objectives over.",
        )  # fmt: skip
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be created; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["objectives"]) == bool(options["all"]):
            raise CommandError(_("Name objectives with --objective, or pass --all (not both)."))
        user = User.objects.filter(email=options["email"].strip().lower()).first()
        if user is None:
            raise CommandError(_("Nobody has the email %(email)s.") % {"email": options["email"]})
        source = self._cycle(options["source"], user, None)
        target = self._cycle(options["target"], user, source)
        membership = Membership.objects.select_related("organization").get(
            organization_id=source.organization_id, user=user
        )
        access = access_for(membership)
        source.organization = membership.organization
        selections = self._selections(options, access, source, target)
        try:
            if options["dry_run"]:
                plan = carry_over_plan(
                    source_cycle=source, target_cycle=target, selections=selections, access=access
                )
                for item in plan.objectives:
                    self.stdout.write(
                        _("Would carry “%(title)s” into %(cycle)s.")
                        % {"title": item.original.title, "cycle": target.name}
                    )
                    for planned in item.key_results:
                        self._kr_line(planned.original, planned.start, planned.current)
                    self._left_behind(item.left_behind, item.dropped_links)
                self.stdout.write(_("Dry run: nothing was written."))
                return
            results = carry_over_objectives(
                source_cycle=source,
                target_cycle=target,
                selections=selections,
                by=user,
                access=access,
            )
        except ValidationError as error:
            raise CommandError(error_message(error)) from error
        except PermissionDenied as error:
            raise CommandError(str(error) or _("You may not do that.")) from error
        for result in results:
            self.stdout.write(
                _("Carried “%(title)s” into %(cycle)s as %(code)s (%(state)s).")
                % {
                    "title": result.copy.title,
                    "cycle": target.name,
                    "code": result.copy.code,
                    "state": result.copy.get_state_display(),
                }
            )
            for _original, copy in result.key_results:
                self._kr_line(copy, copy.start, copy.current, code=copy.code)
            self._left_behind(result.left_behind, result.dropped_links)

    def _cycle(self, text: str, user: Any, source: Cycle | None) -> Cycle:
        """A cycle by code, or by name among the person's organizations (the source's
        organization, for the target)."""
        text = text.strip()
        org_ids = list(
            Membership.objects.filter(user=user).values_list("organization_id", flat=True)
        )
        if source is not None:
            org_ids = [source.organization_id]
        cycles = Cycle.objects.filter(organization_id__in=org_ids)
        found = cycles.filter(code=text.lower()).first()
        if found is not None:
            return found
        named = list(cycles.filter(name=text))
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            raise CommandError(
                _("Several of your organizations have a cycle “%(name)s”; give its code.")
                % {"name": text}
            )
        if source is not None:
            raise CommandError(
                _("%(org)s has no cycle “%(name)s”.")
                % {"org": source.organization.name, "name": text}
            )
        raise CommandError(_("None of your organizations has a cycle “%(name)s”.") % {"name": text})

    def _selections(
        self, options: dict[str, Any], access: Access, source: Cycle, target: Cycle
    ) -> list[Selection]:
        objectives = (
            visible_objectives(access)
            .filter(cycle=source)
            .select_related("organization", "unit", "lead", "owner_person", "cycle")
        )
        if not options["all"]:
            codes = [code.strip().lower() for code in options["objectives"]]
            found = {o.code: o for o in objectives.filter(code__in=codes)}
            missing = [code for code in codes if code not in found]
            if missing:
                raise CommandError(
                    _("%(cycle)s has no objective with the code %(codes)s.")
                    % {"cycle": source.name, "codes": ", ".join(missing)}
                )
            return [Selection(found[code]) for code in dict.fromkeys(codes)]
        chosen: list[Objective] = []
        every = list(objectives.order_by("unit__order", "order", "id"))
        copies = carried_copies(o.id for o in every)
        for objective in every:
            if not access.can_edit_objective(objective):
                self.stdout.write(
                    _("Skipped “%(title)s”: you may not edit it.") % {"title": objective.title}
                )
            elif any(copy.cycle_id == target.pk for copy in copies.get(objective.id, [])):
                self.stdout.write(
                    _("Skipped “%(title)s”: already carried into %(cycle)s.")
                    % {"title": objective.title, "cycle": target.name}
                )
            else:
                chosen.append(objective)
        if not chosen:
            raise CommandError(_("Nothing to carry: no objective of the cycle is left for you."))
        return [Selection(objective) for objective in chosen]

    def _kr_line(self, kr: Any, start: Any, current: Any, code: str = "") -> None:
        if kr.kind in ("keep_above", "keep_below"):
            text = _("holds %(target)s") % {"target": kr_value(kr, "target")}
            if current is not None:
                text += "; " + _("now %(value)s") % {"value": kr_value(kr, current)}
        elif kr.kind == "milestone":
            text = _("milestone")
        else:
            text = _("from %(start)s to %(target)s") % {
                "start": kr_value(kr, start),
                "target": kr_value(kr, "target"),
            }
        prefix = f"{code} " if code else ""
        self.stdout.write(f"  - {prefix}{kr.title}: {text}")

    def _left_behind(self, key_results: list[Any], links: list[str]) -> None:
        for kr in key_results:
            self.stdout.write(
                "  " + _("Stays behind, target reached: %(title)s") % {"title": kr.title}
            )
        for title in links:
            self.stdout.write(
                "  "
                + _("Alignment to “%(title)s” stays behind: it is not carried.") % {"title": title}
            )
