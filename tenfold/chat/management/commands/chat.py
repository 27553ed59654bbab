"""tenfold chat: list a unit's Slack and Teams channels, add one, remove one, or send a test
message, from the shell.

Everything runs as the person given with `--as`, through the same selectors and services as the
web pages, so the command may do exactly what that person may do there."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from tenfold.organizations.cli import access_of, error_message
from tenfold.organizations.models import Unit
from tenfold.organizations.permissions import Access

from ... import services
from ...models import CHAT_KINDS, ChatChannel, Provider
from ...selectors import can_manage_chat, channel_data, get_channel


class Command(BaseCommand):
    help = "List, add or remove a unit's Slack and Teams channels, or send one a test message."

    def add_arguments(self, parser: CommandParser) -> None:
        who = CommandParser(add_help=False)
        who.add_argument(
            "--as",
            dest="email",
            required=True,
            metavar="EMAIL",
            help="Email of the person running the command (a lead of the unit or an admin).",
        )
        who.add_argument(
            "--org",
            metavar="SLUG",
            help="The organization's address (default: the person's only organization).",
        )
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        listing = actions.add_parser(
            "list", parents=[who], help="Channels of one unit, or of every unit you manage."
        )
        listing.add_argument("--unit", metavar="UNIT", help="The unit (code or name).")
        listing.add_argument("--json", action="store_true", help="Print JSON instead of text.")

        add = actions.add_parser("add", parents=[who], help="Add a channel to a unit.")
        add.add_argument("--unit", metavar="UNIT", required=True, help="The unit (code or name).")
        add.add_argument(
            "--provider", required=True, choices=Provider.values, help="slack or teams."
        )
        add.add_argument("--name", required=True, help="How people recognise it: #growth-team.")
        add.add_argument("--url", required=True, help="The channel's incoming webhook URL.")
        add.add_argument(
            "--kinds",
            metavar="KINDS",
            help="Comma-separated, among: "
            + ", ".join(CHAT_KINDS)
            + " (default: the reminder, the unit's digest and at-risk alerts).",
        )

        remove = actions.add_parser("remove", parents=[who], help="Remove a channel.")
        remove.add_argument("code", metavar="CODE", help="The channel's code (see `list`).")

        test = actions.add_parser("test", parents=[who], help="Send a test message now.")
        test.add_argument("code", metavar="CODE", help="The channel's code (see `list`).")

    def handle(self, *args: Any, **options: Any) -> None:
        access = access_of(options["email"], options.get("org"))
        action = options["action"]
        try:
            getattr(self, f"_{action}")(access, options)
        except ValidationError as error:
            raise CommandError(error_message(error)) from None
        except PermissionDenied as error:
            raise CommandError(str(error) or _("You may not do that.")) from None
        except Http404:
            raise CommandError(_("No chat channel of this organization has that code.")) from None

    # --- actions ------------------------------------------------------------------------------

    def _unit(self, access: Access, wanted: str) -> Unit:
        organization = access.membership.organization
        wanted = wanted.strip()
        found = list(
            Unit.objects.filter(organization=organization).filter(
                Q(code=wanted.lower()) | Q(name__iexact=wanted)
            )[:2]
        )
        if not found:
            raise CommandError(_("No unit is called or coded “%(unit)s”.") % {"unit": wanted})
        if len(found) > 1:
            raise CommandError(
                _("Several units are called “%(unit)s”: use the code.") % {"unit": wanted}
            )
        found[0].organization = organization
        return found[0]

    def _list(self, access: Access, options: dict[str, Any]) -> None:
        organization = access.membership.organization
        channels = ChatChannel.objects.filter(organization=organization).select_related("unit")
        if options.get("unit"):
            unit = self._unit(access, options["unit"])
            if not can_manage_chat(access, unit):
                raise PermissionDenied(
                    _("Only the unit's leads and admins manage its chat channels.")
                )
            channels = channels.filter(unit=unit)
        rows = [
            c
            for c in channels.order_by("unit__name", "created_at")
            if can_manage_chat(access, c.unit)
        ]
        if options["json"]:
            data = [channel_data(channel) for channel in rows]
            self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, indent=2))
            return
        if not rows:
            self.stdout.write(_("No chat channels here yet."))
            return
        for channel in rows:
            state = _("active") if channel.active else _("paused")
            self.stdout.write(
                f"{channel.code}  {channel.unit.name}  {channel.get_provider_display()}  "
                f"{channel.name}  {channel.url_hint}  [{', '.join(channel.kinds or [])}]  {state}"
            )
            if channel.last_error:
                self.stdout.write("    " + _("last error: %(e)s") % {"e": channel.last_error})

    def _add(self, access: Access, options: dict[str, Any]) -> None:
        unit = self._unit(access, options["unit"])
        kinds = options.get("kinds")
        channel = services.channel_create(
            access=access,
            unit=unit,
            provider=options["provider"],
            name=options["name"],
            url=options["url"],
            kinds=kinds if kinds is not None else None,
        )
        self.stdout.write(
            _("Added %(name)s (%(code)s) to %(unit)s.")
            % {"name": channel.name, "code": channel.code, "unit": unit.name}
        )
        warning = services.url_warning(channel.provider, channel.webhook_url)
        if warning:
            self.stderr.write(warning)

    def _remove(self, access: Access, options: dict[str, Any]) -> None:
        channel = get_channel(access, options["code"])
        services.channel_delete(access=access, channel=channel)
        self.stdout.write(_("Removed %(name)s.") % {"name": channel.name})

    def _test(self, access: Access, options: dict[str, Any]) -> None:
        channel = get_channel(access, options["code"])
        try:
            services.channel_test(access=access, channel=channel)
        except services.ChatError as error:
            raise CommandError(
                _("The test message did not arrive: %(error)s") % {"error": error}
            ) from None
        self.stdout.write(_("Test message sent to %(name)s.") % {"name": channel.name})
