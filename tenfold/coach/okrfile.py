"""Read OKRs written in a file — YAML, JSON or plain text — into the coach's text drafts.

The file formats are described in docs/coach.md. The reader is forgiving about layout and strict
about meaning: anything it cannot understand becomes an `OkrFileError` naming the place (line or
objective number) and what was expected, never an exception from deep inside a parser."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from tenfold.lib.coach import KeyResultText, ObjectiveText

MAX_BYTES = 2_000_000
MAX_OBJECTIVES = 5_000
LEVELS = ("company", "department", "team", "personal")
TYPES = ("committed", "aspirational")
KINDS = ("increase", "decrease", "reach", "keep_above", "keep_below", "milestone")
# A key-result line in plain text: a bullet, a number with "." or ")", or indentation.
BULLET = re.compile(r"^(?:\s+|[-*•·+–—]\s*|\d{1,3}[.)、]\s*|KR\s*\d*\s*[:.)]\s*)", re.IGNORECASE)
HEADING = re.compile(r"^#{1,6}\s*|^(?:O|Objective|Objetivo|目标)\s*\d*\s*[:：.)]\s*", re.IGNORECASE)


class OkrFileError(ValueError):
    """The file cannot be read as OKRs; the message says where and why."""


@dataclass
class OkrFile:
    """What a file holds: objectives grouped by the unit that owns them ("" when unnamed)."""

    objectives: list[tuple[str, ObjectiveText]] = field(default_factory=list)
    whole_organization: bool = False
    first_cycle: bool = False

    def by_unit(self) -> dict[str, list[ObjectiveText]]:
        units: dict[str, list[ObjectiveText]] = {}
        for unit, objective in self.objectives:
            units.setdefault(unit, []).append(objective)
        return units


def read_path(path: str | Path) -> OkrFile:
    """Read a file from disk ("-" is not handled here: the command reads standard input)."""
    target = Path(path)
    if not target.exists():
        raise OkrFileError(_("%(path)s: no such file.") % {"path": path})
    if target.is_dir():
        raise OkrFileError(_("%(path)s is a folder; give a file.") % {"path": path})
    if target.stat().st_size > MAX_BYTES:
        raise OkrFileError(
            _("%(path)s is larger than %(limit)s MB; split it into smaller files.")
            % {"path": path, "limit": MAX_BYTES // 1_000_000}
        )
    raw = target.read_bytes()
    return read_bytes(raw, name=str(path), suffix=target.suffix.lower())


def read_bytes(raw: bytes, *, name: str = "", suffix: str = "") -> OkrFile:
    if len(raw) > MAX_BYTES:
        raise OkrFileError(
            _("%(path)s is larger than %(limit)s MB; split it into smaller files.")
            % {"path": name or "-", "limit": MAX_BYTES // 1_000_000}
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise OkrFileError(
            _("%(path)s is not UTF-8 text (byte %(at)s); save it as UTF-8.")
            % {"path": name or "-", "at": error.start}
        ) from None
    return read_text(text, name=name, suffix=suffix)


def read_text(text: str, *, name: str = "", suffix: str = "") -> OkrFile:
    where = name or "-"
    if "\x00" in text:
        raise OkrFileError(_("%(path)s looks like a binary file, not OKRs.") % {"path": where})
    stripped = text.strip()
    if not stripped:
        raise OkrFileError(_("%(path)s is empty: write at least one objective.") % {"path": where})
    if suffix in (".txt", ".md", ".markdown", ".text"):
        return _from_plain(text, where)
    structured = suffix in (".yaml", ".yml", ".json") or stripped[0] in "{["
    data: Any = None
    if suffix == ".json" or (stripped[0] in "{[" and suffix not in (".yaml", ".yml")):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise OkrFileError(
                _("%(path)s, line %(line)s: this is not valid JSON (%(reason)s).")
                % {"path": where, "line": error.lineno, "reason": error.msg}
            ) from None
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            if structured:
                mark = getattr(error, "problem_mark", None)
                line = mark.line + 1 if mark is not None else "?"
                raise OkrFileError(
                    _("%(path)s, line %(line)s: this is not valid YAML (%(reason)s).")
                    % {"path": where, "line": line, "reason": getattr(error, "problem", error)}
                ) from None
            data = None
    if isinstance(data, (dict, list)):
        return _from_data(data, where)
    if structured:
        raise OkrFileError(
            _("%(path)s: expected a list of objectives or a mapping with “objectives”.")
            % {"path": where}
        )
    return _from_plain(text, where)


def _from_plain(text: str, where: str) -> OkrFile:
    """One objective per unindented line; its key results on the bulleted or indented lines
    under it."""
    found = OkrFile()
    current: ObjectiveText | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = BULLET.match(line)
        if match and not line.lstrip().startswith("#"):
            title = line[match.end() :].strip()
            if not title:
                continue
            if current is None:
                raise OkrFileError(
                    _("%(path)s, line %(line)s: a key result comes before any objective.")
                    % {"path": where, "line": number}
                )
            assert current.key_results is not None
            current.key_results.append(KeyResultText(title=title))
            continue
        title = HEADING.sub("", line.strip()).strip()
        if not title:
            continue
        current = ObjectiveText(title=title, key_results=[])
        found.objectives.append(("", current))
        _too_many(found, where)
    if not found.objectives:
        raise OkrFileError(_("%(path)s holds no objective.") % {"path": where})
    return found


def _too_many(found: OkrFile, where: str) -> None:
    if len(found.objectives) > MAX_OBJECTIVES:
        raise OkrFileError(
            _("%(path)s holds more than %(limit)s objectives; split it.")
            % {"path": where, "limit": MAX_OBJECTIVES}
        )


def _from_data(data: dict[str, Any] | list[Any], where: str) -> OkrFile:
    found = OkrFile()
    items: Any = data
    if isinstance(data, dict):
        if "objectives" not in data:
            if "title" in data:  # a single objective
                items = [data]
            else:
                raise OkrFileError(
                    _("%(path)s: expected a list of objectives or a mapping with “objectives”.")
                    % {"path": where}
                )
        else:
            items = data["objectives"]
            found.whole_organization = str(data.get("scope", "")).lower() == "organization"
            found.first_cycle = data.get("first_cycle") is True
    if not isinstance(items, list):
        raise OkrFileError(_("%(path)s: “objectives” must be a list.") % {"path": where})
    if not items:
        raise OkrFileError(_("%(path)s holds no objective.") % {"path": where})
    # A file of one unit (as `tenfold export --format yaml` writes them, see
    # docs/okrs-as-code.md) names the unit and its level once, at the top.
    defaults = {
        key: data[key]
        for key in ("unit", "level")
        if isinstance(data, dict) and isinstance(data.get(key), (str, int))
    }
    for index, item in enumerate(items, start=1):
        place = _("%(path)s, objective %(n)s") % {"path": where, "n": index}
        if defaults and isinstance(item, dict):
            item = {**defaults, **item}
        unit, objective = _objective(item, place)
        found.objectives.append((unit, objective))
        _too_many(found, where)
    if any(objective.level == "company" for _unit, objective in found.objectives):
        found.whole_organization = True
    return found


def _text(value: Any, place: str, name: str, *, required: bool = False) -> str:
    if value is None:
        if required:
            raise OkrFileError(
                _("%(place)s: “%(field)s” is missing.") % {"place": place, "field": name}
            )
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise OkrFileError(
            _("%(place)s: “%(field)s” must be text.") % {"place": place, "field": name}
        )
    text = str(value).strip()
    if required and not text:
        raise OkrFileError(_("%(place)s: “%(field)s” is empty.") % {"place": place, "field": name})
    return text


def _choice(value: Any, place: str, name: str, choices: tuple[str, ...], default: str) -> str:
    if value is None or value == "":
        return default
    text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    if text not in choices:
        raise OkrFileError(
            _("%(place)s: “%(field)s” is %(value)s; use one of %(choices)s.")
            % {"place": place, "field": name, "value": value, "choices": ", ".join(choices)}
        )
    return text


def _number(value: Any, place: str, name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise OkrFileError(
            _("%(place)s: “%(field)s” must be a number.") % {"place": place, "field": name}
        )
    try:
        number = Decimal(str(value).replace(",", "").replace("_", "").strip().rstrip("%"))
    except InvalidOperation:
        raise OkrFileError(
            _("%(place)s: “%(field)s” must be a number, not “%(value)s”.")
            % {"place": place, "field": name, "value": value}
        ) from None
    if not number.is_finite():
        raise OkrFileError(
            _("%(place)s: “%(field)s” must be a number.") % {"place": place, "field": name}
        )
    return number


def _objective(item: Any, place: str) -> tuple[str, ObjectiveText]:
    if isinstance(item, str):
        return "", ObjectiveText(title=_text(item, place, "title", required=True))
    if not isinstance(item, dict):
        raise OkrFileError(_("%(place)s: expected an objective with a “title”.") % {"place": place})
    title = _text(item.get("title", item.get("objective")), place, "title", required=True)
    krs_raw = item.get("key_results", item.get("krs"))
    key_results: list[KeyResultText] | None = None
    if krs_raw is not None:
        if not isinstance(krs_raw, list):
            raise OkrFileError(_("%(place)s: “key_results” must be a list.") % {"place": place})
        key_results = [
            _key_result(kr, _("%(place)s, key result %(n)s") % {"place": place, "n": n})
            for n, kr in enumerate(krs_raw, start=1)
        ]
    owner = item.get("owner", item.get("lead"))
    aligned_raw = item.get("aligned_to", item.get("parent"))
    aligned: bool | None = None
    if "aligned_to" in item or "parent" in item:
        aligned = bool(aligned_raw)
    level = _choice(item.get("level"), place, "level", LEVELS, "team")
    parent_krs = item.get("parent_key_results") or []
    kpis = item.get("kpis") or []
    if not isinstance(parent_krs, list) or not isinstance(kpis, list):
        raise OkrFileError(
            _("%(place)s: “parent_key_results” and “kpis” must be lists.") % {"place": place}
        )
    objective = ObjectiveText(
        title=title,
        description=_text(item.get("description", item.get("why")), place, "description"),
        level=level,
        type=_choice(item.get("type"), place, "type", TYPES, "committed"),
        has_owner=(bool(owner) if ("owner" in item or "lead" in item) else None),
        key_results=key_results,
        aligned=aligned,
        parent_key_results=[_text(t, place, "parent_key_results") for t in parent_krs],
        kpi_targets=[_text(t, place, "kpis") for t in kpis],
    )
    return _text(item.get("unit", item.get("team")), place, "unit"), objective


def _key_result(item: Any, place: str) -> KeyResultText:
    if isinstance(item, str):
        return KeyResultText(title=_text(item, place, "title", required=True))
    if not isinstance(item, dict):
        raise OkrFileError(_("%(place)s: expected a key result with a “title”.") % {"place": place})
    kind = item.get("kind")
    return KeyResultText(
        title=_text(item.get("title", item.get("key_result")), place, "title", required=True),
        kind=_choice(kind, place, "kind", KINDS, "") or None,
        start=_number(item.get("start", item.get("from")), place, "start"),
        target=_number(item.get("target", item.get("to")), place, "target"),
        unit=_text(item.get("unit", item.get("unit_label")), place, "unit"),
        has_owner=bool(item.get("owner")) if "owner" in item else None,
        aspirational=item.get("aspirational") is True,
    )
