"""OKRs as code: one YAML file per unit and cycle, written and read.

`export_files` writes what is stored; `read_documents` reads files into the desired state that
`plan.plan` compares with the database. The format is described in docs/okrs-as-code.md and is
of the same family as the files `tenfold coach` reads, so the coach checks these files too.

The reader is strict: an unknown field, a value of the wrong shape or a YAML syntax error is a
`Problem` naming the file, the line and the field. Names of people, units and cycles are
resolved against the database later, by the plan.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from tenfold.lib.longrun import Progress
from tenfold.okrs.models import (
    TEXT_MAX,
    TITLE_MAX,
    Alignment,
    Cycle,
    KeyResult,
    KeyResultKind,
    Level,
    Objective,
    ObjectiveState,
    ObjectiveType,
    ValueFormat,
    Visibility,
)
from tenfold.organizations.models import Organization, Unit, UnitKind

FORMAT_VERSION = 1
MAX_BYTES = 2_000_000

TOP_FIELDS = ("tenfold", "organization", "cycle", "unit", "level", "objectives")
OBJECTIVE_FIELDS = (
    "code",
    "title",
    "type",
    "owner",
    "visibility",
    "description",
    "aligned_to",
    "key_results",
)
KEY_RESULT_FIELDS = (
    "code",
    "title",
    "kind",
    "start",
    "target",
    "unit_label",
    "format",
    "currency",
    "decimals",
    "owner",
    "weight",
    "aspirational",
    "description",
)
LINK_FIELDS = ("code", "weight")
LEVEL_OF_UNIT = {
    UnitKind.COMPANY: Level.COMPANY,
    UnitKind.DEPARTMENT: Level.DEPARTMENT,
    UnitKind.TEAM: Level.TEAM,
}


# --- problems -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something in a file that cannot be applied, with where it is."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        if self.line and self.field:
            return _("%(path)s, line %(line)s, “%(field)s”: %(message)s") % self._parts()
        if self.line:
            return _("%(path)s, line %(line)s: %(message)s") % self._parts()
        if self.field:
            return _("%(path)s, “%(field)s”: %(message)s") % self._parts()
        return _("%(path)s: %(message)s") % self._parts()

    def _parts(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }

    def as_dict(self) -> dict[str, Any]:
        return {**self._parts(), "text": str(self)}


class FileProblems(ValueError):
    """One or more files cannot be read; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


# --- the desired state --------------------------------------------------------------------------


@dataclass
class Link:
    """An entry of `aligned_to`: the code of a parent objective or key result."""

    code: str
    weight: Decimal
    line: int


@dataclass
class KeyResultSpec:
    code: str | None
    title: str
    line: int
    column: int
    block: bool
    lines: dict[str, int]
    kind: str = KeyResultKind.INCREASE
    start: Decimal | None = None
    target: Decimal | None = None
    unit_label: str = ""
    value_format: str = ValueFormat.NUMBER
    currency: str = ""
    decimals: int = 0
    owner: str | None = None
    weight: Decimal = Decimal(1)
    aspirational: bool = False
    description: str = ""

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


@dataclass
class ObjectiveSpec:
    code: str | None
    title: str
    line: int
    column: int
    block: bool
    lines: dict[str, int]
    type: str = ObjectiveType.COMMITTED
    owner: str | None = None
    visibility: str = Visibility.ORGANIZATION
    description: str = ""
    aligned_to: list[Link] = field(default_factory=list)
    key_results: list[KeyResultSpec] = field(default_factory=list)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


@dataclass
class Document:
    """One file: the objectives one unit wants in one cycle."""

    path: Path
    text: str
    organization: str
    cycle: str
    unit: str
    level: str | None
    objectives: list[ObjectiveSpec]
    lines: dict[str, int]

    @property
    def name(self) -> str:
        return str(self.path)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, 1)


# --- YAML with line numbers ---------------------------------------------------------------------


class _Map(dict[Any, Any]):
    line = 1
    column = 0
    block = True
    key_lines: dict[Any, int]


