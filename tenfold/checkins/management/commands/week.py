"""tenfold week: read and write a weekly report (Plans, Progress, Problems) from the shell.

Every change goes through the services of `tenfold.checkins.weekly`, as the person given with
`--as`, so the command may do exactly what that person may do on the web."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.utils.translation import gettext as _

from tenfold.checkins.models import Category, Source, WeeklyItem
from tenfold.checkins.selectors import columns, key_results_to_update, week_items
from tenfold.checkins.weekly import (
    PLANS_GUIDE,
    UNCHANGED,
    categories,
    get_item,
    item_add,
    item_delete,
    item_done,
    item_move,
    item_resolve,
    item_update,
    report_get,
    week_containing,
    week_of,
)
from tenfold.cli.client import add_remote_arguments
from tenfold.cli.remote import connect, plainly
from tenfold.organizations.cli import access_of, error_message
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access
from tenfold.web.templatetags.tenfold import kr_value, status_label


def parse_day(raw: str | None) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise CommandError(
            _("“%(raw)s” is not a date; write it as YYYY-MM-DD.") % {"raw": raw}
        ) from None


def category_key(organization: Organization, raw: str) -> str:
    """A category from its key or its name, in any case ("plans", "Problems", "Lessons")."""
    wanted = raw.strip().casefold()
    for category in categories(organization):
        if wanted in (category.key.casefold(), category.name.casefold()):
            return category.key
    return raw.strip()


def category_name(organization: Organization, key: str) -> str:
    for category in categories(organization):
        if category.key == key:
            return category.name
    return key


def link_of(item: WeeklyItem) -> dict[str, str] | None:
    if getattr(item, "link_hidden", False):
        return None
    if item.key_result_id and item.key_result:
        return {"type": "key_result", "code": item.key_result.code, "title": item.key_result.title}
    if item.objective_id and item.objective:
        return {"type": "objective", "code": item.objective.code, "title": item.objective.title}
    return None


def item_json(item: WeeklyItem) -> dict[str, Any]:
    """The same shape as the API's weekly item."""
    return {
        "code": item.code,
        "category": item.category,
        "text": item.text,
        "position": item.position,
        "link": link_of(item),
        "link_hidden": bool(getattr(item, "link_hidden", False)),
        "carried_from": item.carried_from.code if item.carried_from else None,
        "done_at": item.done_at,
        "resolved_at": item.resolved_at,
        "source": item.source,
        "created_at": item.created_at,
    }


@dataclass
class KrLine:
    """A key result to update, with its values already written in its own format."""

    code: str
    title: str
    current: str
    target: str
    expected: str
    status: str
    confidence: str


def group(
    known: list[dict[str, str]], items: list[dict[str, Any]]
) -> list[tuple[str, list[dict[str, Any]]]]:
    """Items in the organization's categories, in order; an item of a category that has since
    been removed is listed under its stored key so nothing disappears."""
    result: dict[str, tuple[str, list[dict[str, Any]]]] = {c["key"]: (c["name"], []) for c in known}
    for item in items:
        if item["category"] not in result:
            result[item["category"]] = (item["category"], [])
        result[item["category"]][1].append(item)
    return list(result.values())


