"""Ready-to-use replacement titles, built from the user's own words, in the language the title
is written in (not the interface language: a Spanish title gets a Spanish rewrite).

Templates keep "…" where only the author knows the value; with structured start and target
values the real numbers are filled in.
"""

from __future__ import annotations

import contextlib
import re
from decimal import Decimal

from tenfold.lib.coach import lexicon as lx
from tenfold.lib.coach.analyse import Traits, lower_is_better
from tenfold.lib.coach.text import key

GAP = "…"

TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "up": "Increase {thing} from {start} to {target}",
        "down": "Reduce {thing} from {start} to {target}",
        "reach": "Reach {target} {thing}",
        "keep_above": "Keep {thing} above {target}",
        "keep_below": "Keep {thing} below {target}",
        "adoption": "Increase adoption of {thing} from {start} to {target}",
        "objective_task": "Make {thing} something our customers love",
    },
    "es": {
        "up": "Aumentar {thing} de {start} a {target}",
        "down": "Reducir {thing} de {start} a {target}",
        "reach": "Alcanzar {target} {thing}",
        "keep_above": "Mantener {thing} por encima de {target}",
        "keep_below": "Mantener {thing} por debajo de {target}",
        "adoption": "Aumentar el uso de {thing} de {start} a {target}",
        "objective_task": "Conseguir que {thing} encante a nuestros clientes",
    },
    "zh": {
        "up": "将{thing}从 {start} 提升到 {target}",
        "down": "将{thing}从 {start} 降到 {target}",
        "reach": "{thing}达到 {target}",
        "keep_above": "将{thing}保持在 {target} 以上",
        "keep_below": "将{thing}控制在 {target} 以下",
        "adoption": "将{thing}的使用率从 {start} 提升到 {target}",
        "objective_task": "让{thing}成为客户离不开的产品",
    },
}
PLACEHOLDER_THING = {"en": "[metric]", "es": "[métrica]", "zh": "[指标]"}

