"""tenfold habits: the leaderboard of habits from the shell.

Teams ranked by check-in streak or weekly participation, through the same selector as the web
page and the API. Without `--as` it counts every objective, as an operator sees them; with
`--as EMAIL` it counts what that person may see, as their web page does. Habits only: no
progress or score is printed (docs/scores-policy.md)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from tenfold.accounts.models import User
from tenfold.organizations.models import Membership, Organization
from tenfold.organizations.permissions import Access, access_for
from tenfold.web.templatetags.tenfold import pct

from ...selectors import SORTS, Leaderboard, leaderboard, leaderboard_data


def organization_from(slug: str | None) -> Organization:
    """The organization at `slug`, or the only one there is."""
    if slug:
        found = Organization.objects.filter(slug=slug.strip()).first()
        if found is None:
            raise CommandError(_("No organization at the address “%(slug)s”.") % {"slug": slug})
        return found
    orgs = list(Organization.objects.order_by("slug")[:21])
    if not orgs:
        raise CommandError(_("There is no organization yet: create one with `tenfold createorg`."))
    if len(orgs) > 1:
        raise CommandError(
            _("Several organizations exist; choose one with --org: %(slugs)s")
            % {"slugs": ", ".join(org.slug for org in orgs[:20])}
        )
    return orgs[0]


def access_of(email: str, organization: Organization) -> Access:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CommandError(_("Nobody signs in as %(email)s.") % {"email": email})
    membership = (
        Membership.objects.filter(user=user, organization=organization)
        .select_related("organization", "user")
        .first()
    )
    if membership is None:
        raise CommandError(
            _("%(email)s is not a member of %(org)s.") % {"email": email, "org": organization.name}
        )
    return access_for(membership)


class Command(BaseCommand):
    help = (
        "Show the leaderboard of habits: teams by check-in streak or weekly participation, "
        "never by OKR progress or scores."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--org", metavar="SLUG", help=_("The organization's address (default: the only one).")
        )
        parser.add_argument(
            "--sort",
            choices=SORTS,
            default=SORTS[0],
            help=_("Rank by check-in streak (default) or weekly participation."),
        )
        parser.add_argument(
            "--departments", action="store_true", help=_("Rank departments as well as teams.")
        )
        parser.add_argument(
            "--as",
            dest="as_email",
            metavar="EMAIL",
            help=_("Count only the objectives this person may see (default: all of them)."),
        )
        parser.add_argument("--json", action="store_true", help=_("Print JSON."))

    def handle(self, *args: Any, **options: Any) -> None:
        organization = organization_from(options["org"])
        access = access_of(options["as_email"], organization) if options["as_email"] else None
        board = leaderboard(
            organization, access, sort=options["sort"], departments=options["departments"]
        )
        if options["json"]:
            data = leaderboard_data(board)
            self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, indent=2))
            return
        self.print_board(organization, board)

    def print_board(self, organization: Organization, board: Leaderboard) -> None:
        write = self.stdout.write
        if not board.enabled:
            write(
                _(
                    "Habit leaderboards are off in %(org)s. An admin turns them on in "
                    "Settings → General."
                )
                % {"org": organization.name}
            )
            return
        cycle = board.cycle.name if board.cycle else "–"
        write(
            _("Habits in %(org)s · cycle %(cycle)s · week of %(week)s")
            % {"org": organization.name, "cycle": cycle, "week": board.week.isoformat()}
        )
        if not board.rows:
            write(_("(no teams yet)"))
            return
        header = (
            "#",
            _("Team"),
            _("Streak"),
            _("Wrote %(week)s") % {"week": board.last_week.isoformat()},
            _("Key results"),
        )
        rows: list[tuple[str, ...]] = [header]
        for row in board.rows:
            share = (
                f"{row.wrote}/{row.people} ({pct(row.participation)})"
                if row.participation is not None
                else "–"
            )
            rows.append(
                (
                    str(row.rank),
                    row.unit.name,
                    _("%(n)d wk") % {"n": row.streak.weeks},
                    share,
                    str(row.key_results),
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        for line in rows:
            cells = [
                cell.rjust(width) if i in (0, 2, 3, 4) else cell.ljust(width)
                for i, (cell, width) in enumerate(zip(line, widths, strict=True))
            ]
            write("  ".join(cells).rstrip())
        write("")
        write(
            _(
                "Habits only: OKR progress and scores never rank teams or people "
                "(docs/scores-policy.md)."
            )
        )
