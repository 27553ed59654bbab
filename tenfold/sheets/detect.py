"""What the columns and cells of a spreadsheet mean.

Headers are matched against synonyms in English, Chinese, Spanish, German, French and
Portuguese; the header row is found among the first rows (titles above it are skipped, a
second header row under merged cells is combined with the one above). Each row is then
classified as an objective or a key result, whichever way the sheet is laid out:

(a) one row per key result, the objective repeated on every row;
(b) an objective row followed by its key-result rows — told apart by a type/level column
    ("O", "KR"), by an empty key-result cell, or by numbered titles ("O1", "KR 1.2");
(c) exports of other OKR tools: owner, team, quarter, start, target, current, progress,
    confidence… (the same rules cover them).

Cell values — "45%", "1,234.5", "1.234,5", "1 234", amounts such as "€1,200" or "12 USD", dates in
several spellings, Excel serial dates — are parsed here too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .reading import Cell, Table

HEADER_SEARCH_ROWS = 10

# --- header synonyms --------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(",") if word.strip())


SYNONYMS: dict[str, tuple[str, ...]] = {
    "objective": _words(
        "objective, objectives, objective title, objective name, goal, goals, 目标, 目標, "
        "目标名称, 目标内容, objetivo, objetivos, titulo del objetivo, nombre del objetivo, "
        "ziel, ziele, zielsetzung, objectif, objectifs, titre de l objectif, "
        "titulo do objetivo"
    ),
    "key_result": _words(
        "key result, key results, kr, krs, key result title, key result name, 关键结果, "
        "關鍵結果, 关键成果, kr名称, resultado clave, resultados clave, resultado chave, "
        "resultados chave, schlusselergebnis, schlusselergebnisse, resultat cle, "
        "resultats cles, resultat clef"
    ),
    "title": _words(
        "title, name, okr, statement, item, titulo, nombre, nome, 标题, 名称, titel, "
        "bezeichnung, titre, nom, okr title"
    ),
    "objective_code": _words(
        "objective code, objective id, objective key, obj id, o id, objective no, "
        "codigo del objetivo, id del objetivo, 目标编号, 目标id, ziel id, ziel nr, "
        "code objectif, code de l objectif, codigo do objetivo, id do objetivo"
    ),
    "key_result_code": _words(
        "key result code, key result id, kr id, kr code, kr no, kr nr, "
        "codigo del resultado clave, id del resultado clave, 关键结果编号, kr编号, "
        "code resultat cle, codigo do resultado chave"
    ),
    "code": _words("id, code, no, nr, number, ref, 编号, 序号, codigo, numero, nummer"),
    "owner": _words(
        "owner, owners, responsible, assignee, assigned to, accountable, dri, person, "
        "contributor, contributors, kr owner, key result owner, who, 负责人, 责任人, "
        "负责者, 所有者, "
        "执行人, responsable, propietario, dueno, encargado, asignado a, verantwortlich, "
        "verantwortlicher, verantwortliche, besitzer, eigentumer, zustandig, "
        "proprietaire, porteur, responsavel, dono"
    ),
    "objective_owner": _words(
        "objective owner, objective lead, owner of objective, lead, "
        "objective responsible, 目标负责人, responsable del objetivo, zielverantwortlicher, "
        "zielverantwortliche, responsable de l objectif, responsavel pelo objetivo"
    ),
    "team": _words(
        "team, teams, unit, department, group, squad, org unit, organization unit, "
        "organisation unit, organizational unit, business unit, 团队, 部门, 小组, 组织, equipo, "
        "unidad, departamento, area, abteilung, einheit, bereich, equipe, unite, "
        "departement, service, unidade"
    ),
    "cycle": _words(
        "cycle, quarter, period, timeframe, time frame, time period, okr cycle, "
        "okr period, 周期, 季度, 期间, 时间段, ciclo, trimestre, periodo, zyklus, quartal, "
        "zeitraum, periode"
    ),
    "start": _words(
        "start, start value, baseline, initial, initial value, from, starting value, "
        "starting point, 起始值, 初始值, 基线, 起点, 基准值, inicio, valor inicial, linea base, "
        "linea de base, valor de partida, startwert, ausgangswert, anfangswert, basis, "
        "depart, valeur initiale, valeur de depart, reference, inicial, linha de base"
    ),
    "target": _words(
        "target, target value, goal value, to, 目标值, 指标, 目标数值, meta, valor objetivo, "
        "valor meta, zielwert, soll, sollwert, cible, valeur cible, alvo, valor alvo"
    ),
    "current": _words(
        "current, current value, actual, actual value, now, latest, value, achieved, "
        "当前值, 实际值, 现值, 当前, 完成值, valor actual, real, aktuell, aktueller wert, ist, "
        "istwert, actuel, valeur actuelle, realise, atual, valor atual"
    ),
    "progress": _words(
        "progress, completion, percent complete, complete, done, score, achievement, 进度, "
        "完成度, 完成率, 进展, progreso, avance, porcentaje, fortschritt, erfullung, "
        "zielerreichung, progression, avancement, progresso, andamento"
    ),
    "confidence": _words(
        "confidence, confidence level, confidence score, 信心, 信心指数, 置信度, confianza, "
        "nivel de confianza, zuversicht, konfidenz, vertrauen, confiance, confianca"
    ),
    "unit_label": _words(
        "unit of measure, measure unit, uom, units, metric unit, kr unit, "
        "key result unit, measurement unit, 单位, 计量单位, unidad de medida, masseinheit, "
        "einheit der messung, unite de mesure, unidade de medida"
    ),
    "type": _words(
        "type, okr type, objective type, row type, item type, tipo, 类型, 类别, typ, art, "
        "commitment, committed or aspirational"
    ),
    "level": _words("level, nivel, 层级, 级别, ebene, niveau"),
    "aspirational": _words("aspirational, stretch, moonshot, 挑战型, aspiracional"),
    "kind": _words(
        "kind, kr kind, key result kind, metric type, measurement type, direction, "
        "clase, 方向, richtung, sens"
    ),
    "description": _words(
        "description, details, notes, note, comments, comment, context, 描述, 说明, 备注, "
        "descripcion, notas, comentarios, beschreibung, notizen, kommentar, kommentare, "
        "commentaires, commentaire, descricao"
    ),
    "objective_description": _words(
        "objective description, why, why it matters, rationale, objective why, "
        "objective details, 目标描述, 原因, descripcion del objetivo, por que, "
        "zielbeschreibung, warum, pourquoi, descricao do objetivo"
    ),
    "due": _words(
        "due, due date, deadline, end date, end, date, target date, finish, 截止日期, 到期日, "
        "日期, 完成日期, fecha limite, vencimiento, fecha, fecha de fin, falligkeit, "
        "falligkeitsdatum, frist, termin, datum, enddatum, echeance, date limite, "
        "date de fin, prazo, data limite, data, data final"
    ),
    "as_of": _words(
        "as of, updated, last updated, last update, last check in, updated at, "
        "measured at, measured on, checked in, 更新日期, 更新时间, actualizado, "
        "ultima actualizacion, aktualisiert, stand, mis a jour, derniere mise a jour, "
        "atualizado, ultima atualizacao"
    ),
    "weight": _words("weight, peso, 权重, gewicht, gewichtung, poids"),
    "status": _words("status, state, health, estado, 状态, zustand, statut, situacao"),
}


def normalize(text: Any) -> str:
    """Lowercase, without accents, brackets or punctuation: "Descripción (%)" → "descripcion"."""
    text = str(text or "").replace("ß", "ss")
    text = re.sub(r"[(\[（【][^)\]）】]*[)\]）】]", " ", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w]+", " ", text.lower(), flags=re.UNICODE)
    return re.sub(r"\s+", " ", text).strip()


_LOOKUP: dict[str, str] = {}
for _field, _names in SYNONYMS.items():
    for _word in _names:
        _LOOKUP.setdefault(normalize(_word), _field)


def field_for(header: Any) -> str | None:
    """The field a header names, or None."""
    key = normalize(header)
    if not key:
        return None
    if key in _LOOKUP:
        return _LOOKUP[key]
    # "Q4 target", "Target (2026)", "KR target": the last words often carry the meaning.
    words = key.split(" ")
    parts = [" ".join(words[-size:]) for size in range(len(words) - 1, 0, -1)]
    parts += [" ".join(words[:size]) for size in range(len(words) - 1, 0, -1)]
    for part in parts:
        if part in _LOOKUP and _LOOKUP[part] not in ("code", "title"):
            return _LOOKUP[part]
    return None


def expected_columns() -> str:
    return ", ".join(
        (
            _("Objective"),
            _("Key result"),
            _("Owner"),
            _("Team"),
            _("Cycle"),
            _("Start"),
            _("Target"),
            _("Current"),
            _("Progress"),
            _("Confidence"),
        )
    )


# --- the header row ---------------------------------------------------------------------------


class ColumnsError(Exception):
    def __init__(self, message: str, row: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


@dataclass
class Columns:
    """Where each field is: field → column index, with the header text as the file has it."""

    header_row: int
    index: dict[str, int]
    headers: dict[str, str]
    ignored: list[str]
    data_from: int
    """Position in `table.rows` of the first data row."""

    def has(self, name: str) -> bool:
        return name in self.index

    def header(self, name: str) -> str:
        return self.headers.get(name, name)


def _text(cell: Cell) -> str:
    return cell.strip() if isinstance(cell, str) else ("" if cell is None else str(cell))


def _match(cells: list[Cell], above: list[Cell] | None) -> tuple[dict[str, int], dict[str, str]]:
    index: dict[str, int] = {}
    headers: dict[str, str] = {}
    for col, cell in enumerate(cells):
        own = _text(cell)
        top = _text(above[col]) if above and col < len(above) else ""
        candidates = []
        if own and top and normalize(top) != normalize(own):
            candidates.append(f"{top} {own}")
        candidates += [own, top] if own else [top]
        for text in candidates:
            name = field_for(text)
            if name and name not in index:
                index[name] = col
                headers[name] = text
                break
    return index, headers


def _usable(index: dict[str, int]) -> bool:
    return bool({"objective", "key_result", "title"} & set(index)) and len(index) >= 2


def find_columns(table: Table) -> Columns:
    best: tuple[int, int, dict[str, int], dict[str, str]] | None = None
    for position, (_number, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        options = [_match(cells, None)]
        if position > 0:
            options.append(_match(cells, table.rows[position - 1][1]))
        for index, headers in options:
            if _usable(index) and (best is None or len(index) > len(best[2])):
                best = (position, len(index), index, headers)
    if best is None:
        found = next((cells for _n, cells in table.rows if any(_text(c) for c in cells)), [])
        listed = ", ".join(f"“{_text(c)}”" for c in found if _text(c)) or _("none")
        raise ColumnsError(
            _(
                "No header row with OKR columns was found in the first %(n)d rows. Columns "
                "found: %(found)s. Expected columns such as: %(expected)s (in English, "
                "Chinese, Spanish, German, French or Portuguese)."
            )
            % {"n": HEADER_SEARCH_ROWS, "found": listed, "expected": expected_columns()},
            table.rows[0][0] if table.rows else None,
        )
    position, _score, index, headers = best
    cells = table.rows[position][1]
    used = set(index.values())
    ignored = [_text(c) for col, c in enumerate(cells) if col not in used and _text(c)]
    return Columns(
        header_row=table.rows[position][0],
        index=index,
        headers=headers,
        ignored=ignored,
        data_from=position + 1,
    )


# --- rows -------------------------------------------------------------------------------------

OBJECTIVE_MARKERS = set(_words("o, obj, objective, objetivo, 目标, ziel, objectif, goal"))
KEY_RESULT_MARKERS = set(
    _words(
        "kr, key result, keyresult, resultado clave, 关键结果, schlusselergebnis, resultat cle, "
        "resultado chave, result"
    )
)
OBJECTIVE_PREFIX = re.compile(
    r"^(?:o|obj|objective|objetivo|目标|ziel|objectif)\s*[-.#]?\s*(\d+)\s*[:.)\-–—]?\s+(?=\S)",
    re.IGNORECASE,
)
KEY_RESULT_PREFIX = re.compile(
    r"^(?:kr|key result|resultado clave|关键结果)\s*[-.#]?\s*(\d+(?:[.\-]\d+)?)"
    r"\s*[:.)\-–—]?\s+(?=\S)",
    re.IGNORECASE,
)
NUMBERED_OBJECTIVE = re.compile(r"^(\d+)[.)]\s+(?=\S)")
NUMBERED_KEY_RESULT = re.compile(r"^(\d+\.\d+)[.)]?\s+(?=\S)")
CODE_OBJECTIVE = re.compile(r"^o[-\s.]?\d+$", re.IGNORECASE)
CODE_KEY_RESULT = re.compile(r"^kr[-\s.]?\d+([.\-]\d+)?$", re.IGNORECASE)


@dataclass
class Record:
    """One row, classified: an objective or a key result, with its cells by field."""

    row: int
    kind: str
    """"objective" or "key_result"."""
    title: str
    values: dict[str, Cell] = field(default_factory=dict)


def marker(text: Any) -> str | None:
    key = normalize(text)
    if key in OBJECTIVE_MARKERS:
        return "objective"
    if key in KEY_RESULT_MARKERS:
        return "key_result"
    return None


def strip_numbering(title: str) -> tuple[str | None, str]:
    """The kind a title's numbering implies, and the title without it."""
    for pattern, kind in (
        (KEY_RESULT_PREFIX, "key_result"),
        (OBJECTIVE_PREFIX, "objective"),
        (NUMBERED_KEY_RESULT, "key_result"),
        (NUMBERED_OBJECTIVE, "objective"),
    ):
        match = pattern.match(title)
        if match:
            return kind, title[match.end() :].strip()
    return None, title