# What a piece of work is usually meant to move: (triggers, direction, en, es, zh). The first
# match wins, so specific entries come before general ones.
_METRICS: list[tuple[str, str, str, str, str]] = [
    (r"referr\w*|referid\w*|recomendaci\w*|推荐|转介绍|老带新", "up",
     "referred signups per month", "las altas por recomendación al mes", "每月推荐注册数"),
    (r"a/b tests?|experiments?|experimentos?|实验|signup flow|sign-up flow|registro|注册流程", "up",
     "visitor-to-signup conversion rate", "la tasa de conversión de visitas a registros",
     "访客到注册的转化率"),
    (r"pricing page|pagina de precios|precios|定价页", "up",
     "visitor-to-trial conversion on the pricing page",
     "la conversión de visitas a prueba en la página de precios", "定价页访客到试用的转化率"),
    (r"checkout|pago|结账|支付", "up",
     "checkout conversion rate", "la tasa de conversión del pago", "结账转化率"),
    (r"onboarding|alta de (?:clientes|usuarios)|新手引导|入门|上手", "up",
     "new accounts activated within 7 days", "las cuentas nuevas activadas en 7 días",
     "7 天内激活的新账户占比"),
    (r"sales process|crm|salesforce|hubspot|proceso (?:de|comercial) ventas|proceso comercial|"
     r"销售流程|销售管理", "down",
     "lead-to-close time (days)", "el tiempo de cierre de oportunidades (días)",
     "线索到成交的周期（天）"),
    (r"mobile app|app|apps|aplicacion|移动端|应用|小程序", "up",
     "weekly active users of the app", "los usuarios activos semanales de la app",
     "App 周活跃用户数"),
    (r"website|web|landing(?: pages?)?|homepage|sitio|官网|网站|落地页", "up",
     "visitor-to-signup conversion rate", "la tasa de conversión de visitas a registros",
     "官网访客到注册的转化率"),
    (r"blog|posts?|articles?|articulos?|entradas|seo|content|contenidos?|博客|文章|内容", "up",
     "organic visits per month", "las visitas orgánicas al mes", "每月自然流量"),
    (r"videos?|youtube|tiktok|视频|短视频", "up",
     "video views per month", "las reproducciones de vídeo al mes", "每月视频播放量"),
    (r"newsletters?|boletin\w*|e-?mails?|correos?|邮件|简报", "up",
     "newsletter click-through rate", "la tasa de clics del boletín", "邮件点击率"),
    (r"webinars?|events?|workshops?|conferences?|meetups?|talleres|taller|eventos?|seminarios?|"
     r"ferias?|活动|沙龙|研讨会|大会|峰会|讲座", "up",
     "qualified leads from events", "los leads cualificados de eventos", "活动带来的有效线索数"),
    (r"campaigns?|ads|adverts?|paid social|campanas?|anuncios?|广告|投放", "down",
     "cost per qualified lead", "el coste por lead cualificado", "每条有效线索的成本"),
    (r"cold calls?|calls?|llamadas?|电话|外呼", "up",
     "qualified meetings booked per week", "las reuniones cualificadas agendadas por semana",
     "每周预约的有效会议数"),
    (r"interviews?|entrevistas?|访谈|调研", "up",
     "the share of roadmap items validated with customers",
     "la proporción de funcionalidades validadas con clientes", "经客户验证的需求占比"),
    (r"features?|releases?|funcionalidad\w*|funciones|lanzamientos?|功能|版本|需求", "up",
     "weekly active users of the new features",
     "los usuarios semanales de las nuevas funcionalidades", "新功能的周活跃用户数"),
    (r"linkedin|instagram|social|redes|twitter|社交|公众号|小红书|抖音", "up",
     "leads from social channels per month", "los leads de redes sociales al mes",
     "社交渠道每月带来的线索数"),
    (r"loyalty|membership|points|fidelizacion|puntos|socios|会员|积分", "up",
     "repeat purchase rate", "la tasa de recompra", "复购率"),
    (r"hire|hiring|recruit\w*|engineers?|developers?|contrat\w*|desarrolladores|招聘|工程师",
     "down",
     "time to hire (days)", "el tiempo de contratación (días)", "招聘周期（天）"),
    (r"train\w*|courses?|formacion|formar|curso|capacitacion|培训|课程", "up",
     "the share of staff passing the skills assessment",
     "el porcentaje de empleados que aprueban la evaluación", "通过技能考核的员工占比"),
    (r"document\w*|docs|help cent(?:re|er)|faq|knowledge base|manual|documentar|文档|手册|知识库",
     "up", "the share of questions solved through self-service",
     "la proporción de consultas resueltas por autoservicio", "通过自助服务解决的咨询占比"),
    (r"tests?|testing|qa|pruebas|测试", "down",
     "the change failure rate", "la tasa de fallos en los cambios", "变更失败率"),
    (r"migrat\w*|kubernetes|cloud|aws|infra\w*|database|servers?|migr\w*|nube|base de datos|迁移|"
     r"云|数据库|服务器", "down",
     "monthly infrastructure cost", "el coste mensual de infraestructura", "每月基础设施成本"),
    (r"dashboards?|reports?|informes?|paneles|panel|报表|看板|报告", "up",
     "weekly users of the dashboards", "los usuarios semanales de los paneles",
     "看板的周活跃用户数"),
    (r"security|audit|soc|iso|certifi\w*|seguridad|auditoria|安全|审计|认证", "down",
     "deals blocked by security reviews", "las ventas bloqueadas por revisiones de seguridad",
     "因安全审查受阻的订单数"),
    (r"support|tickets?|chatbot|help ?desk|soporte|incidencias|客服|工单", "down",
     "first response time (hours)", "el tiempo de primera respuesta (horas)",
     "首次响应时间（小时）"),
    (r"payroll|nomina|薪资|工资", "down",
     "payroll errors per month", "los errores de nómina al mes", "每月薪资差错数"),
    (r"pricing|prices|precios|定价|价格", "up",
     "average revenue per account", "el ingreso medio por cliente", "客单价"),
    (r"case stud\w*|casos? de exito|案例", "up",
     "win rate on competitive deals", "la tasa de éxito en oportunidades competidas",
     "竞争性商机的赢单率"),
    (r"seo|search|organic|busqueda|搜索", "up",
     "organic visits per month", "las visitas orgánicas al mes", "每月自然流量"),
    (r"erp|month-end|close the books|cierre contable|财务系统|结账流程", "down",
     "days to close the month", "los días de cierre contable", "月结所需天数"),
]  # fmt: skip
# Latin triggers match whole words; Chinese ones are plain substrings.
_METRIC_PATTERNS = [
    (
        re.compile(
            "|".join(
                (lx.latin([part]) if not re.search(r"[\u3400-\u9fff]", part) else part)
                for part in trigger.split("|")
            )
        ),
        direction,
        en,
        es,
        zh,
    )
    for trigger, direction, en, es, zh in _METRICS
]


