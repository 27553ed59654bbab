"""tenfold createorg: an organization, its owner, and the cycles of a year."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.accounts.models import User
from tenfold.accounts.services import addresses_verified
from tenfold.lib import periods
from tenfold.lib.validation import error_dict, time_zone_names
from tenfold.okrs.services import cycles_create_for_year
from tenfold.organizations.services import organization_create


def messages_of(error: ValidationError) -> str:
    return " ".join(m for ms in error_dict(error).values() for m in ms)


class Command(BaseCommand):
    help = (
        "Create an organization with its owner (making the account if needed) and the cycles "
        "of a fiscal year."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help=("The organization's name."))
        parser.add_argument(
            "--owner",
            required=True,
            metavar="EMAIL",
            help=("The owner's email address; the account is made if it is new."),
        )
        parser.add_argument(
            "--slug",
            default="",
            help=("Its address in URLs (default: made from the name)."),
        )
        parser.add_argument(
            "--password",
            help=(
                "Password for a new owner account (asked for when omitted and a terminal is "
                "attached; ignored for an existing account)."
            ),
        )
        parser.add_argument(
            "--fiscal-year-start-month",
            type=int,
            default=1,
            metavar="M",
            help=("Month the fiscal year starts in, 1–12 (default: 1, January)."),
        )
        parser.add_argument(
            "--time-zone",
            default="UTC",
            metavar="TZ",
            help=("Time zone, e.g. Europe/Madrid (default: %(default)s)."),
        )
        parser.add_argument(
            "--year",
            type=int,
            help=("Fiscal year whose cycles to create (default: the one that contains today)."),
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help=("Never prompt; fail instead when a password is needed."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["owner"].strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(
                _("“%(email)s” is not a valid email address.") % {"email": options["owner"]}
            ) from error
        month = options["fiscal_year_start_month"]
        if not 1 <= month <= 12:
            raise CommandError(_("The fiscal year starts in a month from 1 to 12."))
        if options["time_zone"] not in time_zone_names():
            raise CommandError(
                _("“%(tz)s” is not a known time zone; try e.g. Europe/Madrid or UTC.")
                % {"tz": options["time_zone"]}
            )
        year = options["year"] or periods.fiscal_year_of(timezone.localdate(), month)
        if not 2000 <= year <= 2200:
            raise CommandError(_("Choose a fiscal year between 2000 and 2200."))

        owner = User.objects.filter(email=email).first()
        password = options["password"]
        if owner is None:
            password = password if password is not None else self._ask_password(email, options)
            try:
                validate_password(password, User(email=email))
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        elif password is not None:
            self.stderr.write(
                _("%(email)s already has an account; its password was left unchanged.")
                % {"email": email}
            )
        try:
            with transaction.atomic():
                if owner is None:
                    owner = User.objects.create_user(email=email, password=password)
                    # The operator vouches for the first owner's address.
                    addresses_verified([owner])
                org = organization_create(
                    name=options["name"],
                    slug=options["slug"],
                    owner=owner,
                    fiscal_year_start_month=month,
                    time_zone=options["time_zone"],
                )
                cycles = cycles_create_for_year(organization=org, year=year, by=owner)
        except ValidationError as error:
            raise CommandError(messages_of(error)) from error
        self.stdout.write(
            _("Created %(name)s at /%(slug)s/, owned by %(email)s.")
            % {"name": org.name, "slug": org.slug, "email": owner.email}
        )
        self.stdout.write(
            _("Cycles (in planning; start one in the organization's settings): %(cycles)s")
            % {"cycles": ", ".join(cycle.name for cycle in cycles)}
        )

    def _ask_password(self, email: str, options: dict[str, Any]) -> str:
        if not options["interactive"] or not sys.stdin.isatty():
            raise CommandError(
                _(
                    "%(email)s is a new account and needs a password: give --password, or run "
                    "the command in a terminal to be asked for one."
                )
                % {"email": email}
            )
        first = getpass.getpass(_("Password for %(email)s: ") % {"email": email})
        second = getpass.getpass(_("The same password again: "))
        if first != second:
            raise CommandError(_("The two passwords differ; nothing was created."))
        return first