class _Seq(list[Any]):
    line = 1
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    """Safe YAML whose mappings and lists remember their lines, whose decimals stay exact,
    and which refuses a key written twice (YAML would silently keep the last one)."""


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    result = _Map()
    result.line = node.start_mark.line + 1
    result.column = node.start_mark.column
    result.block = not node.flow_style
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            seen = key in result
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, _("a key must be plain text"), key_node.start_mark
            ) from None
        if seen:
            raise yaml.constructor.ConstructorError(
                None, None, _("“%(key)s” is written twice") % {"key": key}, key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> _Seq:
    result = _Seq(loader.construct_object(item, deep=True) for item in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [item.start_mark.line + 1 for item in node.value]
    return result


def _construct_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "").strip().lower()
    special = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
    return Decimal(special.get(text, text))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


# --- reading ------------------------------------------------------------------------------------


class _Reader:
    """Turns the loaded YAML of one file into a Document, collecting every problem."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, line: int | None, name: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, name, message))

    def unknown_keys(self, data: _Map, allowed: tuple[str, ...], what: str) -> None:
        for key in data:
            if key in allowed:
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = (
                _("did you mean “%(name)s”?") % {"name": close[0]}
                if close
                else _("%(what)s take %(fields)s.") % {"what": what, "fields": ", ".join(allowed)}
            )
            self.problem(
                data.key_lines.get(key, data.line),
                str(key),
                _("unknown field; %(hint)s") % {"hint": hint},
            )

    def text(self, data: _Map, name: str, *, required: bool = False, limit: int = TEXT_MAX) -> str:
        value = data.get(name)
        line = data.key_lines.get(name, data.line)
        if value is None:
            if required:
                self.problem(line if name in data else data.line, name, _("this is required."))
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            self.problem(
                line,
                name,
                _("write text here (put it in quotes if it reads as yes/no or a list)."),
            )
            return ""
        text = str(value).strip()
        if required and not text:
            self.problem(line, name, _("this cannot be empty."))
        elif len(text) > limit:
            self.problem(
                line,
                name,
                _("keep this under %(limit)d characters (it has %(count)d).")
                % {"limit": limit, "count": len(text)},
            )
        return text

    def code(self, data: _Map, name: str = "code") -> str | None:
        value = data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.problem(data.key_lines.get(name, data.line), name, _("a code is plain text."))
            return None
        code = str(value).strip().lower()
        if not re.fullmatch(r"[a-z0-9]{1,12}", code):
            self.problem(
                data.key_lines.get(name, data.line),
                name,
                _("“%(value)s” is not a Tenfold code.") % {"value": value},
            )
            return None
        return code

    def choice(self, data: _Map, name: str, choices: list[str], default: str) -> str:
        value = data.get(name)
        if value is None or value == "":
            return default
        text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
        if isinstance(value, bool) or text not in choices:
            self.problem(
                data.key_lines.get(name, data.line),
                name,
                _("“%(value)s” is not one of %(choices)s.")
                % {"value": value, "choices": ", ".join(choices)},
            )
            return default
        return text

    def number(self, data: _Map, name: str) -> Decimal | None:
        value = data.get(name)
        if value is None or value == "":
            return None
        line = data.key_lines.get(name, data.line)
        number: Decimal | None = None
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            number = Decimal(value)
        elif isinstance(value, str):
            cleaned = value.replace(",", "").replace("_", "").strip().rstrip("%").strip()
            try:
                number = Decimal(cleaned)
            except ArithmeticError:
                number = None
        if number is None or not number.is_finite():
            self.problem(line, name, _("“%(value)s” is not a number.") % {"value": value})
            return None
        return number

    def email(self, data: _Map, name: str = "owner") -> str | None:
        value = data.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str) or "@" not in value:
            self.problem(
                data.key_lines.get(name, data.line),
                name,
                _("give the person's email address, not “%(value)s”.") % {"value": value},
            )
            return None
        return value.strip().lower()

    def mapping(self, value: Any, line: int, name: str, what: str) -> _Map | None:
        if isinstance(value, _Map):
            return value
        self.problem(line, name, _("expected %(what)s with its fields.") % {"what": what})
        return None

    def sequence(self, data: _Map, name: str) -> _Seq:
        value = data.get(name)
        if value is None:
            return _Seq()
        if not isinstance(value, _Seq):
            self.problem(data.key_lines.get(name, data.line), name, _("this must be a list."))
            return _Seq()
        return value

    # --- the parts ------------------------------------------------------------------------------

    def document(self, data: Any, path: Path, text: str) -> Document | None:
        if not isinstance(data, _Map):
            self.problem(
                1, "", _("expected a mapping with tenfold, organization, cycle, unit, objectives.")
            )
            return None
        self.unknown_keys(data, TOP_FIELDS, _("OKR files"))
        version = data.get("tenfold")
        if version is None:
            self.problem(
                1,
                "tenfold",
                _("missing: write “tenfold: %(version)s” at the top.")
                % {"version": FORMAT_VERSION},
            )
        elif isinstance(version, bool) or not isinstance(version, int):
            self.problem(data.key_lines["tenfold"], "tenfold", _("the format version is a number."))
        elif version > FORMAT_VERSION:
            self.problem(
                data.key_lines["tenfold"],
                "tenfold",
                _(
                    "this file is written in format %(found)s, newer than this Tenfold reads "
                    "(%(version)s); upgrade Tenfold."
                )
                % {"found": version, "version": FORMAT_VERSION},
            )
        elif version < 1:
            self.problem(
                data.key_lines["tenfold"], "tenfold", _("unknown format version %(found)s.")
                % {"found": version}
            )  # fmt: skip
        organization = self.text(data, "organization", required=True, limit=50)
        cycle = self.text(data, "cycle", required=True, limit=60)
        unit = self.text(data, "unit", required=True, limit=120)
        level = (
            self.choice(data, "level", list(LEVEL_OF_UNIT.values()), "") or None
            if data.get("level") is not None
            else None
        )
        if "objectives" not in data:
            self.problem(data.line, "objectives", _("this is required (an empty list is fine)."))
        items = self.sequence(data, "objectives")
        objectives = []
        for index, item in enumerate(items):
            line = items.item_lines[index]
            found = self.mapping(item, line, "objectives", _("an objective"))
            if found is not None:
                objectives.append(self.objective(found))
        return Document(
            path=path,
            text=text,
            organization=organization,
            cycle=cycle,
            unit=unit,
            level=level,
            objectives=objectives,
            lines=dict(data.key_lines),
        )

    def objective(self, data: _Map) -> ObjectiveSpec:
        self.unknown_keys(data, OBJECTIVE_FIELDS, _("Objectives"))
        spec = ObjectiveSpec(
            code=self.code(data),
            title=self.text(data, "title", required=True, limit=TITLE_MAX),
            line=data.line,
            column=data.column,
            block=data.block,
            lines=dict(data.key_lines),
            type=self.choice(data, "type", list(ObjectiveType.values), ObjectiveType.COMMITTED),
            owner=self.email(data),
            visibility=self.choice(
                data, "visibility", list(Visibility.values), Visibility.ORGANIZATION
            ),
            description=self.text(data, "description"),
        )
        links = data.get("aligned_to")
        if isinstance(links, str | int) and not isinstance(links, bool):
            links = _Seq([links])
            links.line = data.key_lines["aligned_to"]
            links.item_lines = [links.line]
        elif links is not None and not isinstance(links, _Seq):
            self.problem(
                data.key_lines["aligned_to"],
                "aligned_to",
                _("give a list of objective or key-result codes."),
            )
            links = None
        for index, item in enumerate(links or []):
            line = links.item_lines[index]  # type: ignore[union-attr]
            link = self.link(item, line)
            if link is not None:
                spec.aligned_to.append(link)
        items = self.sequence(data, "key_results")
        for index, item in enumerate(items):
            line = items.item_lines[index]
            found = self.mapping(item, line, "key_results", _("a key result"))
            if found is not None:
                spec.key_results.append(self.key_result(found))
        return spec

    def link(self, item: Any, line: int) -> Link | None:
        if isinstance(item, str | int) and not isinstance(item, bool):
            holder = _Map({"code": item})
            holder.line, holder.key_lines = line, {"code": line}
            item = holder
        if not isinstance(item, _Map):
            self.problem(line, "aligned_to", _("give a code, or a code and a weight."))
            return None
        self.unknown_keys(item, LINK_FIELDS, _("Alignments"))
        code = self.code(item)
        if code is None:
            if "code" not in item:
                self.problem(item.line, "aligned_to", _("the code of the parent is missing."))
            return None
        weight = self.number(item, "weight")
        if weight is None:
            weight = Decimal(1)
        elif not 0 <= weight <= 1 or weight != weight.quantize(Decimal("0.0001")):
            self.problem(
                item.key_lines.get("weight", line),
                "weight",
                _("a contribution is a share between 0 and 1 (at most four decimals)."),
            )
        return Link(code=code, weight=weight, line=line)

    def key_result(self, data: _Map) -> KeyResultSpec:
        self.unknown_keys(data, KEY_RESULT_FIELDS, _("Key results"))
        decimals = data.get("decimals")
        if decimals is None:
            decimals = 0
        elif isinstance(decimals, bool) or not isinstance(decimals, int):
            self.problem(data.key_lines["decimals"], "decimals", _("a whole number, 0 to 4."))
            decimals = 0
        aspirational = data.get("aspirational", False)
        if not isinstance(aspirational, bool):
            self.problem(data.key_lines["aspirational"], "aspirational", _("write true or false."))
            aspirational = False
        weight = self.number(data, "weight")
        return KeyResultSpec(
            code=self.code(data),
            title=self.text(data, "title", required=True, limit=TITLE_MAX),
            line=data.line,
            column=data.column,
            block=data.block,
            lines=dict(data.key_lines),
            kind=self.choice(data, "kind", list(KeyResultKind.values), KeyResultKind.INCREASE),
            start=self.number(data, "start"),
            target=self.number(data, "target"),
            unit_label=self.text(data, "unit_label", limit=30),
            value_format=self.choice(data, "format", list(ValueFormat.values), ValueFormat.NUMBER),
            currency=self.text(data, "currency", limit=3).upper(),
            decimals=decimals,
            owner=self.email(data),
            weight=Decimal(1) if weight is None else weight,
            aspirational=aspirational,
            description=self.text(data, "description"),
        )


def parse_document(text: str, path: Path | str) -> Document:
    """Read one file's text; raise FileProblems listing everything wrong with it."""
    path = Path(path)
    reader = _Reader(str(path))
    if "\x00" in text:
        raise FileProblems([Problem(str(path), None, "", _("this is a binary file, not YAML."))])
    try:
        data = yaml.load(text, Loader=_Loader)  # nosec B506  # _Loader is a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        raise FileProblems(
            [
                Problem(
                    str(path),
                    mark.line + 1 if mark is not None else None,
                    "",
                    _("this is not valid YAML (%(reason)s).") % {"reason": reason},
                )
            ]
        ) from None
    except ArithmeticError:
        raise FileProblems([Problem(str(path), None, "", _("a number cannot be read."))]) from None
    document = reader.document(data, path, text)
    if reader.problems or document is None:
        raise FileProblems(reader.problems)
    return document


