"""tenfold calendar url: print a person's calendar feed URL, or a unit's, to paste into a
calendar app as a subscription; `--reset` makes a new one first (the old one stops working).

Runs as the person given with `--as`, with the same rules as the pages: a unit's link is for
its members, leads and admins; resetting it, for its leads and admins."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils.translation import gettext as _

from tenfold.organizations.cli import access_of
from tenfold.organizations.models import Unit

from ... import services
from ...selectors import may_see_unit_feed, person_feed_url, unit_feed_url


class Command(BaseCommand):
    help = "Print the calendar feed URL of a person or a unit (iCalendar, for subscriptions)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        url = actions.add_parser("url", help="Print a feed URL.")
        url.add_argument(
            "--as",
            dest="email",
            required=True,
            metavar="EMAIL",
            help="Email of the person whose feed (or whose unit's feed) to print.",
        )
        url.add_argument(
            "--org",
            metavar="SLUG",
            help="The organization's address (default: the person's only organization).",
        )
        url.add_argument(
            "--unit", metavar="UNIT", help="A unit's feed instead of the person's (code or name)."
        )
        url.add_argument(
            "--reset",
            action="store_true",
            help="Make a new link first; the old one stops working at once.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        access = access_of(options["email"], options.get("org"))
        organization = access.membership.organization
        try:
            if not options.get("unit"):
                if options["reset"]:
                    url = services.person_feed_reset(access=access)
                else:
                    url = person_feed_url(organization, access.membership.user)
                self.stdout.write(url)
                return
            wanted = options["unit"].strip()
            found = list(
                Unit.objects.filter(organization=organization).filter(
                    Q(code=wanted.lower()) | Q(name__iexact=wanted)
                )[:2]
            )
            if len(found) != 1:
                raise CommandError(
                    _("No unit is called or coded “%(unit)s”.") % {"unit": wanted}
                    if not found
                    else _("Several units are called “%(unit)s”: use the code.") % {"unit": wanted}
                )
            unit = found[0]
            if not may_see_unit_feed(access, unit):
                raise PermissionDenied(
                    _("Only the unit's members, leads and admins get its calendar.")
                )
            if options["reset"]:
                url = services.unit_feed_reset(access=access, unit=unit)
            else:
                url = unit_feed_url(organization, unit)
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self.stdout.write(url)