def records(table: Table, columns: Columns) -> Iterable[Record]:
    index = columns.index
    has_objective = "objective" in index
    has_key_result = "key_result" in index
    header_texts = {normalize(c) for c in table.rows[columns.data_from - 1][1] if _text(c)}
    for number, cells in table.rows[columns.data_from :]:
        values = {name: cells[col] if col < len(cells) else "" for name, col in index.items()}
        if not any(_text(v) for v in values.values()):
            continue
        texts = {normalize(v) for v in values.values() if _text(v)}
        if texts and texts <= header_texts and len(texts) > 1:
            continue  # the header repeated (a table pasted twice, a page break)
        kind = marker(values.get("type")) or marker(values.get("level"))
        code = _text(values.get("code") or "")
        if kind is None and code:
            kind = (
                "objective"
                if CODE_OBJECTIVE.match(code)
                else "key_result"
                if CODE_KEY_RESULT.match(code)
                else None
            )
        objective_text = _text(values.get("objective", ""))
        key_result_text = _text(values.get("key_result", ""))
        title_text = _text(values.get("title", ""))
        if kind == "objective":
            _n, text = strip_numbering(objective_text or title_text or key_result_text)
            values["objective"] = text
            yield Record(row=number, kind="objective", title=text, values=values)
            continue
        if kind == "key_result":
            text = key_result_text or title_text
            if not text:
                text, values["objective"] = objective_text, ""
            _n, text = strip_numbering(text)
            yield Record(row=number, kind="key_result", title=text, values=values)
            continue
        if has_key_result and key_result_text:
            _n, key_result_text = strip_numbering(key_result_text)
            if objective_text:
                _n, objective_text = strip_numbering(objective_text)
                values["objective"] = objective_text
            yield Record(row=number, kind="key_result", title=key_result_text, values=values)
            continue
        if has_objective and objective_text:
            _n, objective_text = strip_numbering(objective_text)
            values["objective"] = objective_text
            if not has_key_result and title_text:
                # "Objective | Title": the title is the key result's.
                yield Record(row=number, kind="key_result", title=title_text, values=values)
            else:
                yield Record(row=number, kind="objective", title=objective_text, values=values)
            continue
        text = title_text or key_result_text or objective_text
        if not text:
            yield Record(row=number, kind="unknown", title="", values=values)
            continue
        numbered, stripped = strip_numbering(text)
        raw_title = values.get("title")
        indented = isinstance(raw_title, str) and raw_title[:1] in (" ", "\t", "\u3000")
        kind = numbered
        if kind is None and indented:
            kind = "key_result"
        if kind is None:
            # No marker at all: a row with numbers to reach is a key result.
            measured = any(_text(values.get(f, "")) for f in ("target", "start", "current"))
            kind = "key_result" if measured else "objective"
        if kind == "objective":
            values["objective"] = stripped
        yield Record(row=number, kind=kind, title=stripped, values=values)


