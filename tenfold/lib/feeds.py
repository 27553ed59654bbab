"""Reading one number out of what another system answers: pure functions, no database, no
network.

A key-result data feed pulls a document (JSON or CSV) or runs a query, and needs exactly one
number from it. This module knows how to point at that number and how to refuse politely:

- **JSON paths** — `data.metrics[0].value`, optionally starting with `$` (`$.data.metrics[0]`),
  with `["a key.with dots"]` for awkward keys and negative indexes (`[-1]` is the last item).
  List indexes count from 0, as in the JSON itself.
- **CSV cells** — a column (a header name, or a position counting from 1), a row (`last`,
  `first`, or a data-row number counting from 1) and an optional filter `column=value` that
  keeps only matching rows before the row is chosen.
- **Numbers** — a JSON number, or text that is plainly a decimal number ("12.5", "-3", "1e3").
  Text such as "12,5" or "12 %" is refused with a message rather than guessed at.
- **SQL** — a query is accepted only when it is a single SELECT (or WITH … SELECT) that names
  nothing able to write. This is the first of several guards (the connection itself is opened
  read-only); it keeps obviously wrong queries from ever reaching another database.
- **Schedules** — when a pull runs next: every hour, every day at an hour, or every week on a
  day at an hour, in the organization's time zone.

Every refusal is a `FeedError` whose text is meant for the person who set the feed up.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .schedule import local_at

PLACES = 4
"""Decimal places a key result stores; longer values from a feed are rounded to this."""
VALUE_LIMIT = Decimal(10) ** 16
PATH_MAX = 300
QUERY_MAX = 10_000


class FeedError(ValueError):
    """A value could not be read; `str()` says why, for people."""


# --- numbers ------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _show(raw: Any, limit: int = 40) -> str:
    text = raw if isinstance(raw, str) else json.dumps(raw, default=str, ensure_ascii=False)
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_number(raw: Any) -> Decimal:
    """The number `raw` stands for, rounded to the places a key result keeps, or FeedError."""
    if isinstance(raw, bool) or raw is None:
        raise FeedError(
            _("Found %(found)s where a number was expected.")
            % {"found": "null" if raw is None else _show(raw)}
        )
    if isinstance(raw, int | Decimal):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))
    elif isinstance(raw, str):
        text = raw.strip()
        if not _NUMBER.match(text):
            if re.match(r"^[+-]?\d+,\d+$", text):
                raise FeedError(
                    _("“%(text)s” is not a number: use a dot for decimals, not a comma.")
                    % {"text": _show(text)}
                )
            raise FeedError(_("“%(text)s” is not a number.") % {"text": _show(text)})
        try:
            number = Decimal(text)
        except InvalidOperation as error:  # pragma: no cover - the pattern rules this out
            raise FeedError(_("“%(text)s” is not a number.") % {"text": _show(text)}) from error
    else:
        kind = _("a list") if isinstance(raw, list) else _("an object")
        raise FeedError(
            _(
                "Found %(kind)s (%(found)s) where a number was expected: point the path at the "
                "number inside it."
            )
            % {"kind": kind, "found": _show(raw)}
        )
    if not number.is_finite():
        raise FeedError(_("“%(text)s” is not a number.") % {"text": _show(raw)})
    if abs(number) >= VALUE_LIMIT:
        raise FeedError(_("%(number)s is too large for a key result.") % {"number": _show(raw)})
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -PLACES:
        number = number.quantize(Decimal(1).scaleb(-PLACES), rounding=ROUND_HALF_UP)
    return number + 0  # + 0 turns -0 into 0


# --- JSON paths ---------------------------------------------------------------------------------

Step = str | int
_NAME = re.compile(r"[^.\[\]\s\"']+")
_BRACKET = re.compile(
    r"""\[\s*(?:(?P<index>-?\d+)|"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>(?:[^'\\]|\\.)*)')\s*\]"""
)


def _unreadable(expression: str, rest: str) -> FeedError:
    return FeedError(
        _("The path “%(path)s” cannot be read at “%(rest)s”. Write it like data.items[0].value.")
        % {"path": _show(expression, 60), "rest": _show(rest, 20)}
    )


def parse_path(expression: str) -> list[Step]:
    """The steps of a JSON path: keys (str) and list indexes (int). An empty path, or `$`,
    means the whole document (which must then be a number)."""
    text = (expression or "").strip()
    if len(text) > PATH_MAX:
        raise FeedError(_("Keep the path under %(n)d characters.") % {"n": PATH_MAX})
    if text.startswith("$"):
        text = text[1:]
    steps: list[Step] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char == "." or (position == 0 and char != "["):
            start = position + 1 if char == "." else position
            name = _NAME.match(text, start)
            if name is None:
                raise _unreadable(expression, text[position:])
            steps.append(name.group())
            position = name.end()
        elif char == "[":
            bracket = _BRACKET.match(text, position)
            if bracket is None:
                raise _unreadable(expression, text[position:])
            if bracket.group("index") is not None:
                steps.append(int(bracket.group("index")))
            else:
                quoted = bracket.group("dq")
                if quoted is None:
                    quoted = bracket.group("sq")
                steps.append(re.sub(r"\\(.)", r"\1", quoted))
            position = bracket.end()
        else:
            raise _unreadable(expression, text[position:])
    return steps


def _where(steps: Sequence[Step]) -> str:
    shown = "$"
    for step in steps:
        shown += f"[{step}]" if isinstance(step, int) else f".{step}"
    return shown


def follow(document: Any, steps: Sequence[Step]) -> Any:
    """The value at `steps` inside a parsed JSON document, or FeedError naming the step that
    could not be taken."""
    current = document
    for number, step in enumerate(steps):
        here = _where(steps[:number])
        if isinstance(step, int):
            if not isinstance(current, list):
                raise FeedError(
                    _("%(where)s is not a list, so it has no item [%(index)d].")
                    % {"where": here, "index": step}
                )
            if not -len(current) <= step < len(current):
                raise FeedError(
                    _("%(where)s has %(count)d items; there is no item [%(index)d].")
                    % {"where": here, "count": len(current), "index": step}
                )
            current = current[step]
        else:
            if isinstance(current, list) and step.lstrip("-").isdigit():
                index = int(step)
                if not -len(current) <= index < len(current):
                    raise FeedError(
                        _("%(where)s has %(count)d items; there is no item [%(index)d].")
                        % {"where": here, "count": len(current), "index": index}
                    )
                current = current[index]
                continue
            if not isinstance(current, dict):
                raise FeedError(
                    _("%(where)s is not an object, so it has no “%(key)s”.")
                    % {"where": here, "key": step}
                )
            if step not in current:
                known = ", ".join(sorted(map(str, current))[:8])
                raise FeedError(
                    _("%(where)s has no “%(key)s” (it has: %(known)s).")
                    % {"where": here, "key": step, "known": known or _("nothing")}
                )
            current = current[step]
    return current


def extract_json(text: str, path: str) -> Decimal:
    """The number at `path` in a JSON document."""
    steps = parse_path(path)
    try:
        document = json.loads(text, parse_float=Decimal)
    except (ValueError, RecursionError) as error:
        raise FeedError(
            _("The answer is not valid JSON: %(reason)s") % {"reason": error}
        ) from error
    return to_number(follow(document, steps))


# --- CSV ----------------------------------------------------------------------------------------

ROW_FIRST = "first"
ROW_LAST = "last"


def parse_row(selector: str) -> str | int:
    """`first`, `last`, or a data-row number counting from 1."""
    text = (selector or ROW_LAST).strip().lower()
    if text in (ROW_FIRST, ROW_LAST):
        return text
    if text.isdigit() and int(text) >= 1:
        return int(text)
    raise FeedError(
        _("Choose the row as “first”, “last” or a row number counting from 1 (not “%(row)s”).")
        % {"row": _show(selector)}
    )


def parse_filter(expression: str) -> tuple[str, str] | None:
    """`column=value`: only rows whose column holds exactly that value count. Empty: none."""
    text = (expression or "").strip()
    if not text:
        return None
    column, sign, value = text.partition("=")
    if not sign or not column.strip():
        raise FeedError(
            _("Write the filter as column=value, e.g. region=EU (not “%(text)s”).")
            % {"text": _show(text)}
        )
    return column.strip(), value.strip()


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = text[:8192]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _column_index(header: list[str] | None, column: str, width: int) -> int:
    wanted = (column or "").strip()
    if not wanted:
        raise FeedError(_("Say which column holds the number: its name or its position."))
    if header is not None:
        names = [name.strip() for name in header]
        if wanted in names:
            return names.index(wanted)
        lowered = [name.lower() for name in names]
        if wanted.lower() in lowered:
            return lowered.index(wanted.lower())
    if wanted.isdigit() and 1 <= int(wanted) <= width:
        return int(wanted) - 1
    if header is not None:
        raise FeedError(
            _("There is no column “%(column)s” (the columns are: %(names)s).")
            % {"column": _show(wanted), "names": ", ".join(h.strip() for h in header[:12])}
        )
    raise FeedError(
        _("Without a header row, give the column as a position from 1 to %(width)d.")
        % {"width": width}
    )


def extract_csv(
    text: str,
    *,
    column: str,
    row: str = ROW_LAST,
    where: str = "",
    header: bool = True,
) -> Decimal:
    """The number in one cell of a CSV document."""
    chosen_row = parse_row(row)
    condition = parse_filter(where)
    text = text.lstrip("\ufeff")
    try:
        rows = [
            r for r in csv.reader(io.StringIO(text), _dialect(text)) if any(c.strip() for c in r)
        ]
    except csv.Error as error:
        raise FeedError(_("The answer is not valid CSV: %(reason)s") % {"reason": error}) from error
    names = rows.pop(0) if header and rows else None
    if not rows:
        raise FeedError(_("The CSV has no data rows."))
    width = max(len(r) for r in rows)
    index = _column_index(names, column, width)
    if condition is not None:
        filter_index = _column_index(names, condition[0], width)
        rows = [
            r for r in rows if len(r) > filter_index and r[filter_index].strip() == condition[1]
        ]
        if not rows:
            raise FeedError(
                _("No row has %(column)s = “%(value)s”.")
                % {"column": condition[0], "value": condition[1]}
            )
    if chosen_row == ROW_FIRST:
        picked = rows[0]
    elif chosen_row == ROW_LAST:
        picked = rows[-1]
    else:
        assert isinstance(chosen_row, int)
        if chosen_row > len(rows):
            raise FeedError(
                ngettext(
                    "Row %(row)d was asked for, but there is only %(count)d row.",
                    "Row %(row)d was asked for, but there are only %(count)d rows.",
                    len(rows),
                )
                % {"row": chosen_row, "count": len(rows)}
            )
        picked = rows[chosen_row - 1]
    if index >= len(picked) or not picked[index].strip():
        raise FeedError(_("The chosen cell is empty."))
    return to_number(picked[index])


# --- what came back -----------------------------------------------------------------------------


def looks_like_html(body: str, content_type: str = "") -> bool:
    """A web page (a login screen, an error page) instead of data."""
    if content_type in ("text/html", "application/xhtml+xml"):
        return True
    head = body.lstrip("\ufeff \t\r\n")[:200].lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body"))


# --- SQL ----------------------------------------------------------------------------------------

WRITE_WORDS = frozenset(
    (
        *("insert", "update", "delete", "merge", "upsert", "into", "create", "drop", "alter"),
        *("truncate", "grant", "revoke", "copy", "attach", "detach", "pragma", "vacuum"),
        *("reindex", "cluster", "call", "execute", "lock", "notify", "listen", "commit"),
        *("rollback", "savepoint", "set", "reset", "refresh", "discard", "prepare"),
    )
)
"""Words no read query needs. A column called like one of them must be written in quotes."""

RISKY_FUNCTIONS = (
    "pg_terminate_backend",
    "pg_cancel_backend",
    "pg_reload_conf",
    "pg_rotate_logfile",
    "pg_read_file",
    "pg_read_binary_file",
    "pg_ls_",
    "pg_stat_file",
    "pg_file_",
    "pg_switch_wal",
    "pg_create_",
    "pg_drop_",
    "pg_promote",
    "pg_advisory",
    "pg_try_advisory",
    "pg_logical_",
    "pg_replication_",
    "lo_",
    "dblink",
    "set_config",
    "nextval",
    "setval",
    "query_to_xml",
    "load_extension",
    "readfile",
    "writefile",
)
"""Functions that act on the server rather than read data; refused by name as a second line
behind the read-only connection."""

_SQL_TOKEN = re.compile(
    r"""
      (?P<line_comment>--[^\n]*)
    | (?P<block_comment>/\*.*?\*/)
    | (?P<dollar>\$(?P<tag>[A-Za-z_]*)\$.*?\$(?P=tag)\$)
    | (?P<string>[eE]?'(?:[^']|'')*')
    | (?P<quoted>"(?:[^"]|"")*"|`[^`]*`)
    | (?P<word>[A-Za-z_][A-Za-z_0-9$]*)
    | (?P<semicolon>;)
    | (?P<space>\s+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _sql_words(text: str) -> list[str]:
    """The bare words of a query (lowercased), outside comments, strings and quoted names."""
    words: list[str] = []
    ended = False
    previous = ""
    for match in _SQL_TOKEN.finditer(text):
        if match.group("line_comment") or match.group("block_comment") or match.group("space"):
            continue
        if match.group("semicolon"):
            ended = True
            continue
        other = match.group("other")
        if other in ("'", '"', "`") or (other == "*" and previous == "/"):
            raise FeedError(_("The query has an unclosed quote or comment."))
        if ended:
            raise FeedError(_("Only one statement can be run: remove everything after the “;”."))
        if match.group("word"):
            words.append(match.group("word").lower())
        previous = other or ""
    return words


def check_select(query: str) -> str:
    """The query, trimmed, when it is a single read-only SELECT; FeedError otherwise."""
    text = (query or "").strip()
    if not text:
        raise FeedError(_("Write the SELECT query that returns the number."))
    if len(text) > QUERY_MAX:
        raise FeedError(_("Keep the query under %(n)d characters.") % {"n": QUERY_MAX})
    words = _sql_words(text)
    if not words or words[0] not in ("select", "with"):
        raise FeedError(_("Only a read query can be used: start it with SELECT or WITH."))
    for word in words:
        if word in WRITE_WORDS:
            raise FeedError(
                _("Only a read query can be used: “%(word)s” is not allowed.")
                % {"word": word.upper()}
            )
        if word.startswith(RISKY_FUNCTIONS):
            raise FeedError(
                _("The function “%(name)s” is not allowed in a feed query.") % {"name": word}
            )
    return text.rstrip().rstrip(";").rstrip()


def single_value(rows: Sequence[Sequence[Any]]) -> Decimal:
    """The number a query answered: exactly one row with one column. Give the first two rows
    (fetching more is pointless)."""
    if not rows:
        raise FeedError(_("The query returned no rows."))
    if len(rows) > 1:
        raise FeedError(
            _(
                "The query returned more than one row: make it return one (an aggregate such as "
                "count(*) or sum(…), or LIMIT 1)."
            )
        )
    row = rows[0]
    if len(row) != 1:
        raise FeedError(
            _("The query returned %(n)d columns: select just the one with the number.")
            % {"n": len(row)}
        )
    if row[0] is None:
        raise FeedError(_("The query returned NULL, not a number."))
    return to_number(row[0] if not isinstance(row[0], bytes) else row[0].decode())


# --- schedules ----------------------------------------------------------------------------------

HOURLY = "hourly"
DAILY = "daily"
WEEKLY = "weekly"


def next_run(
    after: dt.datetime, schedule: str, *, hour: int = 0, weekday: int = 0, tz: dt.tzinfo
) -> dt.datetime:
    """The first scheduled moment strictly after `after` (an aware datetime), in UTC.
    Hourly pulls run on the hour; daily ones at `hour`:00 local time; weekly ones on `weekday`
    (0 = Monday) at `hour`:00 local time."""
    after = after.astimezone(dt.UTC)
    if schedule == HOURLY:
        return after.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    day = after.astimezone(tz).date() - dt.timedelta(days=1)
    for _step in range(16):
        if schedule == DAILY or day.weekday() == weekday:
            moment = local_at(day, hour, tz)
            if moment > after:
                return moment
        day += dt.timedelta(days=1)
    raise ValueError(f"unknown schedule {schedule!r}")


# --- secrets ------------------------------------------------------------------------------------

MASK = "••••"


def mask_connection(connection: str) -> str:
    """A connection string fit to show: its password replaced by dots."""
    text = (connection or "").strip()
    text = re.sub(r"(://[^:/@\s]*:)[^@\s]*(@)", rf"\g<1>{MASK}\g<2>", text)
    return re.sub(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", rf"\g<1>{MASK}", text, flags=re.I)


HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
HEADER_MAX = 20


def parse_headers(text: str) -> dict[str, str]:
    """Request headers typed one per line as `Name: value`."""
    headers: dict[str, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        name, value = name.strip(), value.strip()
        if not colon or not HEADER_NAME.match(name):
            raise FeedError(
                _("Line %(n)d: write each header as Name: value (e.g. Authorization: Bearer …).")
                % {"n": number}
            )
        if any(ord(char) < 32 for char in value):
            raise FeedError(_("Line %(n)d: the value has a control character.") % {"n": number})
        if name.lower() in ("host", "content-length", "transfer-encoding", "connection"):
            raise FeedError(
                _("Line %(n)d: the header %(name)s is set by Tenfold itself.")
                % {"n": number, "name": name}
            )
        headers[name] = value
    if len(headers) > HEADER_MAX:
        raise FeedError(_("Send at most %(n)d headers.") % {"n": HEADER_MAX})
    return headers
