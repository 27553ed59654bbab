"""tenfold webhook: list an organization's webhooks, add or remove one, send a test event,
make a new secret, and read a webhook's delivery log, from the shell.

Everything runs as the person given with `--as`, who must be an owner or admin of the
organization, through the same selectors and services as the settings pages."""

from __future__ import annotations

import json
import zoneinfo
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.organizations.cli import access_of, error_message
from tenfold.organizations.permissions import Access

from ... import services
from ...events import EVENT_KEYS
from ...models import DeliveryStatus, Webhook
from ...selectors import (
    LOG_SIZE,
    deliveries_of,
    delivery_data,
    get_webhook,
    require_admin,
    webhook_data,
    webhooks_of,
)


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


class Command(BaseCommand):
    help = (
        "Manage the organization's outbound webhooks: list, add, remove, test, rotate (a new "
        "secret) and deliveries (the log). Owners and admins only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        who = CommandParser(add_help=False)
        who.add_argument(
            "--as",
            dest="email",
            required=True,
            metavar="EMAIL",
            help="Email of the person running the command (an owner or admin).",
        )
        who.add_argument(
            "--org",
            metavar="SLUG",
            help="The organization's address (default: the person's only organization).",
        )
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        listing = actions.add_parser("list", parents=[who], help="The organization's webhooks.")
        listing.add_argument("--json", action="store_true", help="Print JSON instead of text.")

        add = actions.add_parser(
            "add", parents=[who], help="Add a webhook; prints its code and signing secret."
        )
        add.add_argument("url", metavar="URL", help="The http:// or https:// address to POST to.")
        add.add_argument("--name", required=True, help="What it feeds, e.g. “Data warehouse”.")
        add.add_argument(
            "--event",
            dest="events",
            action="append",
            default=[],
            metavar="TYPE",
            help="An event type to send (repeat for several; none means every event): "
            + ", ".join(EVENT_KEYS),
        )
        add.add_argument(
            "--include-private",
            action="store_true",
            help="Also send events about objectives not everyone may see.",
        )
        add.add_argument(
            "--inactive", action="store_true", help="Add it switched off (nothing is sent)."
        )

        remove = actions.add_parser(
            "remove", parents=[who], help="Delete a webhook and its delivery log."
        )
        remove.add_argument("code", metavar="CODE", help="The webhook's code (`webhook list`).")

        test = actions.add_parser(
            "test",
            parents=[who],
            help="Send a test event now and print the answer; exits with an error if it failed.",
        )
        test.add_argument("code", metavar="CODE", help="The webhook's code.")

        rotate = actions.add_parser(
            "rotate",
            parents=[who],
            help="Give a webhook a new secret (the old one also signs for 24 hours).",
        )
        rotate.add_argument("code", metavar="CODE", help="The webhook's code.")

        log = actions.add_parser("deliveries", parents=[who], help="A webhook's newest deliveries.")
        log.add_argument("code", metavar="CODE", help="The webhook's code.")
        log.add_argument(
            "--status", choices=DeliveryStatus.values, help="Only deliveries in this status."
        )
        log.add_argument(
            "--limit",
            type=int,
            default=LOG_SIZE,
            help=f"How many, newest first (1–200, default {LOG_SIZE}).",
        )
        log.add_argument("--json", action="store_true", help="Print JSON, payloads included.")

    def handle(self, *args: Any, **options: Any) -> None:
        access = access_of(options["email"], options.get("org"))
        action = options["action"]
        try:
            require_admin(access)
            getattr(self, f"do_{action}")(access, options)
        except ValidationError as error:
            raise CommandError(error_message(error)) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error

    def _webhook(self, access: Access, code: str) -> Webhook:
        try:
            return get_webhook(access, code)
        except Http404:
            raise CommandError(
                _("No webhook has the code “%(code)s” here (`tenfold webhook list` shows them).")
                % {"code": code}
            ) from None

    def _json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False))

    # --- actions ------------------------------------------------------------------------------

    def do_list(self, access: Access, options: dict[str, Any]) -> None:
        webhooks = webhooks_of(access.membership.organization)
        if options["json"]:
            self._json([webhook_data(webhook) for webhook in webhooks])
            return
        if not webhooks:
            self.stdout.write(_("No webhooks yet. Add one with `tenfold webhook add URL --name`."))
            return
        for webhook in webhooks:
            state = _("active") if webhook.active else _("off")
            events = ", ".join(webhook.event_types) if webhook.event_types else _("all events")
            self.stdout.write(f"{webhook.code}  {webhook.name}  [{state}]  {webhook.url}")
            self.stdout.write(f"    {events}")
            if webhook.disabled_reason:
                self.stdout.write(f"    {webhook.disabled_reason}")

    def do_add(self, access: Access, options: dict[str, Any]) -> None:
        webhook = services.webhook_create(
            organization=access.membership.organization,
            name=options["name"],
            url=options["url"],
            event_types=options["events"],
            include_private=options["include_private"],
            active=not options["inactive"],
            by=access.membership.user,
        )
        self.stdout.write(_("Added webhook %(code)s.") % {"code": webhook.code})
        self.stdout.write(_("Signing secret: %(secret)s") % {"secret": webhook.secret})

    def do_remove(self, access: Access, options: dict[str, Any]) -> None:
        webhook = self._webhook(access, options["code"])
        services.webhook_delete(webhook=webhook, by=access.membership.user)
        self.stdout.write(
            _("Deleted webhook %(code)s (%(name)s).") % {"code": webhook.code, "name": webhook.name}
        )

    def do_rotate(self, access: Access, options: dict[str, Any]) -> None:
        webhook = services.webhook_rotate_secret(
            webhook=self._webhook(access, options["code"]), by=access.membership.user
        )
        self.stdout.write(_("New signing secret: %(secret)s") % {"secret": webhook.secret})
        self.stdout.write(_("The old secret also signs requests for the next 24 hours."))

    def do_test(self, access: Access, options: dict[str, Any]) -> None:
        delivery = services.webhook_send_test(
            webhook=self._webhook(access, options["code"]), by=access.membership.user
        )
        if delivery.status != DeliveryStatus.SUCCEEDED:
            status = f" ({delivery.response_status})" if delivery.response_status else ""
            raise CommandError(
                _("The test event failed%(status)s: %(error)s")
                % {"status": status, "error": delivery.error}
            )
        self.stdout.write(
            _("Received: status %(status)s in %(ms)d ms.")
            % {"status": delivery.response_status, "ms": delivery.duration_ms or 0}
        )

    def do_deliveries(self, access: Access, options: dict[str, Any]) -> None:
        webhook = self._webhook(access, options["code"])
        limit = options["limit"]
        if not 1 <= limit <= 200:
            raise CommandError(_("Ask for between 1 and 200 deliveries."))
        rows = deliveries_of(webhook, limit=limit, status=options.get("status"))
        if options["json"]:
            self._json([delivery_data(delivery, payload=True) for delivery in rows])
            return
        if not rows:
            self.stdout.write(
                _("No deliveries in that status.")
                if options.get("status")
                else _("Nothing sent yet.")
            )
            return
        zone = _zone(access.membership.organization.time_zone)
        for delivery in rows:
            answer = str(delivery.response_status or "—")
            took = f"{delivery.duration_ms} ms" if delivery.duration_ms is not None else "—"
            when = timezone.localtime(delivery.created_at, zone)
            line = (
                f"{when:%Y-%m-%d %H:%M}  {delivery.code}  {delivery.event_type:<24}"
                f"  {delivery.status:<9}  {answer:>3}  {took:>8}  x{delivery.attempts}"
            )
            self.stdout.write(line)
            if delivery.error:
                self.stdout.write(f"    {delivery.error}")