# --- numbers ----------------------------------------------------------------------------------

CURRENCY_SYMBOLS = {
    "$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "￥": "CNY", "元": "CNY",
    "rmb": "CNY", "₹": "INR", "r$": "BRL", "₩": "KRW", "fr": "CHF", "kr": "SEK", "zł": "PLN",
}  # fmt: skip
CURRENCY_CODES = set(
    _words(
        "USD, EUR, GBP, JPY, CNY, INR, BRL, CHF, SEK, NOK, DKK, PLN, CAD, AUD, NZD, MXN, ARS, "
        "CLP, COP, PEN, KRW, HKD, SGD, TWD, ZAR, CZK, HUF, TRY, ILS, AED, SAR"
    )
)
SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")


@dataclass
class Number:
    value: Decimal
    percent: bool = False
    currency: str = ""
    places: int = 0


class NumberError(ValueError):
    pass


def decimal_comma_hint(cells: Iterable[Cell]) -> bool | None:
    """Whether the file writes decimals with a comma, judged from the values that only read
    one way ("1,5", "1.234,56" say comma; "1.5", "1,234.56" say point). None: no evidence."""
    comma = point = 0
    for cell in cells:
        if not isinstance(cell, str):
            continue
        text = SPACES.sub("", cell)
        if re.search(r"\d\.\d{3},\d", text) or re.search(
            r"(?<![\d,.])\d+,(\d{1,2}|\d{4,})(?![\d,.])", text
        ):
            comma += 1
        elif re.search(r"\d,\d{3}\.\d", text) or re.search(
            r"(?<![\d,.])\d+\.(\d{1,2}|\d{4,})(?![\d,.])", text
        ):
            point += 1
    if comma > point:
        return True
    if point > comma:
        return False
    return None


