"""tenfold token: make, list and revoke API tokens — personal ones (acting as a person) and
service ones (acting as a service account of the organization)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenfold.accounts.models import ApiToken, User
from tenfold.accounts.services import (
    SERVICE_ROLES,
    api_token_create,
    api_token_revoke,
    service_token_create,
)
from tenfold.lib.validation import error_dict
from tenfold.organizations.models import Organization


class Command(BaseCommand):
    help = "Make, list or revoke personal API tokens (each opens one organization)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Make a token and print it once.")
        create.add_argument("--as", dest="email", help="Whose personal token it is.")
        create.add_argument(
            "--service",
            action="store_true",
            help="Make a service token, acting as a service account of its own.",
        )
        create.add_argument(
            "--role",
            choices=SERVICE_ROLES,
            default="viewer",
            help="What a service token's account may do (default: viewer).",
        )
        create.add_argument("--org", required=True, help="The organization's address (slug).")
        create.add_argument("--name", required=True, help="Where the token will be used.")
        create.add_argument(
            "--read-only",
            action="store_true",
            help="Refuse every request that would change something.",
        )
        listing = actions.add_parser("list", help="List tokens (never their secret part).")
        listing.add_argument("--as", dest="email", help="Only this person's tokens.")
        revoke = actions.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix", help="The 8 characters after tf_ in the token.")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['action']}")(options)

    def do_create(self, options: dict[str, Any]) -> None:
        organization = Organization.objects.filter(slug=options["org"]).first()
        if organization is None:
            raise CommandError(f"No organization at the address {options['org']}.")
        if options["service"] == bool(options["email"]):
            raise CommandError("Give --as EMAIL for a personal token, or --service.")
        try:
            if options["service"]:
                _row, token = service_token_create(
                    organization=organization,
                    name=options["name"],
                    role=options["role"],
                    read_only=options["read_only"],
                    by=None,
                )
            else:
                user = User.objects.filter(email=options["email"].strip().lower()).first()
                if user is None:
                    raise CommandError(f"No account with the email {options['email']}.")
                _row, token = api_token_create(
                    user=user,
                    organization=organization,
                    name=options["name"],
                    read_only=options["read_only"],
                    by=user,
                )
        except ValidationError as error:
            raise CommandError(
                " ".join(m for ms in error_dict(error).values() for m in ms)
            ) from error
        self.stdout.write(token)
        self.stderr.write("Keep this token safe: it is shown only once.")

    def do_list(self, options: dict[str, Any]) -> None:
        rows = ApiToken.objects.select_related("user", "organization").order_by("-created_at")
        if options.get("email"):
            rows = rows.filter(user__email=options["email"].strip().lower())
        for row in rows:
            state = "revoked" if row.revoked_at else "read-only" if row.read_only else "active"
            if row.user.is_service:
                state += " (service)"
            used = row.last_used_at.isoformat(timespec="minutes") if row.last_used_at else "never"
            self.stdout.write(
                f"tf_{row.prefix}…  {state:19} {row.organization.slug:20} {row.user.email:30} "
                f"last used {used}  {row.name}"
            )

    def do_revoke(self, options: dict[str, Any]) -> None:
        prefix = options["prefix"].removeprefix("tf_")[:8]
        row = ApiToken.objects.filter(prefix=prefix).first()
        if row is None:
            raise CommandError(f"No token starts with tf_{prefix}.")
        api_token_revoke(token=row, by=None)
        self.stdout.write(f"Revoked tf_{prefix}….")
