"""tenfold notify: preferences, the organization's notification settings, a unit's check-in
schedule, the log of what was sent, and a preview of a person's weekly reminder.

Everything runs as the person given with `--as`, through the same services as the pages."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.organizations.cli import access_of, error_message
from tenfold.organizations.models import Unit, Weekday
from tenfold.organizations.permissions import Access

from ... import services
from ...models import PERSONAL_KINDS, Delivery, Kind, Schedule, Status, org_settings
from ...reminders import _unit_when, weekly_preview

DAYS = {
    label[:3].lower(): value for value, label in zip(Weekday.values, Weekday.names, strict=True)
}


def _on_off(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("on", "yes", "true", "1"):
        return True
    if value in ("off", "no", "false", "0"):
        return False
    raise CommandError(_("Say on or off, not “%(value)s”.") % {"value": raw})


def _day(raw: str) -> int:
    value = raw.strip().lower()[:3]
    if value.isdigit() and 0 <= int(value) <= 6:
        return int(value)
    if value in DAYS:
        return DAYS[value]
    raise CommandError(_("Give a day such as mon, fri or 0–6, not “%(value)s”.") % {"value": raw})


class Command(BaseCommand):
    help = _(
        "Notification preferences and settings, team check-in schedules, the log of what was "
        "sent, and a preview of the weekly reminder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        who = CommandParser(add_help=False)
        who.add_argument(
            "--as",
            dest="email",
            required=True,
            metavar="EMAIL",
            help=_("Email of the person running the command."),
        )
        who.add_argument(
            "--org",
            metavar="SLUG",
            help=_("The organization's address (default: the person's only one)."),
        )
        who.add_argument("--json", action="store_true", help=_("Print JSON instead of text."))
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        prefs = actions.add_parser(
            "prefs", parents=[who], help=_("Show or change your preferences.")
        )
        prefs.add_argument("--email", dest="by_email", metavar="on|off", help=_("Email at all."))
        prefs.add_argument(
            "--mute-until",
            metavar="YYYY-MM-DD",
            help=_("Pause everything up to and including this day."),
        )
        prefs.add_argument("--unmute", action="store_true", help=_("End a pause."))
        prefs.add_argument(
            "--off",
            nargs="+",
            default=[],
            metavar="KIND",
            choices=[str(k) for k in PERSONAL_KINDS],
            help=_("Switch kinds off."),
        )
        prefs.add_argument(
            "--on",
            nargs="+",
            default=[],
            metavar="KIND",
            choices=[str(k) for k in PERSONAL_KINDS],
            help=_("Switch kinds on."),
        )
        prefs.add_argument(
            "--time-zone",
            metavar="ZONE",
            help=_("Your own time zone; an empty value follows your team's."),
        )

        opts = actions.add_parser(
            "settings",
            parents=[who],
            help=_("Show or change what the organization sends (admins)."),
        )
        opts.add_argument("--weekly", metavar="on|off", help=_("Weekly check-in reminders."))
        opts.add_argument("--nudges", metavar="on|off", help=_("Nudges for stale key results."))
        opts.add_argument(
            "--review-days",
            type=int,
            metavar="N",
            help=_("Review reminder this many days before a cycle ends (0: off)."),
        )
        opts.add_argument("--digests", metavar="on|off", help=_("Weekly digests."))
        opts.add_argument("--digest-day", metavar="DAY", help=_("Digest day (mon … sun)."))
        opts.add_argument("--digest-hour", type=int, metavar="H", help=_("Digest hour (0–23)."))

        sched = actions.add_parser(
            "schedule", parents=[who], help=_("Show or set a unit's check-in day, hour and zone.")
        )
        sched.add_argument("--unit", required=True, metavar="UNIT", help=_("Unit code or name."))
        sched.add_argument(
            "--day", metavar="DAY", help=_("mon … sun; “org” follows the organization.")
        )
        sched.add_argument("--hour", metavar="H", help=_("0–23; “org” follows the organization."))
        sched.add_argument(
            "--zone", metavar="ZONE", help=_("Time zone; “org” follows the organization.")
        )
        sched.add_argument(
            "--reminders", metavar="on|off", help=_("Weekly reminders for the unit.")
        )

        log = actions.add_parser(
            "log", parents=[who], help=_("What was sent, newest first (admins).")
        )
        log.add_argument("--status", choices=Status.values, help=_("Only this status."))
        log.add_argument("--kind", choices=Kind.values, help=_("Only this kind."))
        log.add_argument("--limit", type=int, default=50, help=_("How many rows (default 50)."))

        preview = actions.add_parser(
            "preview", parents=[who], help=_("Print the weekly reminder you would get now.")
        )
        preview.add_argument("--html", action="store_true", help=_("Print the HTML version."))

    def handle(self, *args: Any, **options: Any) -> None:
        access = access_of(options["email"], options.get("org"))
        try:
            getattr(self, f"_{options['action']}")(access, options)
        except ValidationError as error:
            raise CommandError(error_message(error)) from error

    def _print(self, options: dict[str, Any], data: Any, text: str) -> None:
        if options["json"]:
            self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(text)

    def _prefs(self, access: Access, options: dict[str, Any]) -> None:
        org = access.membership.organization
        user = access.membership.user
        pref = services.preference_of(org, user)
        changing = any(options[k] for k in ("by_email", "mute_until", "unmute", "off", "on")) or (
            options["time_zone"] is not None
        )
        if changing:
            muted = pref.muted_until
            if options["unmute"]:
                muted = None
            elif options["mute_until"]:
                try:
                    muted = dt.date.fromisoformat(options["mute_until"])
                except ValueError as error:
                    raise CommandError(_("Give the day as YYYY-MM-DD.")) from error
            off = (set(pref.kinds_off) | set(options["off"])) - set(options["on"])
            pref = services.preference_update(
                organization=org,
                user=user,
                email=_on_off(options["by_email"]) if options["by_email"] else pref.email,
                muted_until=muted,
                kinds_off=sorted(off),
                time_zone=options["time_zone"],
            )
        data = {
            "email": pref.email,
            "muted_until": pref.muted_until,
            "kinds_off": list(pref.kinds_off),
            "time_zone": user.time_zone,
        }
        on = [str(k) for k in PERSONAL_KINDS if str(k) not in pref.kinds_off]
        text = "\n".join(
            [
                _("Email: %(state)s") % {"state": _("on") if pref.email else _("off")},
                _("Receiving: %(kinds)s") % {"kinds": ", ".join(on) or "—"},
                _("Paused until: %(day)s") % {"day": pref.muted_until or "—"},
                _("Time zone: %(zone)s") % {"zone": user.time_zone or _("the team's")},
            ]
        )
        self._print(options, data, text)

    def _admin(self, access: Access) -> None:
        if not access.is_admin:
            raise CommandError(_("Only owners and admins manage notifications."))

    def _settings(self, access: Access, options: dict[str, Any]) -> None:
        self._admin(access)
        org = access.membership.organization
        values: dict[str, Any] = {}
        for option, field in (
            ("weekly", "weekly_reminders"),
            ("nudges", "stale_nudges"),
            ("digests", "digests"),
        ):
            if options[option]:
                values[field] = _on_off(options[option])
        if options["review_days"] is not None:
            values["review_reminder_days"] = options["review_days"]
        if options["digest_day"]:
            values["digest_weekday"] = _day(options["digest_day"])
        if options["digest_hour"] is not None:
            values["digest_hour"] = options["digest_hour"]
        opts = (
            services.org_settings_update(organization=org, by=access.membership.user, **values)
            if values
            else org_settings(org)
        )
        data = {name: getattr(opts, name) for name in services.ORG_FIELDS}
        self._print(options, data, "\n".join(f"{k}: {v}" for k, v in data.items()))

    def _schedule(self, access: Access, options: dict[str, Any]) -> None:
        org = access.membership.organization
        raw = options["unit"].strip()
        unit = (
            Unit.objects.filter(organization=org, code=raw).first()
            or Unit.objects.filter(organization=org, name__iexact=raw).first()
        )
        if unit is None:
            raise CommandError(_("There is no unit “%(unit)s”.") % {"unit": raw})
        schedule = Schedule.objects.filter(unit=unit).first()
        changing = any(options[k] is not None for k in ("day", "hour", "zone", "reminders"))
        if changing:
            if not (access.is_admin or unit.pk in access.led_unit_ids):
                raise CommandError(_("Only the unit's leads and admins set its check-in schedule."))
            day = schedule.checkin_weekday if schedule else None
            hour = schedule.checkin_hour if schedule else None
            zone_name = schedule.time_zone if schedule else ""
            if options["day"] is not None:
                day = None if options["day"] == "org" else _day(options["day"])
            if options["hour"] is not None:
                if options["hour"] == "org":
                    hour = None
                elif options["hour"].isdigit():
                    hour = int(options["hour"])
                else:
                    raise CommandError(_("Give an hour from 0 to 23."))
            if options["zone"] is not None:
                zone_name = "" if options["zone"] == "org" else options["zone"]
            reminders = (
                _on_off(options["reminders"])
                if options["reminders"] is not None
                else (schedule.reminders if schedule else True)
            )
            schedule = services.schedule_update(
                unit=unit,
                by=access.membership.user,
                checkin_weekday=day,
                checkin_hour=hour,
                time_zone=zone_name,
                reminders=reminders,
            )
        when = _unit_when(org, schedule)
        data = {
            "unit": unit.code,
            "weekday": when.weekday,
            "hour": when.hour,
            "time_zone": when.tz_name,
            "reminders": schedule.reminders if schedule else True,
            "own": schedule is not None,
        }
        text = f"{unit.name}: {Weekday(when.weekday).label} {when.hour:02d}:00 ({when.tz_name})"
        if schedule is not None and not schedule.reminders:
            text += " · " + _("reminders off")
        self._print(options, data, text)

    def _log(self, access: Access, options: dict[str, Any]) -> None:
        self._admin(access)
        if not 1 <= options["limit"] <= 500:
            raise CommandError(_("Give a limit from 1 to 500."))
        rows = Delivery.objects.filter(organization=access.membership.organization).select_related(
            "user"
        )
        if options["status"]:
            rows = rows.filter(status=options["status"])
        if options["kind"]:
            rows = rows.filter(kind=options["kind"])
        found = list(rows.order_by("-created_at")[: options["limit"]])
        data = [
            {
                "created_at": r.created_at,
                "kind": r.kind,
                "channel": r.channel,
                "recipient": r.user.email if r.user else r.recipient,
                "period": r.period,
                "status": r.status,
                "attempts": r.attempts,
                "error": r.error,
                "subject": r.subject,
            }
            for r in found
        ]
        lines = [
            f"{r['created_at']:%Y-%m-%d %H:%M}  {r['kind']:<17} {r['status']:<8} "
            f"{r['recipient']}  {r['error'] or r['subject']}"
            for r in data
        ]
        self._print(options, data, "\n".join(lines) or _("Nothing sent yet."))

    def _preview(self, access: Access, options: dict[str, Any]) -> None:
        subject, text, html = weekly_preview(
            access.membership.organization, access.membership.user, timezone.now()
        )
        data = {"subject": subject, "text": text, "html": html}
        self._print(options, data, html if options["html"] else f"{subject}\n\n{text}")