def parse_number(cell: Cell, *, decimal_comma: bool = False) -> Number | None:
    """A number from a cell, or None when it is empty; NumberError when it is not a number."""
    if cell is None or cell == "":
        return None
    if isinstance(cell, bool):
        return Number(Decimal(int(cell)))
    if isinstance(cell, int | Decimal):
        value = Decimal(cell)
        return Number(value, places=max(0, -value.normalize().as_tuple().exponent))  # type: ignore[operator]
    if isinstance(cell, float):
        return parse_number(format(cell, ".12g"))
    if not isinstance(cell, str):
        raise NumberError(str(cell))
    text = cell.strip().replace("−", "-").replace("–", "-")
    if not text:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    percent = text.endswith("%") or text.endswith("％")
    if percent:
        text = text[:-1].strip()
    currency = ""
    lowered = text.lower()
    for symbol, code in sorted(CURRENCY_SYMBOLS.items(), key=lambda kv: -len(kv[0])):
        if lowered.startswith(symbol) or lowered.endswith(symbol):
            if symbol.isalpha() and not re.search(
                r"[\d\s]" + re.escape(symbol) + "$|^" + re.escape(symbol) + r"[\d\s]", lowered
            ):
                continue
            currency = code
            text = text[len(symbol) :] if lowered.startswith(symbol) else text[: -len(symbol)]
            break
    coded = re.match(r"^([A-Za-z]{3})\s*(.+)$|^(.+?)\s*([A-Za-z]{3})$", text)
    if not currency and coded:
        found = (coded.group(1) or coded.group(4) or "").upper()
        if found in CURRENCY_CODES:
            currency = found
            text = coded.group(2) or coded.group(3)
    text = SPACES.sub("", text)
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    elif text.startswith("+"):
        text = text[1:]
    if not re.fullmatch(r"[\d.,]+", text) or not re.search(r"\d", text):
        raise NumberError(cell)
    text = _separators(text, decimal_comma)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise NumberError(cell) from None
    places = len(text.split(".", 1)[1]) if "." in text else 0
    return Number(-value if negative else value, percent=percent, currency=currency, places=places)


