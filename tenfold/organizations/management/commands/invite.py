"""tenfold invite: invite an address by email to join the organization with a role and units.
Runs as an owner or admin given with `--as`, through the same service as the people settings
page; the link goes to the invited address by email and is not printed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils.translation import gettext as _

from tenfold.organizations.cli import access_of, error_message
from tenfold.organizations.models import Organization, Role, Unit
from tenfold.organizations.services import invitation_create


def units_named(organization: Organization, wanted: list[str]) -> list[Unit]:
    """Units of the organization by code or name, in the order given, each once."""
    found: list[Unit] = []
    for raw in wanted:
        text = raw.strip()
        unit = (
            Unit.objects.filter(organization=organization)
            .filter(Q(code=text.lower()) | Q(name__iexact=text))
            .order_by("id")
            .first()
        )
        if unit is None:
            raise CommandError(_("No unit is called or coded “%(unit)s” here.") % {"unit": text})
        if unit not in found:
            found.append(unit)
    return found


class Command(BaseCommand):
    help = (
        "Invite someone by email to join the organization, with a role and units. The link "
        "goes to them by email (it is never printed). Owners and admins only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("address", metavar="EMAIL", help="The address to invite.")
        parser.add_argument(
            "--as",
            dest="email",
            required=True,
            metavar="EMAIL",
            help="Email of the person inviting (an owner or admin).",
        )
        parser.add_argument(
            "--org",
            metavar="SLUG",
            help="The organization's address (default: the person's only organization).",
        )
        parser.add_argument(
            "--role",
            default=Role.MEMBER,
            choices=Role.values,
            help="The role they join with (default: member).",
        )
        parser.add_argument(
            "--unit",
            dest="units",
            action="append",
            default=[],
            metavar="UNIT",
            help="A unit to place them in, by code or name (repeat for several).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        access = access_of(options["email"], options.get("org"))
        organization = access.membership.organization
        if not access.is_admin:
            raise CommandError(_("Only owners and admins invite people."))
        units = units_named(organization, options["units"])
        try:
            invitation, _token = invitation_create(
                organization=organization,
                email=options["address"],
                role=options["role"],
                units=units,
                by=access.membership.user,
            )
        except ValidationError as error:
            raise CommandError(error_message(error)) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("An invitation is on its way to %(email)s.") % {"email": invitation.email}
        )
        self.stdout.write(
            _(
                "It is %(code)s: `tenfold invitations --resend %(code)s` sends it again, "
                "`--revoke %(code)s` withdraws it."
            )
            % {"code": invitation.code}
        )
