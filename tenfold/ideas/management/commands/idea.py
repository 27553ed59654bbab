"""tenfold idea: list the ideas board, add an idea, vote, and turn an idea into a draft
objective, from the shell.

Everything runs as the person given with `--as`, through the same selectors and services as the
web pages, so the command may do exactly what that person may do there."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from tenfold.okrs.models import Cycle, CycleState
from tenfold.organizations.cli import access_of, error_message
from tenfold.organizations.models import Unit
from tenfold.organizations.permissions import Access

from ... import services
from ...models import Idea, IdeaStatus, Question
from ...selectors import SORTS, STATUSES, Filters, default_cycle, get_idea, idea_data, ideas_for

NO_CYCLE = "none"


class Command(BaseCommand):
    help = "List the ideas board, add an idea, vote for one, or turn one into a draft objective."

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

        listing = actions.add_parser(
            "list", parents=[who], help="Ideas of the board, most votes first."
        )
        listing.add_argument("--json", action="store_true", help="Print JSON instead of text.")
        listing.add_argument(
            "--sort", choices=SORTS, default="votes", help="votes (default) or new."
        )
        listing.add_argument(
            "--status",
            choices=[str(s) for s in STATUSES],
            default=IdeaStatus.OPEN.value,
            help="open (default), promoted or archived.",
        )
        listing.add_argument(
            "--question", choices=Question.values, help="Only ideas answering this question."
        )
        listing.add_argument("--unit", metavar="UNIT", help="Only ideas for this unit.")
        listing.add_argument("--cycle", metavar="CYCLE", help="Only ideas for this cycle.")

        add = actions.add_parser("add", parents=[who], help="Add an idea to the board.")
        add.add_argument("text", metavar="TEXT", help="The idea, in a sentence or two.")
        add.add_argument(
            "--question",
            required=True,
            choices=Question.values,
            help="Which question it answers: "
            + "; ".join(f"{value} = {label}" for value, label in Question.choices),
        )
        add.add_argument("--details", default="", help="The why, an example, a first step.")
        add.add_argument("--unit", metavar="UNIT", help="The unit it is for (code or name).")
        add.add_argument(
            "--cycle",
            metavar="CYCLE",
            help="The cycle it is for (code or name; `none` for no particular cycle). "
            "Default: the next cycle in planning, else the active one.",
        )

        vote = actions.add_parser("vote", parents=[who], help="Vote for an idea.")
        vote.add_argument("code", metavar="CODE", help="The idea's code (`tenfold idea list`).")
        vote.add_argument("--remove", action="store_true", help="Take your vote back instead.")

        promote = actions.add_parser(
            "promote", parents=[who], help="Turn an idea into a draft objective."
        )
        promote.add_argument("code", metavar="CODE", help="The idea's code (`tenfold idea list`).")
        promote.add_argument(
            "--unit", required=True, metavar="UNIT", help="The unit the objective is for."
        )
        promote.add_argument(
            "--cycle",
            metavar="CYCLE",
            help="The cycle (code or name). Default: the idea's cycle while it is open, else "
            "the next cycle in planning or the active one.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        access = access_of(options["email"], options.get("org"))
        action = options["action"]
        try:
            if action == "list":
                self.list(access, options)
            elif action == "add":
                self.add(access, options)
            elif action == "vote":
                self.vote(access, options)
            else:
                self.promote(access, options)
        except ValidationError as error:
            raise CommandError(error_message(error)) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error

    # --- lookups ------------------------------------------------------------------------------

    def _idea(self, access: Access, code: str) -> Idea:
        try:
            return get_idea(access, code)
        except Http404:
            raise CommandError(
                _("No idea has the code “%(code)s” here (`tenfold idea list` shows them).")
                % {"code": code}
            ) from None

    def _unit(self, access: Access, wanted: str | None) -> Unit | None:
        if not wanted:
            return None
        organization = access.membership.organization
        wanted = wanted.strip()
        unit = (
            Unit.objects.filter(organization=organization)
            .filter(Q(code=wanted.lower()) | Q(name__iexact=wanted))
            .first()
        )
        if unit is None:
            raise CommandError(_("No unit is called or coded “%(unit)s” here.") % {"unit": wanted})
        return unit

    def _cycle(self, access: Access, wanted: str | None) -> Cycle | None:
        if not wanted:
            return None
        organization = access.membership.organization
        wanted = wanted.strip()
        cycle = (
            Cycle.objects.filter(organization=organization)
            .filter(Q(code=wanted.lower()) | Q(name__iexact=wanted))
            .first()
        )
        if cycle is None:
            raise CommandError(
                _("No cycle is called or coded “%(cycle)s” here.") % {"cycle": wanted}
            )
        return cycle

    # --- actions ------------------------------------------------------------------------------

    def list(self, access: Access, options: dict[str, Any]) -> None:
        filters = Filters(
            sort=options["sort"],
            status=options["status"],
            question=options.get("question") or "",
            unit=self._unit(access, options.get("unit")),
            cycle=self._cycle(access, options.get("cycle")),
        )
        ideas = ideas_for(access, filters)
        if options["json"]:
            data = [idea_data(access, idea) for idea in ideas]
            self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
            return
        if not ideas:
            self.stdout.write(_("No ideas here yet."))
            return
        for value, label in Question.choices:
            rows = [idea for idea in ideas if idea.question == value]
            if not rows:
                continue
            self.stdout.write(str(label))
            for idea in rows:
                mine = "*" if getattr(idea, "voted", False) else " "
                self.stdout.write(
                    f"  {idea.code} {idea.vote_count:>3}{mine} {' '.join(idea.text.split())[:90]}"
                )
                details = [idea.author.display_name if idea.author else _("a former member")]
                if idea.unit:
                    details.append(idea.unit.name)
                if idea.cycle:
                    details.append(idea.cycle.name)
                comments = getattr(idea, "comment_total", 0)
                details.append(_("%(n)d comments") % {"n": comments})
                self.stdout.write("                 " + " · ".join(details))
        self.stdout.write(_("* marks the ideas you voted for."))

    def add(self, access: Access, options: dict[str, Any]) -> None:
        cycle: Any = services.DEFAULT
        wanted = options.get("cycle")
        if wanted:
            cycle = None if wanted.strip().lower() == NO_CYCLE else self._cycle(access, wanted)
        idea = services.idea_add(
            access=access,
            question=options["question"],
            text=options["text"],
            details=options["details"],
            unit=self._unit(access, options.get("unit")),
            cycle=cycle,
        )
        where = idea.cycle.name if idea.cycle else _("no particular cycle")
        self.stdout.write(
            _("Added idea %(code)s (%(cycle)s). Others can now comment on it and vote.")
            % {"code": idea.code, "cycle": where}
        )

    def vote(self, access: Access, options: dict[str, Any]) -> None:
        idea = self._idea(access, options["code"])
        if options["remove"]:
            idea = services.vote_remove(access=access, idea=idea)
            message = _("Vote taken back: %(n)d votes now.")
        else:
            idea = services.vote_add(access=access, idea=idea)
            message = _("Voted: %(n)d votes now.")
        self.stdout.write(message % {"n": idea.vote_count})

    def promote(self, access: Access, options: dict[str, Any]) -> None:
        idea = self._idea(access, options["code"])
        unit = self._unit(access, options["unit"])
        cycle = self._cycle(access, options.get("cycle"))
        if cycle is None and not options.get("cycle"):
            if idea.cycle is not None and idea.cycle.state != CycleState.CLOSED:
                cycle = idea.cycle
            else:
                cycle = default_cycle(access.membership.organization)
        objective = services.idea_promote(access=access, idea=idea, unit=unit, cycle=cycle)
        self.stdout.write(
            _("Draft objective %(code)s written for %(unit)s in %(cycle)s: “%(title)s”.")
            % {
                "code": objective.code,
                "unit": objective.unit.name if objective.unit else "",
                "cycle": objective.cycle.name,
                "title": objective.title,
            }
        )
        self.stdout.write(_("Rewrite it, add key results, then propose it on the web."))