def metric_for(k: str, lang: str) -> tuple[str, str] | None:
    """(direction, metric phrase in `lang`) that the work in a title is usually meant to move."""
    for pattern, direction, en, es, zh in _METRIC_PATTERNS:
        if pattern.search(k):
            return direction, {"en": en, "es": es, "zh": zh}.get(lang, en)
    return None


_METRIC_NOUN = re.compile(
    lx.latin([
        r"rate", r"rates", r"ratio", r"time", r"times", r"score", r"nps", r"csat", r"ces",
        r"revenue", r"mrr", r"arr", r"sales", r"sign-?ups", r"users", r"customers", r"clients",
        r"churn", r"retention", r"conversion", r"visits", r"visitors", r"traffic", r"leads",
        r"pipeline", r"margin", r"costs?", r"spend", r"share", r"number", r"count", r"volume",
        r"latency", r"uptime", r"availability", r"accuracy", r"errors", r"incidents", r"bugs",
        r"satisfaction", r"engagement", r"adoption", r"usage", r"growth", r"profit", r"followers",
        r"subscribers", r"downloads", r"bookings", r"deals", r"orders", r"attrition", r"turnover",
        r"productivity", r"velocity", r"throughput", r"backlog", r"speed", r"ventas", r"ingresos",
        r"tasa", r"tiempo", r"clientes", r"usuarios", r"coste", r"costes", r"costos",
        r"satisfaccion", r"conversion", r"visitas", r"seguidores", r"retencion", r"rotacion",
        r"errores", r"incidencias", r"margen", r"beneficio", r"uso", r"pedidos", r"puntuacion",
    ])
    + "|" + lx.cjk(["率", "时间", "时长", "周期", "成本", "收入", "营收", "销售额", "满意度",
                    "用户数", "客户数", "流量", "线索", "留存", "转化", "得分", "评分", "数量",
                    "次数", "人数",
                    "费用", "利润", "销量", "口碑", "影响力", "速度", "效率"])
)  # fmt: skip


def names_metric(text: str) -> bool:
    return bool(_METRIC_NOUN.search(key(text)))


# --- the "thing" a title is about -------------------------------------------------------------