class Command(BaseCommand):
    help = (
        "Read and write a weekly report: show the week, add items to Plans, Progress or "
        "Problems, mark plans done, resolve problems, move, edit and delete items."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        who = CommandParser(add_help=False)
        who.add_argument(
            "--as",
            dest="email",
            metavar="EMAIL",
            help="Email of the person whose week it is (local use; on a server, the token's).",
        )
        who.add_argument(
            "--org",
            metavar="SLUG",
            help="The organization's address (default: the person's only organization).",
        )
        add_remote_arguments(who)
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        show = actions.add_parser(
            "show",
            parents=[who],
            help="The week's items by category and the key results to update.",
        )
        show.add_argument("--week", metavar="YYYY-MM-DD", help="Any day of the week to show.")
        show.add_argument("--json", action="store_true", help="Print JSON instead of text.")

        add = actions.add_parser("add", parents=[who], help="Add an item to the week.")
        add.add_argument("category", metavar="CATEGORY", help="plans, progress, problems, …")
        add.add_argument("text", metavar="TEXT", nargs="+", help="What the item is about.")
        add.add_argument("--link", default="", metavar="CODE", help="A key result or objective.")
        add.add_argument("--week", metavar="YYYY-MM-DD", help="Any day of the week to add to.")

        done = actions.add_parser("done", parents=[who], help="Mark a plan done.")
        done.add_argument("code", metavar="CODE")
        done.add_argument("--undo", action="store_true", help="Put the item back into Plans.")

        move = actions.add_parser("move", parents=[who], help="Move an item to another category.")
        move.add_argument("code", metavar="CODE")
        move.add_argument("category", metavar="CATEGORY")

        resolve = actions.add_parser("resolve", parents=[who], help="Mark a problem resolved.")
        resolve.add_argument("code", metavar="CODE")
        resolve.add_argument("--reopen", action="store_true", help="Open the problem again.")

        delete = actions.add_parser("delete", parents=[who], help="Delete an item.")
        delete.add_argument("code", metavar="CODE")

        edit = actions.add_parser("edit", parents=[who], help="Change an item's text or link.")
        edit.add_argument("code", metavar="CODE")
        edit.add_argument("--text", help="The new text.")
        edit.add_argument("--link", metavar="CODE", help="A key result or objective; '' unlinks.")

    def handle(self, *args: Any, **options: Any) -> None:
        with plainly():
            remote = connect(options, as_email=options["email"])
            if remote is not None:
                from tenfold.cli.week_remote import RemoteWeek

                RemoteWeek(self, remote).run(options)
                return
        if not options["email"]:
            raise CommandError(
                _(
                    "Say whose week it is with --as EMAIL, or set TENFOLD_URL and "
                    "TENFOLD_TOKEN to use a server."
                )
            )
        access = access_of(options["email"], options["org"])
        action = options["action"]
        try:
            if action == "show":
                self.show(access, parse_day(options["week"]), as_json=options["json"])
            elif action == "add":
                self.add(access, options)
            else:
                self.change(access, action, options)
        except ValidationError as error:
            raise CommandError(error_message(error)) from error
        except PermissionDenied as error:
            raise CommandError(str(error) or _("You may not do that.")) from error

    # --- reading --------------------------------------------------------------------------

    def show(self, access: Access, day: dt.date | None, *, as_json: bool) -> None:
        organization = access.membership.organization
        user = access.membership.user
        week = week_containing(organization, day) if day else week_of(organization)
        report = report_get(organization, user.pk, week)
        items = week_items(access, organization, user.pk, report)
        krs = key_results_to_update(access, organization, user.pk)
        plans = sum(1 for item in items if item.category == Category.PLANS)
        if as_json:
            data = {
                "organization": organization.slug,
                "week": week,
                "person": {"name": user.display_name, "email": user.email},
                "categories": [{"key": c.key, "name": c.name} for c in categories(organization)],
                "items": [item_json(item) for item in items],
                "plans_count": plans,
                "key_results": [
                    {
                        "code": kr.code,
                        "title": kr.title,
                        "objective": kr.objective.code,
                        "current": kr.current,
                        "target": kr.target,
                        "expected": getattr(kr, "expected", None),
                        "status": str(getattr(kr, "status", "")),
                        "last_checkin_at": kr.last_checkin_at,
                        "confidence": None
                        if kr.last_confidence is None
                        else round(kr.last_confidence * 10),
                    }
                    for kr in krs
                ],
            }
            self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, indent=2))
            return
        grouped = [
            (column.category.name, [item_json(item) for item in column.items])
            for column in columns(organization, items)
        ]
        lines = []
        for kr in krs:
            expected = getattr(kr, "expected", None)
            lines.append(
                KrLine(
                    code=kr.code,
                    title=kr.title,
                    current=kr_value(kr),
                    target=kr_value(kr, "target"),
                    expected="–" if expected is None else kr_value(kr, expected),
                    status=str(getattr(kr, "status", "")),
                    confidence="–"
                    if kr.last_confidence is None
                    else str(round(kr.last_confidence * 10)),
                )
            )
        self.render(
            week=week,
            person=user.display_name,
            organization=organization.name,
            grouped=grouped,
            plans=plans,
            krs=lines,
        )

    def render(
        self,
        *,
        week: dt.date,
        person: str,
        organization: str,
        grouped: list[tuple[str, list[dict[str, Any]]]],
        plans: int,
        krs: list[KrLine],
    ) -> None:
        """The week as text, from items in the API's shape (so both modes print alike)."""
        self.stdout.write(
            _("Week of %(week)s · %(name)s · %(org)s")
            % {"week": week.isoformat(), "name": person, "org": organization}
        )
        for name, entries in grouped:
            self.stdout.write("")
            self.stdout.write(f"{name} ({len(entries)})")
            if not entries:
                self.stdout.write("  " + _("(nothing yet)"))
            for entry in entries:
                self.stdout.write(f"  {entry['code']}  {self.line(entry)}")
        if plans > PLANS_GUIDE[1]:
            self.stdout.write("")
            self.stdout.write(
                _("%(n)d plans: the method suggests %(low)d to %(high)d priorities a week.")
                % {"n": plans, "low": PLANS_GUIDE[0], "high": PLANS_GUIDE[1]}
            )
        self.stdout.write("")
        self.stdout.write(_("Key results to update"))
        if not krs:
            self.stdout.write("  " + _("(none in the current cycle)"))
        for kr in krs:
            self.stdout.write(
                "  "
                + _(
                    "%(code)s  %(title)s: %(current)s of %(target)s (expected %(expected)s) · "
                    "%(status)s · confidence %(confidence)s/10"
                )
                % {
                    "code": kr.code,
                    "title": kr.title,
                    "current": kr.current,
                    "target": kr.target,
                    "expected": kr.expected,
                    "status": status_label(kr.status),
                    "confidence": kr.confidence,
                }
            )

    def line(self, item: dict[str, Any]) -> str:
        parts = [item["text"]]
        link = item.get("link")
        if link:
            parts.append(f"→ {link['code']} “{link['title']}”")
        elif item.get("link_hidden"):
            parts.append(_("→ an OKR you cannot see"))
        if item.get("carried_from"):
            parts.append(_("(carried over)"))
        if item["category"] == Category.PROGRESS and item.get("done_at"):
            parts.append(_("(done)"))
        if item.get("resolved_at"):
            parts.append(_("(resolved)"))
        return "  ".join(parts)

    # --- writing --------------------------------------------------------------------------

    def add(self, access: Access, options: dict[str, Any]) -> None:
        organization = access.membership.organization
        category = category_key(organization, options["category"])
        item = item_add(
            access=access,
            category=category,
            text=" ".join(options["text"]),
            week=parse_day(options["week"]),
            link=options["link"],
            source=Source.CLI,
        )
        self.stdout.write(
            _("Added to %(category)s: “%(text)s” (%(code)s).")
            % {
                "category": category_name(organization, item.category),
                "text": item.text,
                "code": item.code,
            }
        )

    def change(self, access: Access, action: str, options: dict[str, Any]) -> None:
        organization = access.membership.organization
        code = options["code"].strip().lower()
        try:
            item = get_item(access, code)
        except Http404:
            raise CommandError(
                _("No item “%(code)s” in a week you can see (`tenfold week show` lists them).")
                % {"code": options["code"]}
            ) from None
        if action == "done":
            item = item_done(access=access, item=item, done=not options["undo"])
            message = (
                _("Back in %(category)s: “%(text)s”.")
                if options["undo"]
                else _("Done, now in %(category)s: “%(text)s”.")
            )
        elif action == "move":
            category = category_key(organization, options["category"])
            item = item_move(access=access, item=item, category=category)
            message = _("Moved to %(category)s: “%(text)s”.")
        elif action == "resolve":
            item = item_resolve(access=access, item=item, resolved=not options["reopen"])
            message = (
                _("Open again: “%(text)s”.") if options["reopen"] else _("Resolved: “%(text)s”.")
            )
        elif action == "delete":
            item_delete(access=access, item=item)
            message = _("Deleted “%(text)s”.")
        else:
            if options["text"] is None and options["link"] is None:
                raise CommandError(_("Say what to change with --text, --link or both."))
            item = item_update(
                access=access,
                item=item,
                text=UNCHANGED if options["text"] is None else options["text"],
                link=UNCHANGED if options["link"] is None else options["link"],
            )
            message = _("Saved “%(text)s”.")
        self.stdout.write(
            message % {"category": category_name(organization, item.category), "text": item.text}
        )
