"""tenfold invitations: list the organization's pending invitations, send one again with a new
link, or withdraw one. Runs as an owner or admin given with `--as`, through the same selectors
and services as the people settings page and the API. Links are never printed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.checkins.weekly import zone_of
from tenfold.cli.output import dumps, print_table
from tenfold.organizations.cli import access_of, error_message
from tenfold.organizations.models import Invitation, Organization
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import get_invitation, invitation_data, pending_invitations
from tenfold.organizations.services import invitation_resend, invitation_revoke


class Command(BaseCommand):
    help = (
        "List the organization's pending invitations, send one again with a new link "
        "(--resend CODE) or withdraw one (--revoke CODE). Owners and admins only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as",
            dest="email",
            required=True,
            metavar="EMAIL",
            help="Email of the person running the command (an owner or admin).",
        )
        parser.add_argument(
            "--org",
            metavar="SLUG",
            help="The organization's address (default: the person's only organization).",
        )
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--resend",
            metavar="CODE",
            help="Email this invitation again with a new link; the earlier link stops working.",
        )
        action.add_argument(
            "--revoke", metavar="CODE", help="Withdraw this invitation: its link stops working."
        )
        parser.add_argument("--json", action="store_true", help="List as JSON instead of text.")

    def handle(self, *args: Any, **options: Any) -> None:
        access = access_of(options["email"], options.get("org"))
        if not access.is_admin:
            raise CommandError(_("Only owners and admins manage the organization."))
        try:
            if options.get("resend"):
                self.resend(access, options["resend"])
            elif options.get("revoke"):
                self.revoke(access, options["revoke"])
            else:
                self.show(access.membership.organization, options["json"])
        except ValidationError as error:
            raise CommandError(error_message(error)) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error

    def _invitation(self, organization: Organization, code: str) -> Invitation:
        try:
            return get_invitation(organization, code)
        except Http404:
            raise CommandError(
                _("No invitation has the code “%(code)s” here (`tenfold invitations` lists them).")
                % {"code": code}
            ) from None

    def show(self, organization: Organization, as_json: bool) -> None:
        rows = list(pending_invitations(organization))
        if as_json:
            self.stdout.write(dumps([invitation_data(row) for row in rows]))
            return
        if not rows:
            self.stdout.write(_("No invitation is waiting for an answer."))
            return
        zone = zone_of(organization)
        print_table(
            self.stdout,
            [_("Code"), _("Email"), _("Role"), _("Expires"), _("Invited by"), _("Units")],
            [
                [
                    row.code,
                    row.email,
                    str(row.get_role_display()),
                    timezone.localtime(row.expires_at, zone).date().isoformat(),
                    row.invited_by.display_name if row.invited_by else "–",
                    ", ".join(unit.name for unit in row.units.all()) or "–",
                ]
                for row in rows
            ],
        )

    def resend(self, access: Access, code: str) -> None:
        organization = access.membership.organization
        invitation, _token = invitation_resend(
            invitation=self._invitation(organization, code), by=access.membership.user
        )
        self.stdout.write(
            _("A new link is on its way to %(email)s; the earlier one no longer works.")
            % {"email": invitation.email}
        )

    def revoke(self, access: Access, code: str) -> None:
        organization = access.membership.organization
        invitation = invitation_revoke(
            invitation=self._invitation(organization, code), by=access.membership.user
        )
        self.stdout.write(
            _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
