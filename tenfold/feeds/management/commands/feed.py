"""tenfold feed: show, set up, test, sync and delete a key result's data feed, push a value, or
make a new push token, from the shell.

Everything runs as the person given with `--as`, through the same selectors and services as the
web pages, so the command may do exactly what that person may do there."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.utils.translation import gettext as _

from tenfold.okrs.models import KeyResult
from tenfold.okrs.selectors import get_key_result
from tenfold.organizations.cli import access_of, error_message
from tenfold.organizations.permissions import Access

from ... import services
from ...models import DataSource, Format, Kind, Schedule
from ...selectors import can_configure, feed_of, source_data

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Command(BaseCommand):
    help = (
        "Show, set up, test, sync or delete a key result's data feed; push a value to it; make "
        "a new push token."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        common = CommandParser(add_help=False)
        common.add_argument(
            "--as",
            dest="email",
            required=True,
            metavar="EMAIL",
            help="Email of the person running the command.",
        )
        common.add_argument(
            "--org",
            metavar="SLUG",
            help="The organization's address (default: the person's only organization).",
        )
        common.add_argument("code", metavar="KEY_RESULT", help="The key result's code.")
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        show = actions.add_parser("show", parents=[common], help="The feed and its last sync.")
        show.add_argument("--json", action="store_true", help="Print JSON instead of text.")

        setting = actions.add_parser(
            "set",
            parents=[common],
            help="Set up or change the feed. Options left out keep their saved values.",
        )
        setting.add_argument("--kind", required=True, choices=Kind.values, help="push, url or sql.")
        setting.add_argument("--url", help="url: the address to fetch.")
        setting.add_argument("--format", choices=Format.values, help="url: json or csv.")
        setting.add_argument(
            "--path", help="url, JSON: the path to the number, e.g. data.metrics[0].value."
        )
        setting.add_argument(
            "--column", help="url, CSV: the column (header name, or position from 1)."
        )
        setting.add_argument("--row", help="url, CSV: last (default), first, or a row number.")
        setting.add_argument("--where", help="url, CSV: only rows where column=value.")
        setting.add_argument(
            "--no-header-row",
            action="store_true",
            help="url, CSV: the first row is data, not column names.",
        )
        setting.add_argument(
            "--header",
            action="append",
            metavar="'NAME: VALUE'",
            help="url: a request header to send (repeat for more); replaces the saved ones.",
        )
        setting.add_argument(
            "--clear-headers", action="store_true", help="url: send no headers any more."
        )
        setting.add_argument(
            "--connection",
            help="sql: postgresql://user:password@host:5432/db, or sqlite:///file.db.",
        )
        setting.add_argument("--query", help="sql: one SELECT returning one number.")
        setting.add_argument(
            "--schedule", choices=Schedule.values, help="Pulls: hourly, daily or weekly."
        )
        setting.add_argument(
            "--hour", type=int, help="Pulls: the hour of a daily or weekly sync (0–23, local)."
        )
        setting.add_argument(
            "--weekday", choices=WEEKDAY_KEYS, help="Weekly pulls: the day (mon … sun)."
        )
        on_off = setting.add_mutually_exclusive_group()
        on_off.add_argument("--enable", action="store_true", help="Turn the feed on.")
        on_off.add_argument("--disable", action="store_true", help="Pause the feed.")

        actions.add_parser(
            "test", parents=[common], help="Read the saved feed's value without recording it."
        )
        actions.add_parser("sync", parents=[common], help="Fetch the value now and record it.")
        push = actions.add_parser("push", parents=[common], help="Send a value to a push feed.")
        push.add_argument("value", metavar="VALUE", help="The number.")
        push.add_argument("--note", default="", help="A note for the check-in.")
        actions.add_parser(
            "rotate", parents=[common], help="Make a new push token (the old one stops working)."
        )
        actions.add_parser("delete", parents=[common], help="Delete the feed (its check-ins stay).")

    def handle(self, *args: Any, **options: Any) -> None:
        access = access_of(options["email"], options.get("org"))
        kr = self._key_result(access, options["code"])
        action = options["action"]
        try:
            getattr(self, f"do_{action}")(access, kr, options)
        except ValidationError as error:
            raise CommandError(error_message(error)) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error

    # --- lookups --------------------------------------------------------------------------

    def _key_result(self, access: Access, code: str) -> KeyResult:
        try:
            return get_key_result(access, (code or "").strip())
        except Http404:
            raise CommandError(
                _("No key result has the code “%(code)s” here.") % {"code": code}
            ) from None

    def _feed(self, kr: KeyResult) -> DataSource:
        source = feed_of(kr)
        if source is None:
            raise CommandError(
                _("This key result has no feed. Set one up with `tenfold feed set`.")
            )
        return source

    # --- actions --------------------------------------------------------------------------

    def do_show(self, access: Access, kr: KeyResult, options: dict[str, Any]) -> None:
        if not can_configure(access, kr):
            raise PermissionDenied(
                _("Only the key result's owner, the leads of its team and admins see its feed.")
            )
        source = self._feed(kr)
        data = source_data(source)
        if options["json"]:
            self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, indent=2))
            return
        self._print(data)

    def _print(self, data: dict[str, Any]) -> None:
        lines = [f"{_('Feed of')} {data['key_result']}: {data['kind']}"]
        labels = {
            "enabled": _("enabled"),
            "url": _("address"),
            "format": _("format"),
            "path": _("path"),
            "csv_column": _("column"),
            "csv_row": _("row"),
            "csv_filter": _("only rows where"),
            "header_names": _("headers"),
            "connection": _("connection"),
            "query": _("query"),
            "schedule": _("schedule"),
            "hour": _("hour"),
            "weekday": _("weekday"),
            "next_run_at": _("next sync"),
            "token_hint": _("token"),
            "last_sync_at": _("last sync"),
            "last_value": _("last value"),
            "last_status": _("status"),
            "last_error": _("error"),
        }
        for key, label in labels.items():
            value = data.get(key)
            if value in (None, "", []):
                continue
            if isinstance(value, list):
                value = ", ".join(value)
            lines.append(f"  {label}: {value}")
        self.stdout.write("\n".join(lines))

    def do_set(self, access: Access, kr: KeyResult, options: dict[str, Any]) -> None:
        headers: Any = None
        if options["header"]:
            headers = "\n".join(options["header"])
        elif options["clear_headers"]:
            headers = {}
        enabled = True if options["enable"] else False if options["disable"] else None
        weekday = options.get("weekday")
        source, token = services.source_set(
            access=access,
            key_result=kr,
            kind=options["kind"],
            url=options.get("url"),
            format=options.get("format"),
            path=options.get("path"),
            csv_column=options.get("column"),
            csv_row=options.get("row"),
            csv_filter=options.get("where"),
            csv_header=False if options["no_header_row"] else None,
            headers=headers,
            connection=options.get("connection"),
            query=options.get("query"),
            schedule=options.get("schedule"),
            schedule_hour=options.get("hour"),
            schedule_weekday=WEEKDAY_KEYS.index(weekday) if weekday else None,
            enabled=enabled,
        )
        source.key_result = kr
        self.stdout.write(_("Feed saved."))
        if token:
            from django.conf import settings
            from django.urls import reverse

            url = settings.SITE_URL + reverse("feed_push", kwargs={"token": token})
            self.stdout.write(
                _("Push values to this address (shown once, copy it now):") + f"\n  {url}"
            )
        self._print(source_data(source))

    def do_test(self, access: Access, kr: KeyResult, options: dict[str, Any]) -> None:
        source = self._feed(kr)
        outcome = services.source_test(access=access, key_result=kr, kind=source.kind)
        if not outcome.ok:
            raise CommandError(outcome.message)
        self.stdout.write(outcome.message)

    def do_sync(self, access: Access, kr: KeyResult, options: dict[str, Any]) -> None:
        source = self._feed(kr)
        services.check_syncable(access=access, source=source)
        outcome = services.source_sync(source=source)
        if not outcome.ok:
            raise CommandError(outcome.message)
        self.stdout.write(outcome.message)

    def do_push(self, access: Access, kr: KeyResult, options: dict[str, Any]) -> None:
        source = self._feed(kr)
        outcome = services.api_push(
            access=access, source=source, value=options["value"], note=options["note"]
        )
        self.stdout.write(outcome.message)

    def do_rotate(self, access: Access, kr: KeyResult, options: dict[str, Any]) -> None:
        from django.conf import settings
        from django.urls import reverse

        source = self._feed(kr)
        token = services.token_rotate(access=access, source=source)
        url = settings.SITE_URL + reverse("feed_push", kwargs={"token": token})
        self.stdout.write(
            _("New push address (shown once, copy it now; the old one no longer works):")
            + f"\n  {url}"
        )

    def do_delete(self, access: Access, kr: KeyResult, options: dict[str, Any]) -> None:
        if services.source_delete(access=access, key_result=kr):
            self.stdout.write(_("Feed deleted. The check-ins it recorded stay in the history."))
        else:
            raise CommandError(_("This key result has no feed to delete."))