def _separators(text: str, decimal_comma: bool) -> str:
    """Only digits and one decimal point left."""
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
    elif "," in text:
        groups = text.split(",")
        thousands = len(groups) > 2 or (
            len(groups) == 2 and len(groups[1]) == 3 and groups[0] not in ("", "0")
        )
        decimal = "," if not thousands or (decimal_comma and len(groups) == 2) else ""
    elif "." in text:
        groups = text.split(".")
        thousands = len(groups) > 2 or (
            len(groups) == 2 and len(groups[1]) == 3 and decimal_comma and groups[0] != "0"
        )
        decimal = "" if thousands else "."
    else:
        return text
    other = "." if decimal == "," else ","
    if decimal == "":
        return text.replace(",", "").replace(".", "")
    text = text.replace(other, "")
    if text.count(decimal) > 1:
        raise NumberError(text)
    return text.replace(decimal, ".")


# --- dates ------------------------------------------------------------------------------------

MONTH_NAMES = (
    # English, Spanish, German, French and Portuguese, full and short; twelve per line.
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "january february march april may june july august september october november december",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "ene feb mar abr may jun jul ago sep oct nov dic",
    "januar februar marz april mai juni juli august september oktober november dezember",
    "jan feb mrz apr mai jun jul aug sep okt nov dez",
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
    "janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro",
    "jan fev mar abr mai jun jul ago set out nov dez",
)
MONTHS: dict[str, int] = {"sept": 9, "janv": 1, "fevr": 2, "avr": 4, "juil": 7}
for _line in MONTH_NAMES:
    for _number, _name in enumerate(_line.split(" "), start=1):
        MONTHS.setdefault(_name, _number)
