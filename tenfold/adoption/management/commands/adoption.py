"""tenfold adoption: the adoption programme from the shell — show it, set the rollout shape,
tick checklist steps off or open them again, and open, reset or delete one's sandbox.

Everything runs as the person given with `--as`, through the same selectors and services as the
adoption page, so the command may do exactly what that person may do there."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.utils.translation import gettext as _

from tenfold.organizations.cli import access_of, error_message
from tenfold.organizations.models import Unit, UnitKind
from tenfold.organizations.permissions import Access

from ...models import ChecklistItem
from ...policy import SHAPES
from ...selectors import (
    can_manage,
    can_tick,
    can_use_sandbox,
    checklist,
    first_cycle_policy,
    get_item,
    programme_data,
    sandbox_for_org,
    target_cycle,
)
from ...services import (
    checklist_ensure,
    item_set_done,
    programme_set_shape,
    sandbox_delete,
    sandbox_open,
    sandbox_reset,
)
from ...steps import SHAPE_TEXTS


class Command(BaseCommand):
    help = (
        "Show the adoption programme and its checklist, set the rollout shape, tick steps off, "
        "or open, reset and delete your sandbox."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        who = CommandParser(add_help=False)
        who.add_argument(
            "--as",
            dest="email",
            required=True,
            metavar="EMAIL",
            help="Email of the person running the command.",
        )
        who.add_argument(
            "--org",
            metavar="SLUG",
            help="The organization's address (default: the person's only organization).",
        )
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        show = actions.add_parser(
            "show", parents=[who], help="The rollout shape, first-cycle rules and checklist."
        )
        show.add_argument("--json", action="store_true", help="Print JSON instead of text.")
        shape = actions.add_parser("shape", parents=[who], help="Set the rollout shape (admins).")
        shape.add_argument("shape", choices=SHAPES, help="pilot, leads or everyone.")
        shape.add_argument(
            "--pilot",
            metavar="TEAM",
            help="The pilot team's code or name (for the pilot shape).",
        )
        for name, text in (
            ("check", "Mark a checklist step done (admins and the step's owner)."),
            ("uncheck", "Mark a checklist step not done (admins and the step's owner)."),
        ):
            tick = actions.add_parser(name, parents=[who], help=text)
            tick.add_argument("code", metavar="CODE", help="The step's code (`adoption show`).")
        sandbox = actions.add_parser(
            "sandbox", parents=[who], help="Open, reset or delete your sandbox (leads, admins)."
        )
        sandbox.add_argument("what", choices=("open", "reset", "delete"))

    def handle(self, *args: Any, **options: Any) -> None:
        access = access_of(options["email"], options.get("org"))
        action = options["action"]
        try:
            if action == "show":
                self.show(access, options["json"])
            elif action == "shape":
                self.shape(access, options["shape"], options.get("pilot"))
            elif action in ("check", "uncheck"):
                self.tick(access, options["code"], action == "check")
            else:
                self.sandbox(access, options["what"])
        except ValidationError as error:
            raise CommandError(error_message(error)) from error

    def _print_json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))

    def show(self, access: Access, as_json: bool) -> None:
        organization = access.membership.organization
        user = access.membership.user
        programme = checklist_ensure(organization=organization, by=user)
        steps = checklist(access, organization, programme, target_cycle(organization, programme))
        policy = first_cycle_policy(organization)
        if as_json:
            self._print_json(programme_data(organization, programme, policy, steps))
            return
        shape = SHAPE_TEXTS[organization.rollout]
        line = _("Rollout: %(shape)s") % {"shape": shape.name}
        if organization.rollout == "pilot":
            pilot = programme.pilot_unit
            line += " — " + (
                _("pilot team: %(team)s") % {"team": pilot.name}
                if pilot
                else _("no pilot team chosen yet")
            )
        self.stdout.write(line)
        if policy.first_cycle:
            self.stdout.write(
                _(
                    "First cycle: one committed objective per team, no aspirational OKRs, "
                    "alignment can wait."
                )
            )
        else:
            self.stdout.write(
                _("Usual rules: up to %(n)d objectives per team, aspirational OKRs allowed.")
                % {"n": policy.max_objectives_per_team}
            )
        if programme.first_cycle is not None:
            cycle = programme.first_cycle
            self.stdout.write(
                _("Short first cycle: %(name)s, %(start)s to %(end)s")
                % {"name": cycle.name, "start": cycle.start, "end": cycle.end}
            )
        self.stdout.write(
            _("Checklist: %(done)d of %(total)d done") % {"done": steps.done, "total": steps.total}
            + (_(", %(n)d overdue") % {"n": steps.overdue} if steps.overdue else "")
        )
        for row in steps.rows:
            item = row.item
            mark = "[x]" if item.is_done else "[ ]"
            details = [item.owner.display_name if item.owner else _("no owner")]
            if item.due:
                details.append(_("due %(day)s") % {"day": item.due.isoformat()})
            if row.overdue:
                details.append(_("OVERDUE"))
            self.stdout.write(f"  {mark} {item.code}  {row.title} ({', '.join(details)})")

    def shape(self, access: Access, shape: str, pilot: str | None) -> None:
        if not can_manage(access):
            raise CommandError(_("Only owners and admins change the rollout shape."))
        organization = access.membership.organization
        unit = None
        if pilot:
            teams = Unit.objects.filter(organization=organization, kind=UnitKind.TEAM)
            unit = (
                teams.filter(code=pilot.strip().lower()).first()
                or teams.filter(name__iexact=pilot.strip()).first()
            )
            if unit is None:
                raise CommandError(
                    _("No team here has the code or name “%(team)s”.") % {"team": pilot}
                )
        programme = programme_set_shape(
            organization=organization, shape=shape, pilot_unit=unit, by=access.membership.user
        )
        text = _("Rollout shape: %(shape)s.") % {"shape": SHAPE_TEXTS[shape].name}
        if programme.pilot_unit is not None and shape == "pilot":
            text += " " + _("Pilot team: %(team)s.") % {"team": programme.pilot_unit.name}
        self.stdout.write(text)

    def _item(self, access: Access, code: str) -> ChecklistItem:
        try:
            return get_item(access.membership.organization, code)
        except Http404:
            raise CommandError(
                _("No checklist step has the code “%(code)s” here (`adoption show` lists them).")
                % {"code": code}
            ) from None

    def tick(self, access: Access, code: str, done: bool) -> None:
        item = self._item(access, code)
        if not can_tick(access, item):
            raise CommandError(_("Only admins and the step's owner tick it off."))
        item_set_done(item=item, done=done, by=access.membership.user)
        organization = access.membership.organization
        programme = item.programme
        programme.organization = organization
        steps = checklist(access, organization, programme, None)
        title = next((row.title for row in steps.rows if row.item.pk == item.pk), item.code)
        self.stdout.write(
            (_("Done: %(title)s") if done else _("Not done: %(title)s")) % {"title": title}
        )
        self.stdout.write(
            _("Checklist: %(done)d of %(total)d done") % {"done": steps.done, "total": steps.total}
        )

    def sandbox(self, access: Access, what: str) -> None:
        if not can_use_sandbox(access):
            raise CommandError(_("Team leads and admins try Tenfold in a sandbox."))
        person = access.membership.user
        organization = access.membership.organization
        if what == "open":
            home = None if sandbox_for_org(organization) else organization
            sandbox, built = sandbox_open(person=person, home=home)
            if built:
                self.stdout.write(
                    _("Built your sandbox in %(seconds).1f s: /%(slug)s/")
                    % {"seconds": sandbox.build_seconds, "slug": sandbox.organization.slug}
                )
            else:
                self.stdout.write(
                    _("Your sandbox is at /%(slug)s/") % {"slug": sandbox.organization.slug}
                )
        elif what == "reset":
            rebuilt = sandbox_reset(person=person)
            if rebuilt is None:
                raise CommandError(_("You have no sandbox to reset."))
            self.stdout.write(
                _("Rebuilt your sandbox in %(seconds).1f s: /%(slug)s/")
                % {"seconds": rebuilt.build_seconds, "slug": rebuilt.organization.slug}
            )
        else:
            if not sandbox_delete(person=person):
                raise CommandError(_("You have no sandbox to delete."))
            self.stdout.write(_("Deleted your sandbox and its made-up people."))
