"""`tenfold week` against a server: the same subcommands and the same output as on the local
database, through the API's weekly-report endpoints."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from .client import ApiError
from .present import amount_text
from .remote import Remote, not_found

if TYPE_CHECKING:
    from tenfold.checkins.management.commands.week import Command


class RemoteWeek:
    def __init__(self, command: Command, remote: Remote) -> None:
        self.command = command
        self.remote = remote
        self.client = remote.client

    def run(self, options: dict[str, Any]) -> None:
        from tenfold.checkins.management.commands.week import parse_day

        action = options["action"]
        if action == "show":
            self.show(parse_day(options["week"]), as_json=options["json"])
        elif action == "add":
            self.add(options, parse_day(options["week"]))
        else:
            self.change(action, options)

    # --- reading ------------------------------------------------------------------------------

    def week(self, day: dt.date | None = None) -> dict[str, Any]:
        return self.client.get(
            self.remote.path("/week"), {"week": day.isoformat() if day else None}
        )

    def show(self, day: dt.date | None, *, as_json: bool) -> None:
        from tenfold.checkins.management.commands.week import KrLine, group

        data = self.week(day)
        krs = self.client.get_all(self.remote.path("/week/key-results"))
        if as_json:
            keep = (
                "code",
                "title",
                "objective",
                "current",
                "target",
                "expected",
                "status",
                "last_checkin_at",
                "confidence",
            )
            # Written exactly as the local command writes it.
            self.command.stdout.write(
                json.dumps(
                    {
                        "organization": self.remote.org,
                        "week": data["week"],
                        "person": data["person"],
                        "categories": data["categories"],
                        "items": data["items"],
                        "plans_count": data["plans_count"],
                        "key_results": [{k: kr.get(k) for k in keep} for kr in krs],
                    },
                    cls=DjangoJSONEncoder,
                    indent=2,
                )
            )
            return
        formats = self.formats(krs)
        lines = []
        for kr in krs:
            shape = {**formats.get(kr["code"], {}), "unit_label": kr.get("unit_label", "")}
            lines.append(
                KrLine(
                    code=kr["code"],
                    title=kr["title"],
                    current=amount_text(shape, kr.get("current")),
                    target=amount_text(shape, kr.get("target")),
                    expected=amount_text(shape, kr.get("expected")),
                    status=str(kr.get("status") or ""),
                    confidence="–" if kr.get("confidence") is None else str(kr["confidence"]),
                )
            )
        self.command.render(
            week=dt.date.fromisoformat(data["week"]),
            person=data["person"]["name"],
            organization=self.remote.org_name,
            grouped=group(data["categories"], data["items"]),
            plans=int(data["plans_count"]),
            krs=lines,
        )

    def formats(self, krs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """How each key result writes its values (percent, currency, decimals), read from the
        current cycle's objectives in one request; a key result of another cycle is asked for
        on its own."""
        wanted = {kr["code"] for kr in krs}
        if not wanted:
            return {}
        found: dict[str, dict[str, Any]] = {}
        for objective in self.client.get_all(self.remote.path("/objectives")):
            for kr in objective.get("key_results", []):
                if kr["code"] in wanted:
                    found[kr["code"]] = kr
        for code in sorted(wanted - set(found)):
            try:
                found[code] = self.client.get(self.remote.path("/key-results/{}", code))
            except ApiError as error:
                if error.status != 404:
                    raise
        return found

    # --- writing ------------------------------------------------------------------------------

    def category_key(self, categories: list[dict[str, str]], raw: str) -> str:
        wanted = raw.strip().casefold()
        for category in categories:
            if wanted in (category["key"].casefold(), category["name"].casefold()):
                return category["key"]
        return raw.strip()

    def category_name(self, categories: list[dict[str, str]], key: str) -> str:
        return next((c["name"] for c in categories if c["key"] == key), key)

    def add(self, options: dict[str, Any], day: dt.date | None) -> None:
        categories = self.week(day)["categories"]
        body = {
            "category": self.category_key(categories, options["category"]),
            "text": " ".join(options["text"]),
            "link": options["link"],
            "week": day.isoformat() if day else None,
        }
        item = self.client.post(self.remote.path("/week/items"), body)
        self.command.stdout.write(
            _("Added to %(category)s: “%(text)s” (%(code)s).")
            % {
                "category": self.category_name(categories, item["category"]),
                "text": item["text"],
                "code": item["code"],
            }
        )

    def change(self, action: str, options: dict[str, Any]) -> None:
        code = options["code"].strip().lower()
        current = self.week()
        categories = current["categories"]
        path = self.remote.path("/week/items/{}", code)
        try:
            if action == "done":
                item = self.client.post(path + "/done", {"done": not options["undo"]})
                message = (
                    _("Back in %(category)s: “%(text)s”.")
                    if options["undo"]
                    else _("Done, now in %(category)s: “%(text)s”.")
                )
            elif action == "move":
                category = self.category_key(categories, options["category"])
                item = self.client.post(path + "/move", {"category": category})
                message = _("Moved to %(category)s: “%(text)s”.")
            elif action == "resolve":
                item = self.client.post(path + "/resolve", {"resolved": not options["reopen"]})
                message = (
                    _("Open again: “%(text)s”.")
                    if options["reopen"]
                    else _("Resolved: “%(text)s”.")
                )
            elif action == "delete":
                known = {entry["code"]: entry for entry in current["items"]}
                self.client.delete(path)
                item = known.get(code) or {"category": "", "text": code}
                message = _("Deleted “%(text)s”.")
            else:
                if options["text"] is None and options["link"] is None:
                    raise CommandError(_("Say what to change with --text, --link or both."))
                body: dict[str, Any] = {}
                if options["text"] is not None:
                    body["text"] = options["text"]
                if options["link"] is not None:
                    body["link"] = options["link"]
                item = self.client.patch(path, body)
                message = _("Saved “%(text)s”.")
        except ApiError as error:
            if error.status == 404:
                raise not_found(
                    error,
                    _("No item “%(code)s” in a week you can see (`tenfold week show` lists them).")
                    % {"code": options["code"]},
                ) from None
            raise
        self.command.stdout.write(
            message
            % {"category": self.category_name(categories, item["category"]), "text": item["text"]}
        )