EXCEL_EPOCH = dt.date(1899, 12, 30)


class DateError(ValueError):
    pass


@dataclass
class ParsedDate:
    value: dt.date
    ambiguous: bool = False


def day_first_hint(cells: Iterable[Cell]) -> bool | None:
    """Whether slashed dates put the day first, judged from the ones that only read one way
    (13/10/2026 says day first, 10/13/2026 month first). None: no evidence."""
    day = month = 0
    for cell in cells:
        if not isinstance(cell, str):
            continue
        match = re.fullmatch(r"\s*(\d{1,2})[/-](\d{1,2})[/-](\d{2,4})\s*", cell)
        if not match:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            day += 1
        elif second > 12 >= first:
            month += 1
    if day > month:
        return True
    if month > day:
        return False
    return None


def parse_date(cell: Cell, *, day_first: bool = True) -> ParsedDate | None:
    if cell is None or cell == "":
        return None
    if isinstance(cell, dt.datetime):
        return ParsedDate(cell.date())
    if isinstance(cell, dt.date):
        return ParsedDate(cell)
    if isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
        return _serial(cell)
    text = normalize_date_text(str(cell))
    if not text:
        return None
    if re.fullmatch(r"\d{4,5}(\.\d+)?", text):
        return _serial(Decimal(text))
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t].*)?", text)
    if match:
        return ParsedDate(
            _make(int(match.group(1)), int(match.group(2)), int(match.group(3)), cell)
        )
    match = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日?", text.replace(" ", ""))
    if match:
        return ParsedDate(
            _make(int(match.group(1)), int(match.group(2)), int(match.group(3)), cell)
        )
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{2,4})", text)
    if match:  # 01.10.2026: the dotted form is always day first
        return ParsedDate(
            _make(_year(match.group(3)), int(match.group(2)), int(match.group(1)), cell)
        )
    match = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})[/-](\d{2,4})", text)
    if match:
        first, second, year = int(match.group(1)), int(match.group(2)), _year(match.group(3))
        if first > 12:
            return ParsedDate(_make(year, second, first, cell))
        if second > 12:
            return ParsedDate(_make(year, first, second, cell))
        day, month = (first, second) if day_first else (second, first)
        return ParsedDate(_make(year, month, day, cell), ambiguous=first != second)
    words = re.findall(r"[^\W\d_]+|\d+", text)
    numbers = [w for w in words if w.isdigit()]
    names = [w for w in words if not w.isdigit() and w not in ("de", "of", "the", "le", "der")]
    if len(numbers) == 2 and len(names) == 1 and names[0] in MONTHS:
        day, year = numbers if len(numbers[1]) == 4 else numbers[::-1]
        return ParsedDate(_make(_year(year), MONTHS[names[0]], int(day), cell))
    raise DateError(cell)


