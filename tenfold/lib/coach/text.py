"""Text mechanics for the coach: a matching form of a title, the language guess, numbers in any
script, and a similarity measure that works for Chinese as well as for Latin scripts.

The *key* form of a text has exactly one character per character of the original (lower case,
accents dropped, full-width forms folded), so any span found in the key can be cut out of the
user's own text for a rewrite.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

from tenfold.lib.coach import lexicon as lx

# Long texts are analysed on their first characters only: the rules look at how a title is
# phrased, and this keeps every check well under a millisecond whatever is pasted in.
ANALYSED_CHARS = 600


@functools.lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        folded = ch
    lowered = folded.lower()
    if len(lowered) != 1:
        lowered = folded
    base = unicodedata.normalize("NFD", lowered)[0]
    if base in "\u2018\u2019\u02bc":
        return "'"
    if base in "\u2010\u2011\u2012\u2013\u2014\u2212":
        return "-"
    if base in "\u00a0\u2009\u202f\u3000":
        return " "
    return base


def key(text: str) -> str:
    """Lower case, no accents, full-width folded; same length as `text`."""
    return "".join(_fold(ch) for ch in text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: object) -> str:
    """Whatever came in as a title, as a string: None and non-strings never raise."""
    if text is None:
        return ""
    if not isinstance(text, str):
        try:
            text = str(text)
        except Exception:  # a broken __str__ must not break the coach
            return ""
    # Lone surrogates (from bad decoding) cannot be normalised or encoded; drop them.
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("", text)
    return text


def is_blank(text: str) -> bool:
    """True when there is no letter or digit at all: empty, spaces, punctuation, emoji only."""
    return not any(unicodedata.category(ch)[0] in "LN" for ch in text)


# --- language ---------------------------------------------------------------------------------

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[a-zñ]+")
_ES_MARKS = re.compile(r"[áéíóúñü¿¡]")
_ES_FIRST = re.compile(
    "^(?:" + "|".join(lx.ES_ACTIVITY + lx.ES_UP + lx.ES_DOWN + lx.ES_KEEP + lx.ES_OUTCOME_VERBS)
    + r"|alcanzar|conseguir|lograr|que|tasa|tiempo|numero|cero|menos|mas)\b"
)  # fmt: skip
_EN_FIRST = re.compile(
    "^(?:" + "|".join(lx.EN_ACTIVITY + lx.EN_UP + lx.EN_DOWN + lx.EN_KEEP + lx.EN_OUTCOME_VERBS)
    + r")\b"
)  # fmt: skip


def detect_language(text: str) -> str:
    """The language of a text, "en", "zh" or "es": a best guess from the script, accents and
    common words."""
    text = clean(text)[:ANALYSED_CHARS]
    cjk = len(_CJK.findall(text))
    lowered = text.lower()
    words = _LATIN_WORD.findall(key(lowered))
    if cjk and cjk * 2 >= len(words):
        return "zh"
    if not words:
        return "zh" if cjk else "en"
    es = sum(1 for w in words if w in lx.STOP_ES) + 2 * len(_ES_MARKS.findall(lowered))
    en = sum(1 for w in words if w in lx.STOP_EN)
    first = words[0]
    # "reduce", "complete" or "once" are words in both languages: only count a first word
    # that belongs to one of them.
    if _ES_FIRST.match(first) and not _EN_FIRST.match(first):
        es += 2
    elif _EN_FIRST.match(first) and not _ES_FIRST.match(first):
        en += 2
    es += sum(1 for w in words if w.endswith(("cion", "ciones", "dad", "idades", "mente")))
    return "es" if es > en else "en"


# --- numbers ----------------------------------------------------------------------------------

_MONTH_DATE = re.compile(
    rf"\b(?:{lx.EN_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{lx.EN_MONTHS})\b\.?(?:,?\s+\d{{4}})?"
    rf"|\b\d{{1,2}}\s+de\s+(?:{lx.ES_MONTHS})(?:\s+(?:de|del)\s+\d{{4}})?"
    rf"|\b(?:{lx.EN_MONTHS}|{lx.ES_MONTHS})\s+(?:de\s+|del\s+)?\d{{4}}\b"
    r"|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b"
    r"|(?:\d{2,4}\s*年\s*)?\d{1,2}\s*月\s*(?:\d{1,2}\s*[日号]|底|初|末|中旬|上旬|下旬|前|份)"
    r"|\d{4}\s*年|\b\d{1,2}:\d{2}\b|\b\d{1,2}\s?(?:am|pm)\b|\b\d+(?:st|nd|rd|th)\b"
    # "9h to 17h" is a time of day, but "from 6h to 2h" is a duration that moves
    r"|(?<!from )(?<!de )\b\d{1,2}\s?(?:h|hrs?)\s?(?:[-–]|to)\s?\d{1,2}\s?(?:h|hrs?)\b"
    r"|\b24\s*/\s*7\b|\b1:1s?\b|\b\d+(?:\.\d+){2,}\b|\b\d+\.x\b|第\s*\d+\s*(?:周|季度|期|阶段|版|天)"
    r"|\b(?:by|on|before|until|till|antes del?|hasta el|el)\s+\d{1,2}/\d{1,2}\b"
)
_YEAR = re.compile(
    r"(?:\b(?:in|by|for|of|since|until|before|during|fy|en|de|del|para|hasta|desde|durante|"
    r"ano|year|end|early|late|mid|q[1-4]|h[12]|finales de|principios de)\s+)"
    r"((?:19|20)\d{2})\b(?!\s*%)"
    r"|\b((?:19|20)\d{2})(?=\s*(?:$|[.,;:!?)\]]|年))"
    # A recent or coming year followed by anything but a counted noun ("make 2027 our year",
    # but not "reach 2030 customers").
    r"|(?<![\d$€£¥.,])\b(20[1-4]\d)\b(?!\s*(?:[%‰]|[a-z]+s\b|[kmx]\b|[\u4e00-\u9fff]|[.,]\d))"
)
_LABEL = re.compile(rf"\b{lx.STANDARDS}\s?[-#]?\s?(\d+(?:\.\d+)*)(?![\d.,]*\s*%)")

_NUMBER = re.compile(
    r"(?<![a-z_\d.,])(?P<cur>[$€£¥₹]\s?)?"
    r"(?P<num>\d+(?:[.,\u00a0\u202f\u2009']\d{3})*(?:[.,]\d+)?|[.,]\d+)"
    r"(?P<suf>\s?(?:%|‰|pp|pts?|percent|per cent|por ciento|k€|k|mm|mn|m|bn|b|x|×|"
    r"usd|eur|gbp|rmb|cny|mxn|ms|secs?|s|hrs?|h|mins?|d|gb|mb|tb|kb|kg|km|€|\$|"
    r"万|亿|千|百万|元|倍|个百分点)(?![a-z]))?(?![a-z])"
)
_PERCENT_SUFFIX = {"%", "‰", "pp", "pt", "pts", "percent", "per cent", "por ciento", "个百分点"}
_MONEY_SUFFIX = {"k€", "usd", "eur", "gbp", "rmb", "cny", "mxn", "€", "$", "元"}
_MULTIPLIER_SUFFIX = {"x", "×", "倍"}
_MONEY_AFTER = re.compile(
    r"\s*(?:k|m|mm|bn)?\s*(?:dollars?|euros?|usd|eur|gbp|pounds|pesos|yuan|元|美元|欧元|万元|"
    r"\$|€|£|¥|of (?:revenue|arr|mrr|pipeline|sales|bookings)|en (?:ventas|ingresos))"
)
_PERCENT_AFTER = re.compile(r"\s*(?:%|percent|per cent|por ciento)")
_PERCENT_BEFORE = re.compile(r"(?:百分之|%)\s*$")

_COMPARATOR_BEFORE = re.compile(
    "(?:"
    + lx.latin_start(lx.EN_COMPARATORS + lx.ES_COMPARATORS)
    + r"|"
    + lx.SYMBOL_COMPARATORS
    + r"|"
    + lx.cjk(lx.ZH_COMPARATORS)
    + r"|[≤≥<>~])\s*(?:the |a |an |el |la |un |una |del |de )?(?:[$€£¥]\s?)?$"
)
_COMPARATOR_AFTER = re.compile(
    r"\s*(?:%|[a-z]{1,4})?\s*(?:or (?:less|more|fewer|lower|higher|better|below|above)|"
    r"o (?:mas|menos)|以上|以下|以内|之内|内|或以上|或以下|and (?:above|below|up|under))"
)
_DURATION_AFTER = re.compile(
    r"\s*(?:business |working |calendar |laborables |habiles )?(?:days?|weeks?|months?|"
    r"quarters?|years?|sprints?|dias?|semanas?|meses|mes|trimestres?|anos?|天|周|个月|个季度|"
    r"季度|年|工作日)"
)
_DEADLINE_BEFORE = re.compile(
    r"(?:\b(?:within|in|by|before|after|inside|over the next|next|dentro de|en|antes de|"
    r"en los proximos|durante)|在|于)\s*(?:the )?(?:first |next |los primeros |las primeras )?$"
)
_BASELINE_BEFORE = re.compile(
    r"(?:\b(?:from|currently|today|now|baseline|was|vs\.?|desde|de|del|hoy|actualmente|"
    r"ahora|partimos de)|目前|当前|现在|从|现为|由)\s*(?:at |en |el |the |a |an )?(?:[$€£¥]\s?)?"
    r"[:(]?\s*$"
)
_WITHIN_AFTER = re.compile(r"\s*(?:内|之内|以内|后|前)")
_PER_AFTER = re.compile(
    r"\s*(?:[a-z\u4e00-\u9fff-]+\s+){0,3}?(?:per|a|an|each|every|/|por|al|a la|cada|每)\s*"
    r"(?:day|week|month|quarter|year|sprint|dia|semana|mes|trimestre|ano|天|周|月|季度)"
)

_ZH_NUMERAL = re.compile(
    rf"(?:百分之)?[{lx.ZH_NUMERAL_CHARS}]+(?:点[{lx.ZH_NUMERAL_CHARS}]+)?(?P<measure>{lx.ZH_MEASURES})?"
)
_ZH_NOT_NUMBER = re.compile(lx.cjk(lx.ZH_NOT_NUMBERS))
_ZH_NUMBER_WORD = re.compile(lx.cjk(lx.ZH_NUMBER_WORDS))
_WORD_NUMBER = re.compile(lx.latin(lx.EN_NUMBER_WORDS + lx.ES_NUMBER_WORDS))
_RANK_ONE = re.compile(lx.RANK_ONE)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Number:
    """A number in a title, with what surrounds it."""

    start: int
    end: int
    text: str
    value: str = ""
    percent: bool = False
    money: bool = False
    multiplier: bool = False
    comparator: bool = False  # "below 300", "at least 40", "≥ 40"
    deadline: bool = False  # "within 6 weeks", "in 3 months"
    per_period: bool = False  # "4 posts per month"
    baseline: bool = False  # "from 200", "(currently 30 %)": where we start, not where we go
    word: bool = False  # a number word or Chinese numeral

    @property
    def is_amount(self) -> bool:
        """A measured level rather than a plain count of things done."""
        return self.percent or self.money or self.multiplier or self.comparator


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _mask_labels(k: str) -> str:
    """Dates, years, versions, standards and labels, blanked out: they are not measures."""
    for match in _MONTH_DATE.finditer(k):
        k = _blank(k, match.start(), match.end())
    for match in _YEAR.finditer(k):
        group = next(g for g in (1, 2, 3) if match.group(g))
        k = _blank(k, match.start(group), match.end(group))
    for match in _LABEL.finditer(k):
        k = _blank(k, match.start(1), match.end(1))
    for match in _ZH_NOT_NUMBER.finditer(k):
        k = _blank(k, match.start(), match.end())
    for match in _RANK_ONE.finditer(k):
        k = _blank(k, match.start(), match.end())
    return k


def _context(k: str, start: int, end: int, number: str, **flags: bool) -> Number:
    before = k[max(0, start - 30) : start]
    after = k[end : end + 40]
    comparator = bool(_COMPARATOR_BEFORE.search(before) or _COMPARATOR_AFTER.match(after))
    duration = _DURATION_AFTER.match(after)
    deadline = bool(
        duration and (_DEADLINE_BEFORE.search(before) or _WITHIN_AFTER.match(after, duration.end()))
    )
    return Number(
        start=start,
        end=end,
        text=k[start:end],
        value=number,
        baseline=bool(_BASELINE_BEFORE.search(before)),
        comparator=comparator,
        deadline=deadline,
        per_period=bool(_PER_AFTER.match(after)),
        percent=flags.get("percent", False)
        or bool(_PERCENT_AFTER.match(after) or _PERCENT_BEFORE.search(before)),
        money=flags.get("money", False) or bool(_MONEY_AFTER.match(after)),
        multiplier=flags.get("multiplier", False),
        word=flags.get("word", False),
    )


def numbers(k: str) -> list[Number]:
    """The measurable numbers of a key-form text: digits in any script, Chinese numerals and
    number words, leaving out dates, years, versions, ordinals and labels such as "p95"."""
    masked = _mask_labels(k)
    found: list[Number] = []
    taken: list[tuple[int, int]] = []
    for match in _NUMBER.finditer(masked):
        suffix = (match.group("suf") or "").strip()
        found.append(
            _context(
                k,
                match.start(),
                match.end(),
                match.group("num"),
                percent=suffix in _PERCENT_SUFFIX,
                money=bool(match.group("cur")) or suffix in _MONEY_SUFFIX,
                multiplier=suffix in _MULTIPLIER_SUFFIX,
            )
        )
        taken.append((match.start(), match.end()))
    for match in _ZH_NUMERAL.finditer(masked):
        chars = match.group(0)
        measure = match.group("measure") or ""
        body = chars[: len(chars) - len(measure)] if measure else chars
        if body == "一" and measure not in ("倍", "成", "半"):
            continue  # 一 + measure word is "a", not a quantity
        if not (chars.startswith("百分之") or len(body) >= 2 or measure):
            continue
        if any(s <= match.start() < e for s, e in taken):
            continue
        found.append(
            _context(
                k,
                match.start(),
                match.end(),
                body,
                percent=chars.startswith("百分之") or measure in ("成", "个百分点"),
                multiplier=measure == "倍",
                word=True,
            )
        )
    for pattern in (_ZH_NUMBER_WORD, _WORD_NUMBER):
        for match in pattern.finditer(masked):
            word = match.group(0)
            found.append(
                _context(
                    k,
                    match.start(),
                    match.end(),
                    word,
                    multiplier=word not in ("percent", "per cent", "por ciento"),
                    percent=word in ("percent", "per cent", "por ciento"),
                    word=True,
                )
            )
    found.sort(key=lambda n: n.start)
    return found


def has_number(text: str) -> bool:
    """Whether a text holds a number in any script: digits (ASCII, full-width, Arabic-Indic,
    Devanagari…), numeric symbols, "%", Chinese numerals (三十, 百分之二十, 两倍) and number
    words ("double", "halve", "cero")."""
    text = clean(text)[:ANALYSED_CHARS]
    if not text:
        return False
    if _DIGIT.search(text) or "%" in text or "％" in text or "‰" in text:
        return True
    if any(unicodedata.category(ch) in ("No", "Nl") for ch in text):
        return True
    k = key(text)
    masked = _ZH_NOT_NUMBER.sub(lambda m: " " * len(m.group(0)), k)
    for match in _ZH_NUMERAL.finditer(masked):
        chars = match.group(0)
        measure = match.group("measure") or ""
        body = chars[: len(chars) - len(measure)] if measure else chars
        if body == "一" and measure not in ("倍", "成", "半"):
            continue
        if chars.startswith("百分之") or len(body) >= 2 or measure:
            return True
    return bool(_ZH_NUMBER_WORD.search(masked) or _WORD_NUMBER.search(masked))


# --- similarity -------------------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z]+|\d+(?:[.,]\d+)*|[\u3400-\u9fff]+")
_ALNUM = re.compile(r"[^a-z0-9\u3400-\u9fff]+")


@functools.lru_cache(maxsize=4096)
def signature(text: str) -> frozenset[str]:
    """Words (without stop words) and numbers for Latin text, character pairs for Chinese."""
    k = key(clean(text)[:ANALYSED_CHARS])
    grams: set[str] = set()
    for token in _TOKEN.findall(k):
        if "\u3400" <= token[0] <= "\u9fff":
            chars = [ch for ch in token if ch not in lx.STOP_ZH]
            if len(chars) == 1:
                grams.add(chars[0])
            grams.update(a + b for a, b in itertools.pairwise(chars))
        elif token[0].isdigit():
            grams.add("#" + token.replace(",", "").rstrip("0").rstrip("."))
        elif token not in lx.STOP_EN and token not in lx.STOP_ES and len(token) > 1:
            grams.add(token[:-1] if token.endswith("s") and len(token) > 3 else token)
    return frozenset(grams)


@functools.lru_cache(maxsize=4096)
def trigrams(text: str) -> frozenset[str]:
    squeezed = _ALNUM.sub("", key(clean(text)[:ANALYSED_CHARS]))
    if len(squeezed) < 3:
        return frozenset({squeezed}) if squeezed else frozenset()
    return frozenset(squeezed[i : i + 3] for i in range(len(squeezed) - 2))


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def similarity(a: str, b: str) -> float:
    """0–1: how far two titles say the same thing, on words and on character trigrams."""
    return max(_dice(signature(a), signature(b)), _dice(trigrams(a), trigrams(b)))


def containment(part: str, whole: str) -> float:
    """Share of `part`'s words found in `whole` (1.0: everything `part` says is in `whole`)."""
    small = signature(part)
    if not small:
        return 0.0
    return len(small & signature(whole)) / len(small)
