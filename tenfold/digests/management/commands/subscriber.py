"""tenfold subscriber: list, add and remove the people outside the organization who receive a
weekly digest by email. Runs as an admin given with `--as`, through the same services as the
settings page."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils.translation import gettext as _

from tenfold.organizations.cli import access_of, error_message
from tenfold.organizations.permissions import Access

from ... import services
from ...models import Section, Subscriber
from ...selectors import subscriber_data, subscribers_of
from .digest import unit_of


class Command(BaseCommand):
    help = "List, add or remove the people outside the organization who receive a digest."

    def add_arguments(self, parser: CommandParser) -> None:
        who = CommandParser(add_help=False)
        who.add_argument(
            "--as",
            dest="email",
            required=True,
            metavar="EMAIL",
            help="Email of the admin running the command.",
        )
        who.add_argument(
            "--org",
            metavar="SLUG",
            help="The organization's address (default: the person's only organization).",
        )
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        listing = actions.add_parser("list", parents=[who], help="Every subscriber.")
        listing.add_argument("--json", action="store_true", help="Print JSON instead of text.")

        add = actions.add_parser("add", parents=[who], help="Add a subscriber.")
        add.add_argument("address", metavar="ADDRESS", help="Their email address.")
        add.add_argument("--name", default="", help="How the list calls them.")
        add.add_argument(
            "--unit", metavar="UNIT", help="A unit's code or name (default: the company)."
        )
        add.add_argument(
            "--sections",
            metavar="LIST",
            help="Comma-separated, any of: "
            + ", ".join(Section.values)
            + " (default: summary,objectives,highlights).",
        )
        add.add_argument(
            "--include-names",
            action="store_true",
            help="Let their digest name the owners of key results that need attention.",
        )

        remove = actions.add_parser("remove", parents=[who], help="Remove a subscriber.")
        remove.add_argument("subscriber", metavar="CODE_OR_ADDRESS", help="Code or address.")
        remove.add_argument(
            "--unit", metavar="UNIT", help="With an address: which digest (default: company)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        access = access_of(options["email"], options.get("org"))
        if not access.is_admin:
            raise CommandError(_("Only owners and admins manage who receives digests."))
        try:
            getattr(self, f"do_{options['action']}")(access, options)
        except ValidationError as error:
            raise CommandError(error_message(error)) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error

    def do_list(self, access: Access, options: dict[str, Any]) -> None:
        found = subscribers_of(access.membership.organization)
        if options["json"]:
            data = [subscriber_data(subscriber) for subscriber in found]
            self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
            return
        if not found:
            self.stdout.write(_("Nobody outside the organization receives a digest."))
            return
        for subscriber in found:
            scope = subscriber.unit.name if subscriber.unit else _("company")
            state = _("active") if subscriber.active else _("not sending")
            names = _("with names") if subscriber.include_names else _("no names")
            self.stdout.write(
                f"{subscriber.code}  {subscriber.email}  {scope}  {state}  "
                f"{','.join(subscriber.sections)}  {names}"
            )

    def do_add(self, access: Access, options: dict[str, Any]) -> None:
        raw = options.get("sections")
        sections = None
        if raw is not None:
            sections = [part.strip() for part in raw.split(",") if part.strip()]
        subscriber = services.subscriber_add(
            access=access,
            email=options["address"],
            name=options["name"],
            unit=unit_of(access.membership.organization, options.get("unit")),
            sections=sections,
            include_names=options["include_names"],
        )
        self.stdout.write(
            _("Added %(email)s (%(code)s): the digest goes out from next week on.")
            % {"email": subscriber.email, "code": subscriber.code}
        )

    def do_remove(self, access: Access, options: dict[str, Any]) -> None:
        organization = access.membership.organization
        wanted = options["subscriber"].strip().lower()
        found = Subscriber.objects.filter(organization=organization).filter(
            Q(code=wanted) | Q(email=wanted)
        )
        if "@" in wanted:
            found = found.filter(unit=unit_of(organization, options.get("unit")))
        subscriber = found.select_related("unit").first()
        if subscriber is None:
            raise CommandError(
                _("No subscriber “%(who)s” here (`tenfold subscriber list` shows them).")
                % {"who": options["subscriber"]}
            )
        services.subscriber_remove(access=access, subscriber=subscriber)
        self.stdout.write(_("Removed %(email)s.") % {"email": subscriber.email})
