"""tenfold checkin: record a key-result check-in from the command line."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenfold.accounts.models import User
from tenfold.checkins.services import checkin_record
from tenfold.lib.validation import error_dict
from tenfold.okrs.models import KeyResult
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import access_for


def fail(error: ValidationError) -> CommandError:
    parts: list[str] = []
    for field, messages in error_dict(error).items():
        prefix = "" if field == "__all__" else f"{field}: "
        parts.extend(prefix + message for message in messages)
    return CommandError(" ".join(parts))


class Command(BaseCommand):
    help = "Record a check-in on a key result (see `tenfold krs` for codes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("key_result", help="The key result's code.")
        parser.add_argument("value", help="The new value, e.g. 42.5")
        parser.add_argument(
            "--as", dest="email", required=True, help="Email of the person checking in."
        )
        parser.add_argument("--confidence", help="0–10: how likely the target is to be met.")
        parser.add_argument("--note", default="", help="What happened.")

    def handle(self, *args: Any, **options: Any) -> None:
        kr = (
            KeyResult.objects.select_related("objective__cycle", "objective")
            .filter(code=options["key_result"])
            .first()
        )
        if kr is None:
            raise CommandError(f"No key result has the code {options['key_result']}.")
        user = User.objects.filter(email=options["email"].strip().lower()).first()
        membership = (
            Membership.objects.filter(organization_id=kr.organization_id, user=user)
            .select_related("organization")
            .first()
            if user
            else None
        )
        if membership is None:
            raise CommandError(
                f"{options['email']} is not a member of that key result's organization."
            )
        if not access_for(membership).can_check_in(kr, kr.objective):
            raise CommandError(f"{options['email']} may not check in on this key result.")
        try:
            checkin_record(
                key_result=kr,
                value=options["value"],
                confidence=options["confidence"],
                note=options["note"],
                source="cli",
                by=user,
            )
        except ValidationError as error:
            raise fail(error) from error
        kr.refresh_from_db()
        kr.objective.refresh_from_db()
        self.stdout.write(
            f"{kr.title}: {kr.progress_raw:.0%} "
            f"(objective “{kr.objective.title}”: {kr.objective.progress:.0%})"
        )