def normalize_date_text(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text.replace(",", " ")).strip()


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _make(year: int, month: int, day: int, cell: Cell) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateError(cell) from None


def _serial(number: Any) -> ParsedDate:
    days = int(Decimal(number))
    if not 1 <= days <= 2958465:
        raise DateError(number)
    return ParsedDate(EXCEL_EPOCH + dt.timedelta(days=days))


# --- words ------------------------------------------------------------------------------------

KIND_WORDS = {
    "increase": "increase, up, higher, grow, raise, increase from to, aumentar, incrementar, "
    "提高, 增加, 上升, erhohen, steigern, augmenter, aumento",
    "decrease": "decrease, down, lower, reduce, decrease from to, reducir, disminuir, 降低, "
    "减少, 下降, senken, reduzieren, diminuer, reduire, diminuir",
    "reach": "reach, reach a value, achieve, alcanzar, 达到, erreichen, atteindre, atingir",
    "keep_above": "keep above, keep_above, at least, min, minimum, above, mantener por encima, "
    "保持高于, 不低于, mindestens, au moins, pelo menos, manter acima",
    "keep_below": "keep below, keep_below, at most, max, maximum, below, mantener por debajo, "
    "保持低于, 不高于, hochstens, au plus, no maximo, manter abaixo",
    "milestone": "milestone, binary, yes no, boolean, done or not, hito, 里程碑, meilenstein, "
    "jalon, marco",
}
KINDS = {normalize(w): kind for kind, text in KIND_WORDS.items() for w in _words(text)}
TYPE_WORDS = {
    "committed": "committed, commit, commitment, roofshot, comprometido, 承诺, 承诺型, "
    "verbindlich, zugesagt, engage, engagement, compromisso",
    "aspirational": "aspirational, aspiration, stretch, moonshot, ambitious, aspiracional, 挑战, "
    "挑战型, 愿景型, ambitioniert, ambitieux, ambitiosa, ambicioso",
}
OBJECTIVE_TYPES = {normalize(w): kind for kind, text in TYPE_WORDS.items() for w in _words(text)}
TRUE_WORDS = set(_words("yes, y, true, 1, x, done, si, 是, ja, oui, sim, ✓, ✔"))
FALSE_WORDS = set(_words("no, n, false, 0, 否, nein, non, nao")) | {""}
