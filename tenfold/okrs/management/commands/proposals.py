"""tenfold proposals: the approval queue and the proposal actions from the command line."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenfold.accounts.models import User
from tenfold.okrs import planning as plans
from tenfold.okrs.models import Objective
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import Access, access_for

from .checkin import error_message


class Command(BaseCommand):
    help = (
        "Proposals for the next cycle: list those waiting for your approval, propose a draft, "
        "approve a proposal, or return it to its team with a comment."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = actions.add_parser("list", help="Proposals waiting for your approval.")
        listing.add_argument(
            "--org",
            metavar="SLUG",
            help="The organization's address (default: your only organization).",
        )
        for name, text in (
            ("propose", "Propose one of your team's drafts for approval."),
            ("approve", "Approve a proposal (a lead of the unit above, or an admin)."),
            ("return", "Send a proposal back to its team as a draft, with a comment."),
        ):
            action = actions.add_parser(name, help=text)
            action.add_argument("objective", metavar="CODE", help="The objective's code.")
            if name == "return":
                action.add_argument(
                    "--comment",
                    required=True,
                    help="What the team should change; posted on the objective's thread.",
                )
        for action in actions.choices.values():
            action.add_argument(
                "--as",
                dest="email",
                required=True,
                metavar="EMAIL",
                help="Email of the person acting.",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        user = User.objects.filter(email=email).first()
        if user is None:
            raise CommandError(_("Nobody has the email %(email)s.") % {"email": options["email"]})
        if options["action"] == "list":
            self.list(user, options.get("org"))
            return
        code = options["objective"].strip().lower()
        objective = (
            Objective.objects.filter(code=code)
            .select_related("organization", "cycle", "unit")
            .first()
        )
        access = self.access(user, objective.organization_id) if objective else None
        if objective is None or access is None or not access.can_view_objective(objective):
            raise CommandError(
                _("No objective with the code “%(code)s” is visible to %(email)s.")
                % {"code": options["objective"], "email": options["email"]}
            )
        try:
            if options["action"] == "propose":
                plans.proposal_submit(access=access, objective=objective, by=user)
                done = _("Proposed “%(title)s”.")
            elif options["action"] == "approve":
                plans.proposal_approve(access=access, objective=objective, by=user)
                done = _("Approved “%(title)s”.")
            else:
                plans.proposal_return(
                    access=access, objective=objective, comment=options["comment"], by=user
                )
                done = _("Returned “%(title)s” to its team with your comment.")
        except PermissionDenied as refusal:
            raise CommandError(str(refusal) or _("You may not do that.")) from refusal
        except ValidationError as error:
            raise CommandError(error_message(error)) from error
        self.stdout.write(done % {"title": objective.title})

    def access(self, user: User, organization_id: int) -> Access | None:
        membership = (
            Membership.objects.filter(organization_id=organization_id, user=user)
            .select_related("organization")
            .first()
        )
        return access_for(membership) if membership else None

    def list(self, user: User, slug: str | None) -> None:
        memberships = Membership.objects.filter(user=user).select_related("organization")
        if slug:
            memberships = memberships.filter(organization__slug=slug)
        found = list(memberships[:21])
        if not found:
            message = (
                _("%(email)s is not a member of that organization.")
                if slug
                else _("%(email)s does not belong to any organization.")
            )
            raise CommandError(message % {"email": user.email})
        if len(found) > 1:
            raise CommandError(
                _("%(email)s belongs to several organizations; choose one with --org: %(slugs)s")
                % {"email": user.email, "slugs": ", ".join(m.organization.slug for m in found)}
            )
        membership = found[0]
        organization = membership.organization
        if not organization.approval_required:
            self.stdout.write(
                _("Approval is off in %(org)s: nothing waits for approval.")
                % {"org": organization.name}
            )
            return
        queue = plans.approval_queue(access_for(membership), organization)
        if not queue:
            self.stdout.write(_("Nothing waits for your approval."))
            return
        for card in queue:
            objective = card.objective
            proposal = card.proposal
            parts = [
                objective.code,
                objective.cycle.name,
                objective.unit.name if objective.unit else "–",
                objective.title,
            ]
            if proposal and proposal.proposed_by:
                parts.append(
                    "("
                    + _("proposed by %(name)s") % {"name": proposal.proposed_by.display_name}
                    + ")"
                )
            self.stdout.write("  ".join(parts))
