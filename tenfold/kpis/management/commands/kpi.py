"""tenfold kpi: list KPIs, show one with its history, and record a value from the shell.

Everything runs as the person given with `--as`, through the same selectors and services as the
web pages, so the command may do exactly what that person may do there."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenfold.checkins.services import organization_zone
from tenfold.organizations.cli import access_of, error_message
from tenfold.organizations.permissions import Access

from ...health import Health
from ...models import Kpi
from ...selectors import (
    can_record,
    detail,
    format_value,
    get_kpi,
    kpi_data,
    overview,
    value_data,
)
from ...services import kpi_record_value

HEALTH_WORDS = {
    Health.HEALTHY: gettext_lazy("healthy"),
    Health.UNHEALTHY: gettext_lazy("NEEDS ATTENTION"),
    Health.UNKNOWN: gettext_lazy("no value yet"),
}


def goal(kpi: Kpi) -> str:
    target = format_value(kpi, kpi.target)
    if kpi.direction == "lower_is_better":
        return _("at or below %(target)s") % {"target": target}
    if kpi.direction == "in_range":
        return _("between %(low)s and %(high)s") % {
            "low": target,
            "high": format_value(kpi, kpi.target_high),
        }
    return _("at or above %(target)s") % {"target": target}


class Command(BaseCommand):
    help = "List KPIs, show one with its value history, or record a value."

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
        who.add_argument("--json", action="store_true", help="Print JSON instead of text.")
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser(
            "list", parents=[who], help="Every KPI with its latest value and health."
        )
        show = actions.add_parser("show", parents=[who], help="One KPI and its value history.")
        show.add_argument("code", metavar="CODE", help="The KPI's code (`tenfold kpi list`).")
        add = actions.add_parser("add-value", parents=[who], help="Record a value of a KPI.")
        add.add_argument("code", metavar="CODE", help="The KPI's code (`tenfold kpi list`).")
        add.add_argument("value", metavar="VALUE", help="The measured value, e.g. 42.5")
        add.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help="The day it was measured (default: today). Not in the future.",
        )
        add.add_argument("--note", default="", help="What explains the value, in a sentence.")

    def handle(self, *args: Any, **options: Any) -> None:
        access = access_of(options["email"], options.get("org"))
        action = options["action"]
        if action == "list":
            self.list(access, options["json"])
        elif action == "show":
            self.show(access, options["code"], options["json"])
        else:
            self.add_value(access, options)

    def _kpi(self, access: Access, code: str) -> Kpi:
        try:
            return get_kpi(access.membership.organization, code)
        except Http404:
            raise CommandError(
                _("No KPI has the code “%(code)s” here (`tenfold kpi list` shows them).")
                % {"code": code}
            ) from None

    def _print_json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))

    def list(self, access: Access, as_json: bool) -> None:
        organization = access.membership.organization
        data = overview(access, organization)
        rows = [row for group in data.groups for row in group.rows] + data.inactive
        if as_json:
            self._print_json([kpi_data(row.kpi) for row in rows])
            return
        if not rows:
            self.stdout.write(_("No KPIs yet."))
            return
        for group in data.groups:
            self.stdout.write(group.unit.name if group.unit else organization.name)
            for row in group.rows:
                kpi = row.kpi
                self.stdout.write(
                    f"  {kpi.code}  {kpi.name}: {row.current_text} "
                    f"({goal(kpi)}) — {HEALTH_WORDS[kpi.health]}"
                )
        if data.inactive:
            self.stdout.write(_("No longer monitored"))
            for row in data.inactive:
                self.stdout.write(f"  {row.kpi.code}  {row.kpi.name}: {row.current_text}")

    def show(self, access: Access, code: str, as_json: bool) -> None:
        kpi = self._kpi(access, code)
        info = detail(access, kpi)
        if as_json:
            self._print_json({**kpi_data(kpi), "values": [value_data(v) for v in info.values]})
            return
        zone = organization_zone(access.membership.organization)
        self.stdout.write(f"{kpi.name} ({kpi.code})")
        self.stdout.write(
            _("Healthy %(goal)s. Latest: %(value)s — %(health)s.")
            % {
                "goal": goal(kpi),
                "value": format_value(kpi, kpi.current),
                "health": HEALTH_WORDS[kpi.health],
            }
        )
        if not info.values:
            self.stdout.write(_("No values yet."))
        for row in info.values:
            day = timezone.localdate(row.measured_at, timezone=zone).isoformat()
            note = f"  {row.note}" if row.note else ""
            self.stdout.write(f"  {day}  {format_value(kpi, row.value)}{note}")
        for objective in info.objectives:
            self.stdout.write(
                _("Objective for it: %(title)s (%(code)s, %(state)s)")
                % {
                    "title": objective.title,
                    "code": objective.code,
                    "state": objective.get_state_display(),
                }
            )

    def add_value(self, access: Access, options: dict[str, Any]) -> None:
        kpi = self._kpi(access, options["code"])
        if not can_record(access, kpi):
            raise CommandError(
                _("%(email)s may not record values of this KPI: it belongs to another unit.")
                % {"email": options["email"]}
            )
        day = None
        if options.get("date"):
            try:
                day = dt.date.fromisoformat(options["date"].strip())
            except ValueError:
                raise CommandError(
                    _("--date: give the day as YYYY-MM-DD, such as 2026-11-02 (not “%(date)s”).")
                    % {"date": options["date"]}
                ) from None
        was = kpi.health
        try:
            kpi_record_value(
                kpi=kpi,
                value=options["value"],
                measured_at=day,
                note=options["note"],
                by=access.membership.user,
            )
        except ValidationError as error:
            raise CommandError(error_message(error)) from error
        except PermissionDenied as error:  # pragma: no cover - checked above
            raise CommandError(str(error)) from error
        kpi.refresh_from_db()
        self.stdout.write(
            _("Recorded on “%(name)s”. Latest: %(value)s — %(health)s.")
            % {
                "name": kpi.name,
                "value": format_value(kpi, kpi.current),
                "health": HEALTH_WORDS[kpi.health],
            }
        )
        if was != kpi.health and kpi.health == Health.UNHEALTHY:
            self.stdout.write(
                _("It just went out of health: consider writing an OKR for it on the web.")
            )
