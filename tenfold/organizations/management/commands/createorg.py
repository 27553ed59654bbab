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

from tenfold.accounts.models import User
from tenfold.lib import periods
from tenfold.lib.validation import error_dict
from tenfold.okrs.services import cycles_create_for_year
from tenfold.organizations.services import organization_create


class Command(BaseCommand):
    help = "Create an organization with its owner and the cycles of a year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The organization's name.")
        parser.add_argument("--owner", required=True, help="The owner's email address.")
        parser.add_argument(
            "--slug", default="", help="Its address in URLs (default: from the name)."
        )
        parser.add_argument(
            "--password", help="Password for a new owner account (asked for when omitted)."
        )
        parser.add_argument(
            "--fiscal-year-start-month", type=int, default=1, help="1–12 (default 1, January)."
        )
        parser.add_argument("--time-zone", default="UTC", help="e.g. Europe/Madrid")
        parser.add_argument(
            "--year",
            type=int,
            help="Fiscal year of the cycles to create (default: the current one).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["owner"].strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{options['owner']} is not a valid email address.") from error
        owner = User.objects.filter(email=email).first()
        password = options["password"]
        if owner is None and password is None:
            if not sys.stdin.isatty():
                raise CommandError("The owner is new: give --password (no terminal to ask).")
            password = getpass.getpass(f"Password for {email}: ")
        if owner is None:
            try:
                validate_password(password or "", User(email=email))
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        month = options["fiscal_year_start_month"]
        try:
            with transaction.atomic():
                if owner is None:
                    owner = User.objects.create_user(email=email, password=password)
                org = organization_create(
                    name=options["name"],
                    slug=options["slug"],
                    owner=owner,
                    fiscal_year_start_month=month,
                    time_zone=options["time_zone"],
                )
                year = options["year"] or periods.fiscal_year_of(
                    timezone.localdate(), max(1, min(12, month))
                )
                cycles = cycles_create_for_year(organization=org, year=year, by=owner)
        except ValidationError as error:
            raise CommandError(
                " ".join(f"{m}" for ms in error_dict(error).values() for m in ms)
            ) from error
        self.stdout.write(
            f"Created {org.name} at /{org.slug}/ owned by {owner.email}, with "
            f"{len(cycles)} cycles ({', '.join(c.name for c in cycles)})."
        )
