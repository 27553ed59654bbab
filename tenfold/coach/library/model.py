"""The shapes of the example library, and the small helpers its data files are written with.

Every text is stored side by side in the three shipped languages, `{"en": …, "zh_Hans": …,
"es": …}`, and picked when an example is read (`localise`). The data are plain module constants:
nothing here touches the database, so the catalogue can be checked and searched anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("en", "zh_Hans", "es")
"""The keys of every text, English first (the fallback)."""

Text = dict[str, str]

# Kinds, formats, levels and types, spelt as the okrs models spell them (kept as strings so this
# module does not import any model).
INCREASE, DECREASE, REACH, KEEP_ABOVE, KEEP_BELOW = (
    "increase",
    "decrease",
    "reach",
    "keep_above",
    "keep_below",
)
KINDS = (INCREASE, DECREASE, REACH, KEEP_ABOVE, KEEP_BELOW)
FROM_TO = (INCREASE, DECREASE)
NUMBER, PERCENT, CURRENCY = "number", "percent", "currency"
FORMATS = (NUMBER, PERCENT, CURRENCY)
COMPANY, DEPARTMENT, TEAM, PERSONAL = "company", "department", "team", "personal"
LEVELS = (COMPANY, DEPARTMENT, TEAM, PERSONAL)
COMMITTED, ASPIRATIONAL = "committed", "aspirational"
TYPES = (COMMITTED, ASPIRATIONAL)

# The same words as the okrs models' choices, so their translations are shared.
LEVEL_LABELS = {
    COMPANY: _("Company"),
    DEPARTMENT: _("Department"),
    TEAM: _("Team"),
    PERSONAL: _("Personal development"),
}
TYPE_LABELS = {COMMITTED: _("Committed"), ASPIRATIONAL: _("Aspirational")}
KIND_LABELS = {
    INCREASE: _("Increase"),
    DECREASE: _("Decrease"),
    REACH: _("Reach"),
    KEEP_ABOVE: _("Keep above"),
    KEEP_BELOW: _("Keep below"),
}


def t(en: str, zh_hans: str, es: str) -> Text:
    """One text in the three languages."""
    return {"en": en, "zh_Hans": zh_hans, "es": es}


def pick(text: Text, language: str) -> str:
    """The text in `language`, falling back to English when it is missing or empty."""
    return text.get(language) or text["en"]


# --- raw entries, as written in the data files ------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """How a key result's numbers read: a unit label (translated), a format, a currency."""

    unit: Text
    value_format: str = NUMBER
    currency: str = ""


@dataclass(frozen=True)
class KeyResultEntry:
    kind: str
    start: Decimal | None
    target: Decimal
    measure: Measure
    title: Text


@dataclass(frozen=True)
class Entry:
    """One example as written: every text in the three languages."""

    slug: str
    function: str
    level: str
    type: str
    title: Text
    why: Text
    key_results: tuple[KeyResultEntry, ...]
    plans: tuple[Text, ...]
    note: Text


def measure(en: str, zh_hans: str, es: str) -> Measure:
    """A plain number with a unit label, e.g. measure("days", "天", "días")."""
    return Measure(t(en, zh_hans, es))


PCT = Measure(t("", "", ""), PERCENT)
USD = Measure(t("", "", ""), CURRENCY, "USD")
PLAIN = Measure(t("", "", ""))


# Measures several functions' examples use.
DAYS = measure("days", "天", "días")
HOURS = measure("hours", "小时", "horas")
MINUTES = measure("minutes", "分钟", "minutos")
PER_MONTH = measure("per month", "每月", "al mes")
SCORE_5 = measure("out of 5", "分（满分 5）", "de 5")
SCORE_10 = measure("out of 10", "分（满分 10）", "de 10")


def _number(value: int | float | str) -> Decimal:
    return Decimal(str(value))


def up(start: float | str, target: float | str, unit: Measure, title: Text) -> KeyResultEntry:
    return KeyResultEntry(INCREASE, _number(start), _number(target), unit, title)


def down(start: float | str, target: float | str, unit: Measure, title: Text) -> KeyResultEntry:
    return KeyResultEntry(DECREASE, _number(start), _number(target), unit, title)


def reach(target: float | str, unit: Measure, title: Text) -> KeyResultEntry:
    return KeyResultEntry(REACH, None, _number(target), unit, title)


def above(target: float | str, unit: Measure, title: Text) -> KeyResultEntry:
    return KeyResultEntry(KEEP_ABOVE, None, _number(target), unit, title)


def below(target: float | str, unit: Measure, title: Text) -> KeyResultEntry:
    return KeyResultEntry(KEEP_BELOW, None, _number(target), unit, title)


# --- examples as read, in one language --------------------------------------------------------


def decimals_of(*values: Decimal | None) -> int:
    """The decimal places the values are written with (3.5 → 1, "1.80" → 2, 40 → 0)."""
    places = 0
    for value in values:
        if value is None:
            continue
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            places = max(places, -exponent)
    return places


@dataclass(frozen=True)
class ExampleKeyResult:
    title: str
    kind: str
    start: Decimal | None
    target: Decimal
    unit_label: str
    value_format: str
    currency: str
    decimals: int

    def fields(self) -> dict[str, Any]:
        """The keyword arguments `tenfold.okrs.services.key_result_create` takes."""
        return {
            "title": self.title,
            "kind": self.kind,
            "start": self.start,
            "target": self.target,
            "unit_label": self.unit_label,
            "value_format": self.value_format,
            "currency": self.currency,
            "decimals": self.decimals,
        }

    def as_dict(self) -> dict[str, Any]:
        return self.fields()

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    def show(self, value: Decimal | None) -> str:
        """A value as the key result will show it: 22 %, USD 180,000, 48 days."""
        if value is None:
            return ""
        text = number_format(value, self.decimals, force_grouping=True)
        if self.value_format == PERCENT:
            return f"{text} %"
        if self.value_format == CURRENCY:
            return f"{self.currency} {text}"
        return f"{text} {self.unit_label}".strip()

    @property
    def start_text(self) -> str:
        return self.show(self.start)

    @property
    def target_text(self) -> str:
        return self.show(self.target)


@dataclass(frozen=True)
class Example:
    """One example in one language."""

    slug: str
    function: str
    function_label: str
    level: str
    type: str
    title: str
    description: str
    key_results: tuple[ExampleKeyResult, ...]
    plans: tuple[str, ...]
    note: str
    language: str

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.level])

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS[self.type])

    @property
    def is_personal(self) -> bool:
        return self.level == PERSONAL

    def as_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "function": self.function,
            "function_label": self.function_label,
            "level": self.level,
            "type": self.type,
            "title": self.title,
            "description": self.description,
            "key_results": [kr.as_dict() for kr in self.key_results],
            "plans": list(self.plans),
            "note": self.note,
            "language": self.language,
        }


def localise(entry: Entry, function_label: Text, language: str) -> Example:
    return Example(
        slug=entry.slug,
        function=entry.function,
        function_label=pick(function_label, language),
        level=entry.level,
        type=entry.type,
        title=pick(entry.title, language),
        description=pick(entry.why, language),
        key_results=tuple(
            ExampleKeyResult(
                title=pick(kr.title, language),
                kind=kr.kind,
                start=kr.start,
                target=kr.target,
                unit_label=pick(kr.measure.unit, language),
                value_format=kr.measure.value_format,
                currency=kr.measure.currency,
                decimals=decimals_of(kr.start, kr.target),
            )
            for kr in entry.key_results
        ),
        plans=tuple(pick(plan, language) for plan in entry.plans),
        note=pick(entry.note, language),
        language=language,
    )
