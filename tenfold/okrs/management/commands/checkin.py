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
from tenfold.cli.client import ApiError, add_remote_arguments
from tenfold.cli.output import dumps
from tenfold.cli.present import api_shape, decimal, kr_like
from tenfold.cli.remote import Remote, connect, not_found, plainly
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
            metavar="EMAIL",
            help=("Email of the person checking in (local use; on a server, the token's owner)."),
        )
        parser.add_argument(
            "--confidence",
            metavar="0-10",
            help=("How likely the target is to be met, from 0 to 10."),
        )
        parser.add_argument("-m", "--note", default="", help=("What happened, in a sentence."))
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help=(
                "The day the value was measured, for a late check-in (default: today). "
                "Not in the future, not before the cycle began."
            ),
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the recorded check-in as JSON."
        )
        parser.add_argument(
            "--org",
            metavar="SLUG",
            help="On a server: the organization (default: the one the token opens).",
        )
        add_remote_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        day = parse_day(options["date"])
        with plainly():
            remote = connect(options, as_email=options["email"])
            if remote is not None:
                self.remote(remote, day, options)
                return
        if not options["email"]:
            raise CommandError(
                _(
                    "Say who is checking in with --as EMAIL, or set TENFOLD_URL and "
                    "TENFOLD_TOKEN to check in on a server."
                )
            )
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
        measured_at = None
        if day is not None:
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
        objective = kr.objective
        objective.refresh_from_db()
        if options["json"]:
            from tenfold.api.schemas import CheckInResult
            from tenfold.api.views import checkin_out

            result = {
                "checkin": checkin_out(checkin, kr),
                "key_result_progress": kr.progress,
                "objective_progress": objective.progress,
            }
            self.stdout.write(dumps(api_shape(CheckInResult, result)))
            return
        late = day is not None and kr.last_checkin_at and checkin.measured_at < kr.last_checkin_at
        self.report(
            kr=kr,
            objective_title=objective.title,
            before=before,
            after=objective.progress,
            late_day=day if late else None,
        )

    def report(
        self,
        *,
        kr: Any,
        objective_title: str,
        before: Any,
        after: Any,
        late_day: dt.date | None,
    ) -> None:
        """What both modes print: `kr` is a key result, or its API shape read by `kr_like`."""
        if late_day is not None:
            self.stdout.write(
                _(
                    "Added to the history on %(date)s; a newer check-in still sets the "
                    "current value."
                )
                % {"date": date_format(late_day)}
            )
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
                "objective": objective_title,
                "before": pct(before),
                "after": pct(after),
            }
        )

    # --- on a server ------------------------------------------------------------------------

    def remote(self, remote: Remote, day: dt.date | None, options: dict[str, Any]) -> None:
        client = remote.client
        code = options["key_result"].strip().lower()
        try:
            kr = client.get(remote.path("/key-results/{}", code))
        except ApiError as error:
            if error.status == 404:
                raise not_found(
                    error,
                    _("No key result has the code “%(code)s” (`tenfold okrs` lists them).")
                    % {"code": options["key_result"]},
                ) from None
            raise
        objective = client.get(remote.path("/objectives/{}", kr["objective"]))
        body: dict[str, Any] = {"value": options["value"].strip(), "note": options["note"]}
        if options["confidence"] not in (None, ""):
            body["confidence"] = confidence_number(options["confidence"])
        if day is not None:
            # Noon of that day, read in the organization's time zone (as a local --date is).
            body["measured_at"] = f"{day.isoformat()}T12:00:00"
        result = client.post(remote.path("/key-results/{}/check-ins", code), body)
        if options["json"]:
            self.stdout.write(dumps(result))
            return
        after = client.get(remote.path("/key-results/{}", code))
        measured = result["checkin"]["measured_at"]
        latest = after.get("last_checkin_at")
        late = (
            day is not None and latest is not None and parse_moment(measured) < parse_moment(latest)
        )
        shown = kr_like(after)
        shown.title = after["title"]
        shown.progress = decimal(after["progress"])
        shown.progress_raw = decimal(after["progress_raw"])
        self.report(
            kr=shown,
            objective_title=objective["title"],
            before=decimal(objective["progress"]),
            after=decimal(result["objective_progress"]),
            late_day=day if late else None,
        )


def parse_day(raw: str | None) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError as error:
        raise CommandError(
            _("--date: give the day as YYYY-MM-DD, such as 2026-11-02 (not “%(date)s”).")
            % {"date": raw}
        ) from error


def confidence_number(raw: str) -> Any:
    """A whole number for the API; anything else is sent as given so the server names the
    problem in the same words as everywhere else."""
    text = str(raw).strip()
    try:
        return int(text)
    except ValueError:
        return text


def parse_moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