def read_document(path: Path | str) -> Document:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise FileProblems(
                [
                    Problem(
                        str(path),
                        None,
                        "",
                        _("larger than %(limit)s MB; split it into smaller files.")
                        % {"limit": MAX_BYTES // 1_000_000},
                    )
                ]
            )
        raw = path.read_bytes()
    except OSError as error:
        raise FileProblems(
            [
                Problem(
                    str(path),
                    None,
                    "",
                    _("cannot be read: %(reason)s") % {"reason": error.strerror},
                )
            ]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileProblems(
            [
                Problem(
                    str(path),
                    None,
                    "",
                    _("not UTF-8 text (byte %(at)s); save it as UTF-8.") % {"at": error.start},
                )
            ]
        ) from None
    return parse_document(text, path)


def read_documents(paths: list[Path] | list[str]) -> list[Document]:
    """Read every file; raise FileProblems with the problems of all of them."""
    documents: list[Document] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            documents.append(read_document(path))
        except FileProblems as error:
            problems.extend(error.problems)
    if problems:
        raise FileProblems(problems)
    return documents


# --- writing ------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style with indented lists, exact decimals, multi-line text as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def number_text(value: Decimal) -> str:
    """A decimal as people write it: 20, 0.5, 1250000 (never 2E+1 or 20.0000)."""
    text = format(value.normalize(), "f")
    return text


def _represent_decimal(dumper: _Dumper, value: Decimal) -> yaml.ScalarNode:
    text = number_text(value)
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


def _represent_text(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_str(value)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(str, _represent_text)


def _scalar(value: Any) -> str:
    """One value as it is written after "key: " (quoted when YAML would misread it)."""
    return (
        yaml.dump(value, Dumper=_Dumper, allow_unicode=True, width=10_000)
        .removesuffix("\n...\n")
        .strip()
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def key_result_data(kr: KeyResult) -> dict[str, Any]:
    data: dict[str, Any] = {"code": kr.code, "title": kr.title, "kind": kr.kind}
    if kr.kind != KeyResultKind.MILESTONE:
        if kr.start is not None:
            data["start"] = kr.start
        data["target"] = kr.target
    if kr.unit_label:
        data["unit_label"] = kr.unit_label
    if kr.value_format != ValueFormat.NUMBER:
        data["format"] = kr.value_format
    if kr.currency:
        data["currency"] = kr.currency
    if kr.decimals:
        data["decimals"] = kr.decimals
    if kr.owner is not None:
        data["owner"] = kr.owner.email.lower()
    data["weight"] = kr.weight
    if kr.aspirational:
        data["aspirational"] = True
    if kr.description:
        data["description"] = kr.description
    return data


def objective_data(objective: Objective) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": objective.code,
        "title": objective.title,
        "type": objective.type,
    }
    if objective.lead is not None:
        data["owner"] = objective.lead.email.lower()
    if objective.visibility != Visibility.ORGANIZATION:
        data["visibility"] = objective.visibility
    if objective.description:
        data["description"] = objective.description
    links = []
    for link in _links_in_order(objective):
        parent = link.parent_objective or link.parent_key_result
        code = parent.code if parent is not None else ""
        links.append(code if link.weight == 1 else {"code": code, "weight": link.weight})
    if links:
        data["aligned_to"] = links
    data["key_results"] = [key_result_data(kr) for kr in objective.key_results.all()]
    return data


def _links_in_order(objective: Objective) -> list[Alignment]:
    links = list(objective.parent_links.all())
    return sorted(links, key=lambda link: (link.created_at, link.pk))


def render(
    organization: Organization, cycle: Cycle, unit: Unit, objectives: list[Objective]
) -> str:
    """The canonical text of one unit's file: the same data always gives the same bytes."""
    head = [
        "# "
        + _("OKRs of %(unit)s in %(cycle)s, kept as code.")
        % {"unit": _one_line(unit.name), "cycle": _one_line(cycle.name)},
        "# "
        + _(
            "Measured values (current value, check-ins, progress) are not in this file: "
            "they come from check-ins."
        ),
        "# " + _("Check with: tenfold plan FILE; change with: tenfold apply FILE."),
        f"tenfold: {FORMAT_VERSION}",
        f"organization: {_scalar(organization.slug)}",
        f"cycle: {_scalar(cycle.code)}  # {_one_line(cycle.name)}",
        f"unit: {_scalar(unit.code)}  # {_one_line(unit.name)}",
        f"level: {LEVEL_OF_UNIT[UnitKind(unit.kind)]}",
    ]
    if not objectives:
        return "\n".join([*head, "objectives: []", ""])
    body = yaml.dump(
        {"objectives": [objective_data(o) for o in objectives]},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,
    )
    lines: list[str] = []
    for line in body.splitlines():
        if line.startswith("  - ") and lines and lines[-1] != "objectives:":
            lines.append("")
        lines.append(line)
    return "\n".join([*head, *lines, ""])


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKC", text).casefold()
    slug = re.sub(r"[^\w]+", "-", plain).strip("-")
    return slug[:60] or "unnamed"


def _unique_names(items: list[tuple[str, str]]) -> dict[str, str]:
    """Readable file names from (code, name) pairs; a clash adds the code to every clashing
    name, so the result never depends on which came first."""
    counts: dict[str, int] = {}
    for _code, name in items:
        counts[_slug(name)] = counts.get(_slug(name), 0) + 1
    return {
        code: _slug(name) if counts[_slug(name)] == 1 else f"{_slug(name)}-{code}"
        for code, name in items
    }


def stored_objectives(organization: Organization, cycles: list[Cycle]) -> list[Objective]:
    """The objectives the files hold: not closed, owned by a unit, with their key results and
    parent links, in a fixed number of queries."""
    return list(
        Objective.objects.filter(organization=organization, cycle__in=cycles, unit__isnull=False)
        .exclude(state=ObjectiveState.CLOSED)
        .select_related("lead")
        .prefetch_related(
            Prefetch(
                "key_results",
                queryset=KeyResult.objects.select_related("owner").order_by("order", "id"),
            ),
            Prefetch(
                "parent_links",
                queryset=Alignment.objects.select_related(
                    "parent_objective", "parent_key_result"
                ).order_by("created_at", "id"),
            ),
        )
        .order_by("order", "created_at", "id")
    )


def export_texts(
    organization: Organization, *, cycle: Cycle | None = None, progress: Progress | None = None
) -> dict[str, str]:
    """{relative file name: text} for every unit with objectives in the cycle (or in every
    cycle); the files `export_files` writes."""
    progress = progress or Progress()
    with transaction.atomic():
        cycles = (
            [cycle]
            if cycle is not None
            else list(
                Cycle.objects.filter(organization=organization).order_by("start", "-end", "id")
            )
        )
        units = {u.id: u for u in Unit.objects.filter(organization=organization)}
        objectives = stored_objectives(organization, cycles)
    grouped: dict[tuple[int, int], list[Objective]] = {}
    for objective in objectives:
        assert objective.unit_id is not None
        grouped.setdefault((objective.cycle_id, objective.unit_id), []).append(objective)
    folder = _unique_names([(c.code, c.name) for c in cycles])
    unit_list = sorted(units.values(), key=lambda u: (u.order, u.name, u.code))
    file_of = _unique_names([(u.code, u.name) for u in unit_list])
    texts: dict[str, str] = {}
    pairs = [(c, u) for c in cycles for u in unit_list if (c.id, u.id) in grouped]
    for done, (the_cycle, unit) in enumerate(pairs, start=1):
        progress.check()
        name = f"{folder[the_cycle.code]}/{file_of[unit.code]}.yaml"
        texts[name] = render(organization, the_cycle, unit, grouped[(the_cycle.id, unit.id)])
        progress.step(done, len(pairs), name)
    return texts


def export_files(
    organization: Organization,
    directory: Path,
    *,
    cycle: Cycle | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Write one YAML file per unit and cycle under `directory` (`<cycle>/<unit>.yaml`) and
    return their paths in a fixed order. Personal-development objectives and closed
    (archived) objectives are not written."""
    texts = export_texts(organization, cycle=cycle, progress=progress)
    written = []
    for name, text in texts.items():
        target = Path(directory) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        write_text(target, text)
        written.append(target)
    return written


def write_text(path: Path, text: str) -> None:
    """Replace a file in one step, so a reader never sees half of it."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


# --- codes written back -------------------------------------------------------------------------


def with_codes(document: Document, codes: dict[int, str]) -> str | None:
    """The document's text with `code:` lines added for new objectives and key results
    (`codes` maps id() of a spec to its new code), keeping everything else as written; None
    when the layout does not allow it (flow style), so the caller rewrites the file."""
    inserts: dict[int, list[tuple[int, str]]] = {}
    for objective in document.objectives:
        specs: list[ObjectiveSpec | KeyResultSpec] = [objective, *objective.key_results]
        for spec in specs:
            code = codes.get(id(spec))
            if code is None:
                continue
            if not spec.block:
                return None
            inserts.setdefault(spec.line, []).append((spec.column, code))
    lines = document.text.splitlines(keepends=True)
    for line_number in sorted(inserts, reverse=True):
        if len(inserts[line_number]) != 1:
            return None
        column, code = inserts[line_number][0]
        index = line_number - 1
        if index >= len(lines):
            return None
        line = lines[index]
        ending = "\r\n" if line.endswith("\r\n") else "\n"
        prefix, rest = line[:column], line[column:]
        lines[index] = f"{prefix}code: {code}{ending}{' ' * column}{rest}"
    return "".join(lines)
