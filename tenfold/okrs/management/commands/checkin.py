"""tenfold checkin: record a key-result check-in from the command line."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tenfold.accounts.models import User
from tenfold.checkins.models import Source
from tenfold.checkins.services import checkin_record, measured_on
from tenfold.lib.validation import error_dict
from tenfold.okrs.models import KeyResult
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import access_for
from tenfold.web.templatetags.tenfold import kr_value, pct


def error_message(error: ValidationError) -> str:
    """One line from a service's per-field errors: "value: “abc” is not a number."."""
    parts: list[str] = []
    for field, messages in error_dict(error).items():
        prefix = "" if field == "__all__" else f"{field}: "
        parts.extend(prefix + message for message in messages)
    return " ".join(parts)


class Command(BaseCommand):
    help = (
        "Record a check-in on a key result and show the new progress "
        "(`tenfold krs` lists the codes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("key_result", metavar="KR_CODE", help=("The key result's code."))
        parser.add_argument("value", metavar="VALUE", help=("The new value, e.g. 42.5"))
        parser.add_argument(
            "--as",
            dest="email",
            required=True,
            metavar="EMAIL",
            help=("Email of the person checking in."),
        )
        parser.add_argument(
            "--confidence",
            metavar="0-10",
            help=("How likely the target is to be met, from 0 to 10."),
        )
        parser.add_argument("--note", default="", help=("What happened, in a sentence."))
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help=(
                "The day the value was measured, for a late check-in (default: today). "
                "Not in the future, not before the cycle began."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["key_result"].strip().lower()
        kr = KeyResult.objects.select_related("objective__cycle").filter(code=code).first()
        if kr is None:
            raise CommandError(
                _("No key result has the code “%(code)s” (`tenfold krs` lists them).")
                % {"code": options["key_result"]}
            )
        email = options["email"].strip().lower()
        user = User.objects.filter(email=email).first()
        membership = (
            Membership.objects.filter(organization_id=kr.organization_id, user=user)
            .select_related("organization")
            .first()
            if user is not None
            else None
        )
        if membership is None:
            raise CommandError(
                _("%(email)s is not a member of the organization of that key result.")
                % {"email": options["email"]}
            )
        if not access_for(membership).can_check_in(kr, kr.objective):
            raise CommandError(
                _("%(email)s may not check in on this key result: it belongs to another team.")
                % {"email": options["email"]}
            )
        measured_at = day = None
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"].strip())
            except ValueError as error:
                raise CommandError(
                    _("--date: give the day as YYYY-MM-DD, such as 2026-11-02 (not “%(date)s”).")
                    % {"date": options["date"]}
                ) from error
            measured_at = measured_on(day, organization=membership.organization)
        before = kr.objective.progress
        try:
            checkin = checkin_record(
                key_result=kr,
                value=options["value"],
                confidence=options["confidence"],
                note=options["note"],
                source=Source.CLI,
                measured_at=measured_at,
                by=user,
            )
        except ValidationError as error:
            raise CommandError(error_message(error)) from error
        kr.refresh_from_db()
        if day is not None and kr.last_checkin_at and checkin.measured_at < kr.last_checkin_at:
            self.stdout.write(
                _(
                    "Added to the history on %(date)s; a newer check-in still sets the "
                    "current value."
                )
                % {"date": date_format(day)}
            )
        objective = kr.objective
        objective.refresh_from_db()
        progress = pct(kr.progress)
        if kr.progress_raw > 1:
            progress += " " + _("(%(raw)s of the way: past the target)") % {
                "raw": pct(kr.progress_raw)
            }
        self.stdout.write(
            _("Recorded %(value)s on “%(kr)s”: progress %(progress)s (target %(target)s).")
            % {
                "value": kr_value(kr),
                "kr": kr.title,
                "progress": progress,
                "target": kr_value(kr, "target"),
            }
        )
        self.stdout.write(
            _("Objective “%(objective)s”: %(before)s → %(after)s.")
            % {
                "objective": objective.title,
                "before": pct(before),
                "after": pct(objective.progress),
            }
        )