_LEAD_EN_ES = re.compile(
    lx.alternation(
        lx.EN_UP + lx.EN_DOWN + lx.EN_KEEP + lx.EN_ACTIVITY + lx.ES_UP + lx.ES_DOWN + lx.ES_KEEP
        + lx.ES_ACTIVITY + lx.EN_OUTCOME_VERBS + lx.ES_OUTCOME_VERBS
        + [r"make sure", r"be", r"have", r"get", r"ser", r"tener", r"lograr que", r"que",
           r"become", r"becomes", r"turn", r"go", r"llegar a", r"convertirnos en",
           r"convertirse en", r"pasar a"]
    )
    + r"(?![\w-])\s*"
)  # fmt: skip
_LEAD_ZH = re.compile(
    "^(?:将|把|让|使|对|给|在|更|地|的|\\s)*"
    + lx.cjk(lx.ZH_UP + lx.ZH_DOWN + lx.ZH_KEEP + lx.ZH_ACTIVITY + lx.ZH_OUTCOME_VERBS)
    + "?(?:更多|更|地|的|\\s)*"
)
_TRAIL_ZH = re.compile(
    lx.cjk(lx.ZH_UP + lx.ZH_DOWN + lx.ZH_KEEP + lx.ZH_ACTIVITY + lx.ZH_MILESTONE) + "+$"
)
_CUT_LATIN = re.compile(
    r"\s+(?:by|before|until|in|within|this|next|during|for|so that|so|to|through|via|with|"
    r"without|across|on|at|per|every|each|from|over|antes|para|en|durante|este|esta|hasta|"
    r"con|sin|por|mediante|cada|al mes|a la semana|desde|de cara|y luego|and then|while|"
    r"mientras|que (?:nos|permita)|q[1-4]|h[12])\b"
    r"|\s*[,;:.!?()\[\]{}—–]|\s+-\s+"
)
_CUT_ZH = re.compile(r"[，。；：！？、（(,;:!?]|在.{0,8}(?:前|内)|以便|从|到|至|并|以")
_DROP_WORDS = re.compile(
    r"\b(?:significantly|dramatically|a lot|greatly|further|much|lots|overall|again|"
    r"low|high|healthy|stable|steady|good|great|solid|mucho|bastante|bajo|bajos|baja|bajas|"
    r"alto|altos|alta|altas|estable|contentos?|satisfechos?)\b"
)
_LEADING_DET_EN = re.compile(r"^(?:the|our|a|an|all|more|better|higher|lower|fewer|less)\s+")
_DANGLING_OF = re.compile(r"^(?:(?:el|la|los|las)\s+)?(?:of|de|del)\s+", re.IGNORECASE)
_LEADING_PREPOSITION = re.compile(r"^(?:to|into|onto|on|at|a|al|hacia)\s+", re.IGNORECASE)
_NUMBERS_IN_THING = re.compile(r"(?<![A-Za-z\d])[$€£¥]?\s?\d[\d.,]*\s?(?:%|k|m|x)?(?![A-Za-z])")
_ZH_FILLERS = re.compile(
    r"^(?:的|了|更多|更加|更|进一步|大幅|显著|持续|地)+|(?:的|了|工作|水平|情况|稳定|健康|良好)+$"
)


def thing(t: Traits, *, keep_determiner: bool = False) -> str:
    """The metric or object a title is about, in the user's own words ("" if none)."""
    original, k = t.original, t.key
    start = t.body_start
    if t.lang == "zh":
        segment_k = k[start:]
        segment = original[start:]
        cut = _CUT_ZH.search(segment_k)
        if cut and cut.start() > 0:
            segment, segment_k = segment[: cut.start()], segment_k[: cut.start()]
        for _ in range(3):
            lead = _LEAD_ZH.match(segment_k)
            if not lead or not lead.end():
                break
            segment, segment_k = segment[lead.end() :], segment_k[lead.end() :]
        trail = _TRAIL_ZH.search(segment_k)
        if trail and trail.start() > 0:
            segment = segment[: trail.start()]
        segment = _NUMBERS_IN_THING.sub("", segment)
        return _ZH_FILLERS.sub("", segment.strip()).strip()
    lead = _LEAD_EN_ES.match(k, start)
    if lead:
        start = lead.end()
    lead_end = start if not lead else -1
    segment_k, segment = k[start:], original[start:]
    cut = _CUT_LATIN.search(segment_k)
    if cut:
        segment, segment_k = segment[: cut.start()], segment_k[: cut.start()]
    for match in reversed(list(_DROP_WORDS.finditer(segment_k))):
        segment = segment[: match.start()] + segment[match.end() :]
        segment_k = segment_k[: match.start()] + segment_k[match.end() :]
    segment = _NUMBERS_IN_THING.sub(" ", segment)
    segment = re.sub(r"\s+", " ", segment).strip(" -–—:,.")
    # What is left of "80 % of the migration" / "el 70 % de la hoja de ruta".
    segment = _DANGLING_OF.sub("", segment)
    segment = _LEADING_PREPOSITION.sub("", segment)
    if t.lang == "en" and not keep_determiner:
        segment = _LEADING_DET_EN.sub("", segment)
    if len(segment) > 60:
        segment = segment[:60].rsplit(" ", 1)[0]
    if segment[:1].isupper() and segment[1:2].islower() and start == lead_end:
        # The title's first word, capitalised only because it came first ("Customer
        # satisfaction"): lower it inside the template. Acronyms stay as they are.
        segment = segment[0].lower() + segment[1:]
    return segment


