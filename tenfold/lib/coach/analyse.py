"""Reading a title: what it asks for (a change, a level, a task, a count, a done/not-done) and
which numbers it holds. The rules in `checks` decide what to say from these traits."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from tenfold.lib.coach import lexicon as lx
from tenfold.lib.coach.text import (
    ANALYSED_CHARS,
    Number,
    clean,
    detect_language,
    is_blank,
    key,
    numbers,
)

# --- compiled patterns ------------------------------------------------------------------------

_BULLET = re.compile(
    r"^\s*(?:[-*•·>#]+|\(?\d{1,2}[.)]|kr\s*\d*\s*[:.)-]|key result\s*\d*\s*[:.)-])\s*"
)
_PREFIX_LATIN = re.compile(
    r"^(?:(?:we|i|the team|team|you)\s+(?:will|shall|must|should|want to|need to|aim to|"
    r"are going to|plan to)\s+|(?:to|and|then|also|successfully|fully|finally|actually)\s+|"
    r"(?:q[1-4]|h[12]|fy\d*)\s*[:,-]?\s+|(?:this|each|every|per|next)\s+(?:week|month|quarter|"
    r"sprint|cycle)\s*[:,-]?\s*|(?:weekly|monthly|quarterly|daily)\s*[:,-]\s*|"
    r"(?:vamos a|queremos|debemos|hay que|el equipo va a|tenemos que|necesitamos)\s+|"
    r"(?:este|cada|el proximo)\s+(?:trimestre|mes|semana|ciclo)\s*,?\s*|"
    r"(?:mensualmente|semanalmente|trimestralmente)\s*,?\s*|(?:en\s+)?q[1-4]\s*,?\s+)*"
)
_PREFIX_ZH = re.compile(
    r"^(?:本季度|本月|本周|今年|本年度|每周|每月|每季度|每天|q[1-4]|第[一二三四1-4]季度|年底前|季度末前|"
    r"月底前|[\d一二三四五六七八九十]+月(?:底|末)?前?|在|于|我们要|我们将|团队要|要|争取|力争|"
    r"全力|努力|持续|[\s,，:：、])*"
)

_ACTIVITY_START = re.compile("^" + lx.alternation(lx.EN_ACTIVITY + lx.ES_ACTIVITY) + r"(?![\w-])")
_ACTIVITY_ANY = re.compile(lx.latin(lx.EN_ACTIVITY + lx.ES_ACTIVITY))
_ZH_ACTIVITY = re.compile(lx.cjk(lx.ZH_ACTIVITY))
_ZH_STRONG_ACTIVITY = re.compile(lx.cjk(w for w in lx.ZH_ACTIVITY if w not in lx.ZH_WEAK_ACTIVITY))
# 完成 is "complete" but also "achieve" ("完成 500 万销售额"): with a plain number after it, it
# does not say whether work or a result is counted, so only deliverables decide.
_ZH_COUNTING_ACTIVITY = re.compile(
    lx.cjk(w for w in lx.ZH_ACTIVITY if w not in lx.ZH_WEAK_ACTIVITY and w != "完成")
)
_WEAK = lx.EN_WEAK_ACTIVITY | lx.ES_WEAK_ACTIVITY

_OUTCOME_START = re.compile(
    "^" + lx.alternation(lx.EN_OUTCOME_VERBS + lx.ES_OUTCOME_VERBS) + r"(?![\w-])"
)
_ZH_OUTCOME = re.compile(lx.cjk(lx.ZH_OUTCOME_VERBS))
_QUALIFIER = re.compile(
    lx.latin(lx.EN_OUTCOME_QUALIFIERS + lx.ES_OUTCOME_QUALIFIERS)
    + "|"
    + lx.cjk(lx.ZH_OUTCOME_QUALIFIERS)
)

_DELIVERABLE_AFTER = re.compile(
    r"\s*(?:(?!(?:on|in|at|for|of|from|per|to|with|by|across|each|every|a|an|the|en|de|del|por|"
    r"para|con|al|cada|sobre|out|y|and|or|o)\b)[a-z0-9/&'-]+\s+){0,2}"
    + lx.latin(lx.EN_DELIVERABLES + lx.ES_DELIVERABLES)
)
_NUMBER_OF_DELIVERABLE = re.compile(
    r"(?:number|no\.|#|count|amount|numero|cantidad|volumen)\s+(?:of|de)\s+(?:[a-z-]+\s+){0,2}?"
    + lx.latin(lx.EN_DELIVERABLES + lx.ES_DELIVERABLES)
)
_ZH_DELIVERABLE_AFTER = re.compile(r"\s*" + lx.cjk(lx.ZH_DELIVERABLE_MEASURES))
_ZH_DELIVERABLE_NEAR = re.compile(
    r"\s*(?:个|场|次|篇|份|条|项|封|通|期|节|套|款)[\u4e00-\u9fff]{0,4}?"
    + lx.cjk(lx.ZH_DELIVERABLE_NOUNS)
)
_INPUT_START = re.compile(
    "^"
    + lx.alternation(lx.EN_INPUT_VERBS + lx.ES_INPUT_VERBS)
    + r"(?![\w-])|^"
    + lx.cjk(lx.ZH_INPUT_VERBS)
)
_ZH_DELIVERABLE_COUNT = re.compile(
    lx.cjk(lx.ZH_DELIVERABLE_NOUNS) + r"(?:的)?(?:数量|数|篇数|场次|次数)"
)

_MILESTONE = re.compile(lx.latin(lx.EN_MILESTONE + lx.ES_MILESTONE))
_ZH_MILESTONE = re.compile(lx.cjk(lx.ZH_MILESTONE))
_UP = re.compile(lx.latin(lx.EN_UP + lx.ES_UP))
_DOWN = re.compile(lx.latin(lx.EN_DOWN + lx.ES_DOWN))
_KEEP = re.compile(lx.latin(lx.EN_KEEP + lx.ES_KEEP))
_ZH_UP = re.compile(lx.cjk(lx.ZH_UP))
_ZH_DOWN = re.compile(lx.cjk(lx.ZH_DOWN))
_ZH_KEEP = re.compile(lx.cjk(lx.ZH_KEEP))
_NEUTRAL_UP = re.compile(
    r"^(?:improv\w*|optimi[sz]\w*|better|enhanc\w*|mejor\w*|optimiz\w*|优化|改善|改进|完善|提升)"
)

_FROM_TO = re.compile(
    r"\bfrom\b.{0,60}?\b(?:to|down to|up to|into)\b|\b(?:de|del|desde)\b.{0,60}?\b(?:a|al|hasta)\b"
    r"|从.{0,40}?(?:到|至)|→|->|=>|⟶|➔|➜|⇒"
)
_FREQUENCY_CHANGE = re.compile(
    rf"\bfrom\s+(?:once\s+)?{lx.FREQUENCIES_EN}\s+to\s+(?:once\s+)?{lx.FREQUENCIES_EN}"
    rf"|\b(?:de|del)\s+{lx.FREQUENCIES_ES}\s+(?:a|al)\s+{lx.FREQUENCIES_ES}"
    rf"|从\s*{lx.FREQUENCIES_ZH}.{{0,12}}?(?:到|至)\s*{lx.FREQUENCIES_ZH}"
)
_RELATIVE = re.compile(
    r"\bby\s+(?:[$€£]\s?)?\d|\ben\s+(?:un|una)\s+\d|\bun\s+\d+(?:[.,]\d+)?\s?%"
    r"|(?:提升|提高|增长|增加|降低|减少|下降|缩短)\s*(?:了)?\s*\d+(?:\.\d+)?\s*(?:%|倍|个百分点)"
    r"|\b\d+(?:[.,]\d+)?\s?(?:x|×)\b"
)
_FROM_EQUAL = re.compile(
    r"(?:\bfrom|\bde|\bdel|\bdesde|从)\s*(?:[$€£¥]\s?)?(\d+(?:[.,]\d+)?)\s*(%|[a-z]{0,3})?\s*"
    r"(?:\bto|\ba|\bal|\bhasta|到|至|降到|提升到|提高到|→|->)\s*(?:[$€£¥]\s?)?(\d+(?:[.,]\d+)?)"
)
_HUNDRED_PERCENT = re.compile(r"(?<![\d.,])100\s?%|\ball\b|\btodos?\b|\btodas?\b|全部|所有")

_TASK_NOUN = re.compile(
    lx.latin(lx.TASK_NOUNS_EN + lx.TASK_NOUNS_ES) + "|" + lx.cjk(lx.TASK_NOUNS_ZH)
)
_BUSINESS = re.compile(lx.latin(lx.BUSINESS_EN + lx.BUSINESS_ES) + "|" + lx.cjk(lx.BUSINESS_ZH))
_GROWTH = re.compile(lx.latin(lx.GROWTH_EN + lx.GROWTH_ES) + "|" + lx.cjk(lx.GROWTH_ZH))
_ASPIRATION = re.compile(
    lx.latin(lx.ASPIRATION_EN + lx.ASPIRATION_ES) + "|" + lx.cjk(lx.ASPIRATION_ZH)
)
_ARTIFACT = re.compile(lx.latin(lx.ARTIFACTS_EN + lx.ARTIFACTS_ES) + "|" + lx.cjk(lx.ARTIFACTS_ZH))
_BAU = re.compile(lx.latin(lx.BAU_EN + lx.BAU_ES) + "|" + lx.cjk(lx.BAU_ZH))
_ADVERB_AFTER_VERB = re.compile(
    r"^\s*(?:faster|quicker|more|better|reliably|confidently|often|frequently|safely|with|"
    r"without|every|weekly|daily|continuously|sooner|smarter|together|rapido|mas|mejor|con|sin|"
    r"cada|sooner|early|earlier|again|on time)\b"
)
_WORDS = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_CJK_CHARS = re.compile(r"[\u3400-\u9fff]")
_ZH_GENERIC = re.compile(lx.cjk(lx.GENERIC_ZH))


@dataclass
class Traits:
    """What a title says, as the rules need it."""

    original: str  # the user's text (first ANALYSED_CHARS characters)
    key: str  # its key form, same length
    lang: str
    length: int  # full length of the text
    blank: bool
    body_start: int  # where the text starts after bullets and "we will…"
    numbers: list[Number] = field(default_factory=list)
    from_to: bool = False
    frequency_change: bool = False
    relative: bool = False
    direction: str | None = None  # up | down | keep
    direction_at_start: bool = False
    neutral_verb: bool = False  # improve / optimise: direction depends on the metric
    activity_start: str = ""  # the activity verb the title starts with ("" if none)
    activity_weak: bool = False
    activity_anywhere: bool = False
    zh_task: bool = False  # a Chinese activity verb anywhere ("3 个月内上线新官网")
    outcome_start: bool = False
    milestone: bool = False
    counts_outputs: bool = False
    start_equals_target: str = ""
    all_of_a_task: bool = False

    @property
    def measurable(self) -> bool:
        """Holds a number that measures something. A deadline after a task verb ("launch the
        app within 6 weeks") is not a measure: the title is still a task."""
        if self.frequency_change:
            return True
        found = self.numbers
        if (self.activity_start and not self.activity_weak) or self.zh_task:
            found = [n for n in found if not n.deadline]
        return bool(found)

    @property
    def only_baseline(self) -> bool:
        """Every number says where we start ("increase signups from 200"): no target."""
        return bool(self.numbers) and all(
            n.baseline and not (n.multiplier or n.comparator) for n in self.numbers
        )

    @property
    def amount_numbers(self) -> list[Number]:
        return [n for n in self.numbers if n.is_amount and not n.deadline]


def _body_start(k: str) -> int:
    position = 0
    match = _BULLET.match(k)
    if match:
        position = match.end()
    for _ in range(3):
        prefix = _PREFIX_LATIN.match(k, position)
        if prefix and prefix.end() > position:
            position = prefix.end()
            continue
        prefix = _PREFIX_ZH.match(k, position)
        if prefix and prefix.end() > position:
            position = prefix.end()
            continue
        break
    return position


def _direction(k: str, body: str, lang: str) -> tuple[str | None, bool]:
    """Which way the title wants to move, and whether it starts with that verb."""
    candidates: list[tuple[int, str]] = []
    for name, pattern in (("keep", _KEEP), ("up", _UP), ("down", _DOWN)):
        match = pattern.search(body)
        if match:
            candidates.append((match.start(), name))
    for name, pattern in (("keep", _ZH_KEEP), ("up", _ZH_UP), ("down", _ZH_DOWN)):
        match = pattern.search(body)
        if match:
            candidates.append((match.start(), name))
    if not candidates:
        return None, False
    candidates.sort()
    position, name = candidates[0]
    # "keep churn under 2 %" and "reduce … to …" both start with their verb; in Chinese the
    # verb often follows the metric ("客户流失率降低"), so any position counts as the start.
    return name, position == 0 or lang == "zh"


_WINDOW_AFTER = re.compile(
    r"^-?\s?(?:day|week|month|quarter|year|hour|minute|día|dia|semana|mes|año|天|周|个月|小时)s?\b"
    r"|^-?(?:天|周|个月|小时)"
)


def _counts_outputs(t: Traits, body: str) -> bool:
    k = t.key
    qualifier = bool(_QUALIFIER.search(k))
    if _NUMBER_OF_DELIVERABLE.search(k) and not qualifier and not t.outcome_start:
        return True
    if _ZH_DELIVERABLE_COUNT.search(k) and not qualifier:
        return True
    for number in t.numbers:
        if number.percent or number.money or number.multiplier:
            continue
        after = k[number.end :]
        if _WINDOW_AFTER.match(after):  # "the 30-day survey score": a time window, not a count
            continue
        if (
            _DELIVERABLE_AFTER.match(after)
            or _ZH_DELIVERABLE_AFTER.match(after)
            or _ZH_DELIVERABLE_NEAR.match(after)
        ) and not (t.outcome_start or qualifier):
            return True
    # "Spend $40k on paid social": money put in, not a result.
    if (
        _INPUT_START.match(body)
        and not t.from_to
        and any(not (n.percent or n.comparator) for n in t.numbers)
    ):
        return True
    # "Hire 3 engineers", "Launch in 5 countries": a strong activity verb and a plain count.
    if (
        t.activity_start
        and not t.activity_weak
        and not t.from_to
        and not t.amount_numbers
        and any(not n.deadline for n in t.numbers)
    ):
        return True
    # "Finish 80 % of the migration": a share of the work done is still a count of work.
    if (
        ((t.activity_start and not t.activity_weak) or t.zh_task)
        and any(n.percent for n in t.numbers)
        and _TASK_NOUN.search(body)
        and not t.from_to
    ):
        return True
    if t.lang == "zh" and not t.from_to and not t.amount_numbers:
        strong = _ZH_COUNTING_ACTIVITY.search(k)
        if strong and not _ZH_OUTCOME.search(k[: strong.start()]):
            for number in t.numbers:
                if number.start > strong.start() and not number.deadline:
                    return True
    return False


@functools.lru_cache(maxsize=2048)
def analyse(text: str) -> Traits:
    """Traits of a key-result (or objective) title. Cached: the same titles come back often
    (as-you-type, the planning board, evaluation runs)."""
    full = clean(text)
    original = full[:ANALYSED_CHARS]
    k = key(original)
    lang = detect_language(original)
    start = _body_start(k)
    body = k[start:]
    t = Traits(
        original=original,
        key=k,
        lang=lang,
        length=len(full),
        blank=is_blank(original),
        body_start=start,
    )
    if t.blank:
        return t
    t.numbers = numbers(k)
    t.from_to = bool(_FROM_TO.search(k)) and len(t.numbers) >= 1
    t.frequency_change = bool(_FREQUENCY_CHANGE.search(k))
    t.relative = bool(_RELATIVE.search(k))
    t.direction, t.direction_at_start = _direction(k, body, lang)
    t.neutral_verb = bool(_NEUTRAL_UP.match(body))

    activity = _ACTIVITY_START.match(body)
    if activity:
        verb = activity.group(0)
        t.activity_start = verb
        t.activity_weak = verb in _WEAK
    elif lang == "zh":
        strong = _ZH_STRONG_ACTIVITY.match(body)
        if strong:
            t.activity_start = strong.group(0)
    t.activity_anywhere = bool(
        t.activity_start or _ACTIVITY_ANY.search(body) or _ZH_ACTIVITY.search(body)
    )
    t.zh_task = lang == "zh" and bool(_ZH_STRONG_ACTIVITY.search(body))
    t.outcome_start = bool(_OUTCOME_START.match(body) or _ZH_OUTCOME.match(body))
    t.milestone = bool(_MILESTONE.search(body) or _ZH_MILESTONE.search(body))
    t.counts_outputs = _counts_outputs(t, body)

    equal = _FROM_EQUAL.search(k)
    if equal and _same_number(equal.group(1), equal.group(3)):
        t.start_equals_target = equal.group(1)
    if ((t.activity_start and not t.activity_weak) or t.zh_task) and _HUNDRED_PERCENT.search(k):
        t.all_of_a_task = all(n.value in ("100",) for n in t.numbers)
    return t


def _same_number(a: str, b: str) -> bool:
    def norm(value: str) -> str:
        return value.replace(",", ".").rstrip("0").rstrip(".") or "0"

    return norm(a) == norm(b)


# --- objectives -------------------------------------------------------------------------------


# A plural noun followed by a linking verb: "Deploys become boring", "Releases feel routine".
_NOUN_SUBJECT = re.compile(
    r"^\w+s\s+(?:become|becomes|are|feel|get|stay|turn|run|go|happen|take)\b"
)
# A verb whose object carries the quality wanted: "a calmer, more dependable service",
# "un servicio más fiable".
_QUALITY_AFTER_VERB = re.compile(
    r"^\s*(?:(?:a|an|the|our|un|una|el|la|nuestro|nuestra)\s+)?(?:(?:more|less|más|menos)\s+\w+"
    r"|calmer|better|faster|easier|simpler|safer|happier|stronger|smoother|quicker|clearer"
    r"|cheaper|healthier|leaner|friendlier|mejor|mejores)\b"
)


@dataclass
class ObjectiveTraits:
    traits: Traits
    kpi: bool = False
    task: bool = False
    vague: bool = False
    business_as_usual: bool = False


@functools.lru_cache(maxsize=2048)
def analyse_objective(text: str) -> ObjectiveTraits:
    t = analyse(text)
    o = ObjectiveTraits(traits=t)
    if t.blank:
        return o
    k = t.key
    body = k[t.body_start :]
    o.kpi = bool(t.numbers)
    aspiration = bool(_ASPIRATION.search(k))
    if t.activity_start and _NOUN_SUBJECT.match(body):
        # "Deploys become boring": the first word is what changes, not an order to do it.
        pass
    elif (
        t.activity_start
        and not aspiration
        and _QUALITY_AFTER_VERB.match(body[len(t.activity_start) :])
    ):
        # "Run a calmer, more dependable service": the object comes with the quality wanted,
        # which is an outcome in disguise rather than a piece of work.
        pass
    elif t.activity_start and not aspiration:
        rest = body[len(t.activity_start) :]
        if t.activity_weak:
            o.task = bool(_ARTIFACT.search(rest[:40])) and not _ADVERB_AFTER_VERB.match(rest)
        else:
            o.task = not _ADVERB_AFTER_VERB.match(rest)
    elif t.lang == "zh" and not aspiration:
        strong = _ZH_STRONG_ACTIVITY.search(body)
        o.task = bool(strong and strong.start() <= 6) or bool(
            _ZH_MILESTONE.search(body) and _ARTIFACT.search(body)
        )
    o.business_as_usual = bool(_BAU.search(k)) and not aspiration
    o.vague = _is_vague(t)
    return o


def _is_vague(t: Traits) -> bool:
    k = t.key
    cjk = _CJK_CHARS.findall(_ZH_GENERIC.sub("", k))
    if t.lang == "zh":
        return len(cjk) < 4
    words = [w for w in _WORDS.findall(k) if w not in lx.GENERIC_EN and w not in lx.GENERIC_ES]
    return len(words) + len(cjk) // 2 < 2


def is_personal_business(texts: list[str]) -> bool:
    """True when personal-level text talks about business results and not about growth."""
    joined = key(" ".join(clean(t)[:ANALYSED_CHARS] for t in texts))
    return bool(_BUSINESS.search(joined)) and not _GROWTH.search(joined)


def lower_is_better(k: str) -> bool:
    return bool(_LOWER_BETTER.search(k))


_LOWER_BETTER = re.compile(
    lx.latin([
        r"churn", r"costs?", r"latency", r"time", r"times", r"errors?", r"incidents?", r"bugs?",
        r"defects?", r"complaints?", r"turnover", r"attrition", r"lead[- ]time", r"downtime",
        r"outages?", r"backlog", r"delays?", r"waste", r"returns?", r"refunds?", r"cac",
        r"dso", r"escalations?", r"risk", r"debt", r"spend", r"expenses?", r"tickets",
        r"rotacion", r"costes?", r"costos?", r"tiempos?", r"errores", r"error", r"incidencias?",
        r"latencia", r"abandono", r"quejas?", r"retrasos?", r"devoluciones", r"deuda", r"gastos?",
        r"mermas?", r"bajas", r"fallos?", r"accidentes?",
    ])
    + "|" + lx.cjk(["流失", "成本", "时间", "时长", "延迟", "故障", "错误", "投诉", "缺陷", "周期",
                    "退款", "退货", "差错", "事故", "风险", "费用", "积压", "耗时", "工单量"])
)  # fmt: skip