# --- builders ---------------------------------------------------------------------------------


def _lang(lang: str) -> str:
    return lang if lang in TEMPLATES else "en"


def fill(lang: str, template: str, thing_text: str, start: str = GAP, target: str = GAP) -> str:
    lang = _lang(lang)
    text = TEMPLATES[lang][template].format(
        thing=thing_text or PLACEHOLDER_THING[lang], start=start, target=target
    )
    text = re.sub(r"\s+", " ", text).strip()
    return text[:1].upper() + text[1:] if lang != "zh" else text


def change(t: Traits, *, direction: str | None = None) -> str:
    """The "Increase signups from … to …" template for a title that names a change without a
    target; a baseline it gives is kept ("Increase signups from 200 to …")."""
    subject = thing(t)
    start = GAP
    if t.only_baseline:
        first = t.numbers[0]
        start = t.original[first.start : first.end].strip()
    way = direction or t.direction or "up"
    if way == "up" and (t.neutral_verb or not t.direction) and lower_is_better(key(subject)):
        way = "down"
    if way == "keep":
        return keep(t)
    if not names_metric(subject):
        derived = metric_for(t.key, t.lang)
        if derived:
            return fill(t.lang, derived[0], derived[1])
    return fill(t.lang, "down" if way == "down" else "up", subject, start=start)


def keep(t: Traits) -> str:
    subject = thing(t)
    below = lower_is_better(key(subject)) or bool(re.search(r"\blow|\bbajo|低|少", t.key))
    return fill(t.lang, "keep_below" if below else "keep_above", subject)


def outcome(t: Traits) -> str:
    """For a task or a count: the outcome the work is usually meant to move."""
    derived = metric_for(t.key, t.lang)
    if derived:
        direction, metric = derived
        text = fill(t.lang, "down" if direction == "down" else "up", metric)
        if t.lang == "en" and metric.endswith(" per month") and direction == "up":
            # "Raise referred signups from … to … per month" reads better than the metric
            # with its period in the middle.
            text = f"Raise {metric[: -len(' per month')]} from {GAP} to {GAP} per month"
        return text
    subject = thing(t)
    if not subject:
        return fill(t.lang, "up", "")
    return fill(t.lang, "adoption", subject)


def format_number(value: Decimal, lang: str) -> str:
    try:
        value = value.normalize()
    except ArithmeticError:
        return str(value)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        # More digits than the context holds: write it out as it is.
        with contextlib.suppress(ArithmeticError):
            value = value.quantize(Decimal(1))
    text = f"{value:,f}"
    if lang == "es":
        text = text.replace(",", "\u00a0").replace(".", ",")
        whole = text.split(",")[0].lstrip("-")
        if len(whole.replace("\u00a0", "")) <= 4:
            text = text.replace("\u00a0", "")
    return text


def structured(
    t: Traits, *, kind: str, start: Decimal | None, target: Decimal | None, unit: str
) -> str:
    """A title from the structured values: "Increase signups from 200 to 500"."""
    lang = _lang(t.lang)
    subject = thing(t)
    percent = unit.strip() in ("%", "percent", "pct", "por ciento", "百分比")
    suffix = "" if percent or not unit.strip() or key(unit) in key(subject) else unit.strip()

    def show(value: Decimal | None) -> str:
        if value is None:
            return GAP
        text = format_number(value, lang)
        if percent:
            return f"{text} %" if lang == "es" else f"{text}%"
        return text

    start_text, target_text = show(start), show(target)
    if suffix:
        target_text = f"{target_text} {suffix}" if lang != "zh" else f"{target_text}{suffix}"
    if kind == "increase":
        return fill(lang, "up", subject, start_text, target_text)
    if kind == "decrease":
        return fill(lang, "down", subject, start_text, target_text)
    if kind == "reach":
        return fill(lang, "reach", subject or suffix, target=show(target))
    if kind == "keep_above":
        return fill(lang, "keep_above", subject, target=target_text)
    if kind == "keep_below":
        return fill(lang, "keep_below", subject, target=target_text)
    return outcome(t)


# --- objectives ---------------------------------------------------------------------------------

_NUMBER_PHRASE = re.compile(
    r"\s*(?:\b(?:from|to|by|of|at|de|del|a|al|en|un|una|hasta|desde)\s+|从|到|至|达到)?\s*"
    r"(?:[$€£¥]\s?)?\d[\d.,]*(?:\s?(?:%|‰|k|m|mm|bn|b|x|万|亿|千|元|倍))?"
    r"(?:\s?(?:€|\$|eur|usd|arr|mrr))?(?:\s*(?:名|个|位|家|人|次|场|篇|款|项))?"
)
_BEFORE_NUMBERS = re.compile(
    r"\s*(?:\b(?:from|to|by|of|at|reach|de|del|a|al|en|un|una|hasta|desde)|从|到|至|达到)?\s*$"
)


def objective_without_numbers(t: Traits) -> str:
    """The objective with its number phrases taken out ("Increase revenue by 20%" → "Increase
    revenue"), or "" when too little is left to stand on its own."""
    original, k = t.original, t.key
    if t.numbers:
        # Everything before the first number phrase, when it stands on its own: "Improve NPS
        # from 30 to 45" → "Improve NPS".
        head = original[: t.numbers[0].start]
        head = head[: _BEFORE_NUMBERS.search(key(head)).start()]  # type: ignore[union-attr]
        head = head.strip(" -–—:,.;")
        if (t.lang == "zh" and len(re.findall(r"[\u3400-\u9fff]", head)) >= 4) or (
            t.lang != "zh" and len(re.findall(r"\w+", head)) >= 2
        ):
            return head
    pieces: list[str] = []
    position = 0
    for number in t.numbers:
        span_start = number.start
        match = None
        for m in _NUMBER_PHRASE.finditer(k, max(0, number.start - 12), number.end + 8):
            if m.start() <= number.start < m.end():
                match = m
                break
        span_start, span_end = (match.start(), match.end()) if match else (number.start, number.end)
        if span_start < position:
            continue
        pieces.append(original[position:span_start])
        position = span_end
    pieces.append(original[position:])
    separator = "" if t.lang == "zh" else " "
    text = re.sub(r"\s+", " ", separator.join(pieces)).strip(" -–—:,.;")
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    words = re.findall(r"\w+", text)
    if t.lang == "zh":
        return text if len(re.findall(r"[\u3400-\u9fff]", text)) >= 4 else ""
    return text if len(words) >= 2 else ""


_USER_FACING = re.compile(
    lx.latin([
        r"app", r"apps", r"website", r"site", r"web", r"page", r"pages", r"features?", r"product",
        r"checkout", r"onboarding", r"portal", r"platform", r"api", r"documentation", r"docs",
        r"help cent(?:re|er)", r"program(?:me)?", r"newsletter", r"blog", r"store", r"shop",
        r"aplicacion", r"pagina", r"funcionalidad", r"producto", r"plataforma", r"programa",
        r"tienda", r"dashboard", r"panel",
    ])
    + "|" + lx.cjk(["App", "app", "APP", "应用", "官网", "网站", "页面", "功能", "产品", "平台",
                    "小程序", "会员", "商城"])
)  # fmt: skip


def objective_from_task(t: Traits) -> str:
    """Turns "Launch the mobile app" into "Make the mobile app something our customers love",
    only for things customers use; for internal work ("migrate to Kubernetes") none fits."""
    subject = thing(t, keep_determiner=True)
    if not subject or len(subject) > 40 or not _USER_FACING.search(key(subject)):
        return ""
    return fill(t.lang, "objective_task", subject)


_CLAUSE = re.compile(
    r",|;|\s[-–—]\s|\s+(?:and|so that|by|in order to|while|y|para que|mediante|de modo que)\s+"
    r"|，|；|并且|并|以便|从而"
)


def shorter_objective(t: Traits, limit: int) -> str:
    """The first clause of a long objective when it stands on its own."""
    match = _CLAUSE.search(t.key[: limit + 1])
    if not match:
        return ""
    text = t.original[: match.start()].strip()
    if 12 <= len(text) <= limit:
        return text
    return ""
