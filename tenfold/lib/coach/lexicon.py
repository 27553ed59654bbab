"""Word lists the text rules look for, in English, Spanish and Simplified Chinese.

Every pattern is matched against the *key* form of a text (see `text.key`): lower case, accents
removed, one character per original character, so Spanish entries are written without accents
and a match can be mapped back onto the user's own words for a rewrite. Latin entries are
regular-expression fragments matched on word boundaries; Chinese entries are plain substrings.
All lists are applied whatever the detected language, because real titles mix scripts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# --- helpers --------------------------------------------------------------------------------


def alternation(fragments: Iterable[str]) -> str:
    return "(?:" + "|".join(sorted(fragments, key=len, reverse=True)) + ")"


def latin(fragments: Iterable[str]) -> str:
    """One alternation of Latin fragments, bounded so `post` does not match `post-sale`."""
    return r"(?<![\w-])" + alternation(fragments) + r"(?![\w-])"


def latin_start(fragments: Iterable[str]) -> str:
    """Like `latin`, bounded on the left only (for patterns that continue after it)."""
    return r"(?<![\w-])" + alternation(fragments)


def cjk(words: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


def compile_any(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts if p))


# Spanish verb endings, written without accents (the key form has none).
AR = r"(?:ar|amos|aremos|ara|ado|ada|ados|adas|a|an|e|en|o)"
ER = r"(?:er|emos|eremos|ido|ida|idos|idas|e|en|o)"
IR = r"(?:ir|imos|iremos|ido|ida|idos|idas|e|en|o)"


# --- activities: verbs of doing work (outputs) ----------------------------------------------

# Verbs that, at the start of a key result, announce work to be done. With a plain count after
# them ("publish 4 posts", "hire 3 engineers") the key result counts outputs.
EN_ACTIVITY = [
    r"launch(?:es|ed|ing)?",
    r"ship(?:s|ped|ping)?",
    r"publish(?:es|ed|ing)?",
    r"writ(?:e|es|ing|ten)|wrote",
    r"hold(?:s|ing)?|held",
    r"host(?:s|ed|ing)?",
    r"organi[sz](?:e|es|ed|ing)",
    r"run(?:s|ning)?|ran",
    r"conduct(?:s|ed|ing)?",
    r"attend(?:s|ed|ing)?",
    r"send(?:s|ing)?|sent",
    r"post(?:s|ed|ing)?",
    r"produc(?:e|es|ed|ing)",
    r"record(?:s|ed|ing)?",
    r"film(?:s|ed|ing)?",
    r"mak(?:e|es|ing)|made",
    r"call(?:s|ed|ing)?",
    r"e-?mail(?:s|ed|ing)?",
    r"contact(?:s|ed|ing)?",
    r"visit(?:s|ed|ing)?",
    r"meet(?:s|ing)?|met",
    r"interview(?:s|ed|ing)?",
    r"train(?:s|ed|ing)?",
    r"test(?:s|ed|ing)?",
    r"hir(?:e|es|ed|ing)",
    r"recruit(?:s|ed|ing)?",
    r"migrat(?:e|es|ed|ing)",
    r"implement(?:s|ed|ing)?",
    r"install(?:s|ed|ing)?",
    r"deploy(?:s|ed|ing)?",
    r"releas(?:e|es|ed|ing)",
    r"roll(?:s|ed|ing)? out",
    r"set(?:s|ting)? up",
    r"redesign(?:s|ed|ing)?",
    r"refactor(?:s|ed|ing)?",
    r"rewrit(?:e|es|ing|ten)|rewrote",
    r"rebuil(?:d|ds|ding|t)",
    r"translat(?:e|es|ed|ing)",
    r"document(?:s|ed|ing)?",
    r"present(?:s|ed|ing)?",
    r"giv(?:e|es|ing|en)|gave",
    r"speak(?:s|ing)?|spoke",
    r"sponsor(?:s|ed|ing)?",
    r"spend(?:s|ing)?|spent",
    r"invest(?:s|ed|ing)?",
    r"answer(?:s|ed|ing)?",
    r"do(?:es|ing)?|did",
    r"perform(?:s|ed|ing)?",
    r"prepar(?:e|es|ed|ing)",
    r"draft(?:s|ed|ing)?",
    r"design(?:s|ed|ing)?",
    r"develop(?:s|ed|ing)?",
    r"complet(?:e|es|ed|ing)",
    r"finish(?:es|ed|ing)?",
    r"start(?:s|ed|ing)?",
    r"kick(?:s|ed|ing)? off",
    r"schedul(?:e|es|ed|ing)",
    r"plan(?:s|ned|ning)?",
    r"research(?:es|ed|ing)?",
    r"analy[sz](?:e|es|ed|ing)",
    r"audit(?:s|ed|ing)?",
    r"review(?:s|ed|ing)?",
    r"updat(?:e|es|ed|ing)",
    r"upgrad(?:e|es|ed|ing)",
    r"automat(?:e|es|ed|ing)",
    r"integrat(?:e|es|ed|ing)",
    r"introduc(?:e|es|ed|ing)",
    r"open(?:s|ed|ing)?",
    r"execut(?:e|es|ed|ing)",
    r"reach(?:es|ed|ing)? out(?: to)?",
    r"follow(?:s|ed|ing)? up(?: with| on)?",
    r"submit(?:s|ted|ting)?",
    r"file(?:s|d)?",
    r"demo(?:s|ed|ing)?",
    r"pitch(?:es|ed|ing)?",
    r"replac(?:e|es|ed|ing)",
    r"switch(?:es|ed|ing)?",
    r"mov(?:e|es|ed|ing)",
    r"refresh(?:es|ed|ing)?",
    r"clean(?:s|ed|ing)? up",
    r"fix(?:es|ed|ing)?",
    r"defin(?:e|es|ed|ing)",
    r"establish(?:es|ed|ing)?",
    r"finali[sz](?:e|es|ed|ing)",
    r"configur(?:e|es|ed|ing)",
    r"revamp(?:s|ed|ing)?",
    r"buil(?:d|ds|ding|t)",
    r"creat(?:e|es|ed|ing)",
    r"deliver(?:s|ed|ing)?",
    r"add(?:s|ed|ing)?",
    r"put in place",
    r"roll(?:s|ed|ing)? out",
    r"work(?:s|ed|ing)? on",
]

# Verbs that are only work when what follows is a deliverable ("build 5 dashboards" but
# "build a $2M pipeline"; "deliver 3 features" but "deliver 98 % of orders on time").
EN_WEAK_ACTIVITY = {"build", "builds", "building", "built", "create", "creates", "created",
                    "creating", "deliver", "delivers", "delivered", "delivering", "add", "adds",
                    "added", "adding", "make", "makes", "making", "made"}  # fmt: skip

ES_ACTIVITY = [
    rf"lanz{AR}",
    r"lance(?:mos|n)?",
    rf"implement{AR}",
    rf"implant{AR}",
    rf"public{AR}",
    rf"organiz{AR}",
    r"organice(?:mos|n)?",
    rf"realiz{AR}",
    rf"migr{AR}",
    r"desplegar|despliegue|desplegado|desplegada",
    rf"complet{AR}",
    rf"termin{AR}",
    rf"finaliz{AR}",
    rf"contrat{AR}",
    rf"instal{AR}",
    rf"integr{AR}",
    rf"redisen{AR}",
    rf"entreg{AR}",
    rf"celebr{AR}",
    rf"actualiz{AR}",
    rf"document{AR}",
    r"escribir|escribimos|escrito|escrita|escritos|escritas",
    rf"redact{AR}",
    r"enviar|enviamos|enviado|enviada|enviados|enviadas|envia|envian",
    r"producir|producimos|producido|producida",
    rf"grab{AR}",
    rf"prepar{AR}",
    rf"impart{IR}",
    r"dar|damos|dado|dadas",
    rf"asist{IR}",
    rf"mont{AR}",
    r"poner en marcha|puesto en marcha|puesta en marcha|pongamos en marcha",
    rf"configur{AR}",
    rf"entrevist{AR}",
    r"llamar|llamamos|llamado",
    rf"visit{AR}",
    rf"ejecut{AR}",
    rf"automatiz{AR}",
    rf"form{AR}",
    rf"capacit{AR}",
    rf"contact{AR}",
    rf"inici{AR}",
    r"empezar|empezamos|empezado",
    r"hacer|hacemos|hecho|hecha|hechos|hechas|haremos",
    rf"disen{AR}",
    rf"desarroll{AR}",
    r"construir|construimos|construido|construida",
    rf"cre{AR}",
    rf"anad{IR}",
    rf"gast{AR}",
    rf"invert{IR}",
    rf"prob{AR}",
    rf"revis{AR}",
    rf"audit{AR}",
    r"abrir|abrimos|abierto|abierta",
    r"sustituir|sustituimos|sustituido",
    rf"reemplaz{AR}",
    r"traducir|traducimos|traducido",
    rf"present{AR}",
    rf"patrocin{AR}",
    rf"contest{AR}",
    rf"respond{ER}",
    rf"program{AR}",
    rf"planific{AR}",
    rf"investig{AR}",
    rf"analiz{AR}",
    rf"defin{IR}",
    r"establecer|establecemos|establecido|establecida",
    rf"arregl{AR}",
    r"corregir|corregimos|corregido",
    r"introducir|introducimos|introducido",
    rf"elabor{AR}",
    rf"impuls{AR} el lanzamiento",
    r"llevar a cabo|llevaremos a cabo",
    rf"renov{AR}",
    rf"reorganiz{AR}",
]
ES_WEAK_ACTIVITY = {"crear", "creamos", "creado", "creada", "construir", "construimos",
                    "construido", "construida", "entregar", "entregamos", "entregado",
                    "entregada", "anadir", "anadimos", "hacer", "hacemos"}  # fmt: skip

ZH_ACTIVITY = [
    "上线", "完成", "发布", "推出", "组织", "撰写", "编写", "举办", "举行", "召开", "开展",
    "制作", "开发", "设计", "实施", "部署", "迁移", "搭建", "制定", "启动", "执行", "进行",
    "拜访", "培训", "输出", "交付", "开通", "引入", "上架", "改版", "重构", "参加", "访谈",
    "打电话", "发送", "投放", "策划", "拍摄", "录制", "整理", "梳理", "调研", "招聘", "建立",
    "打造", "构建", "建设", "更新", "升级", "落地", "对接", "接入", "翻译", "产出", "写",
    "做", "开设", "安装", "配置", "编制", "起草", "评审", "审核", "外呼", "走访", "举报",
    "录入", "投入",
]  # fmt: skip
ZH_WEAK_ACTIVITY = {"建立", "打造", "构建", "建设", "做", "投入"}

# Verbs that put resources in: with an amount after them ("spend $40k on ads") the key result
# measures an input, which is even further from an outcome than an output.
EN_INPUT_VERBS = [r"spend(?:s|ing)?|spent", r"invest(?:s|ed|ing)?", r"allocat(?:e|es|ed|ing)",
                  r"budget(?:s|ed)?"]  # fmt: skip
ES_INPUT_VERBS = [rf"gast{AR}", rf"invert{IR}", r"invirtamos|invierta", rf"destin{AR}",
                  rf"asign{AR}"]  # fmt: skip
ZH_INPUT_VERBS = ["投放", "投入", "花费", "花", "拨款", "预算"]

# Verbs that name an outcome even when a deliverable follows ("book 40 qualified meetings").
EN_OUTCOME_VERBS = [
    r"book(?:s|ed|ing)?", r"get(?:s|ting)?|got", r"secur(?:e|es|ed|ing)",
    r"win(?:s|ning)?|won", r"earn(?:s|ed|ing)?", r"generat(?:e|es|ed|ing)",
    r"attract(?:s|ed|ing)?", r"receiv(?:e|es|ed|ing)", r"gain(?:s|ed|ing)?",
    r"land(?:s|ed)?", r"reach(?:es|ed|ing)?(?! out)", r"hit(?:s|ting)?",
    r"achiev(?:e|es|ed|ing)", r"sign(?:s|ed|ing)?(?! off)", r"clos(?:e|es|ed|ing)",
    r"convert(?:s|ed|ing)?", r"retain(?:s|ed|ing)?", r"sell(?:s|ing)?|sold",
    r"acquir(?:e|es|ed|ing)", r"collect(?:s|ed|ing)?", r"source(?:s|d)?",
]  # fmt: skip
ES_OUTCOME_VERBS = [
    rf"consegu{IR}", r"consigamos|consiga|consigan", rf"logr{AR}", rf"gener{AR}",
    rf"gan{AR}", r"atraer|atraemos", r"recibir|recibimos", r"obtener|obtenemos",
    rf"agend{AR}", rf"cerr{AR}", r"cierre|cierren", rf"capt{AR}", rf"alcanz{AR}",
    rf"fideliz{AR}", rf"vend{ER}", rf"firm{AR}", rf"convert{IR}", r"retener",
]  # fmt: skip
ZH_OUTCOME_VERBS = ["获得", "获取", "赢得", "拿到", "签下", "新签", "签约", "达成", "带来",
                    "产生", "吸引", "收到", "实现", "成交", "转化", "留住", "达到", "售出", "卖出",
                    "销售", "挽回", "赢回"]  # fmt: skip

# Things produced by work: when a number counts them, the key result counts outputs.
EN_DELIVERABLES = [
    r"(?:blog )?posts?", r"articles?", r"videos?", r"webinars?", r"workshops?",
    r"(?:user |customer )?interviews?", r"campaigns?", r"features?", r"releases?",
    r"newsletters?", r"e-?mails?", r"(?:cold |sales )?calls?", r"meetings?", r"events?",
    r"meetups?", r"trainings?", r"(?:training )?sessions?", r"courses?", r"classes?",
    r"lessons?", r"(?:a/b )?tests?", r"experiments?", r"(?:landing )?pages?", r"reports?",
    r"documents?", r"docs", r"guides?", r"tutorials?", r"case stud(?:y|ies)",
    r"white ?papers?", r"e-?books?", r"podcasts?", r"episodes?", r"ads", r"adverts?",
    r"tasks?", r"user stories", r"sprints?", r"pull requests?", r"prs", r"demos?",
    r"presentations?", r"talks?", r"conferences?", r"trade ?shows?", r"fairs?",
    r"surveys?", r"audits?", r"prototypes?", r"mock-?ups?", r"wireframes?", r"screens?",
    r"components?", r"integrations?", r"dashboards?", r"playbooks?", r"templates?",
    r"pieces(?: of content)?", r"modules?", r"visits?", r"messages?", r"touchpoints?",
    r"one-on-ones?", r"workflows?", r"scripts?", r"slides?", r"decks?", r"infographics?",
    r"tweets?", r"reels?", r"patents?", r"pilots?", r"proofs? of concept", r"pocs?",
    r"roadmaps?", r"hackathons?", r"outreach(?:es)?", r"linkedin posts?", r"press releases?",
    r"job posts?", r"courses?", r"trainings?", r"bug fixes", r"tickets closed",
]  # fmt: skip
ES_DELIVERABLES = [
    r"publicaciones", r"publicacion", r"articulos?", r"entradas?", r"posts?", r"videos?",
    r"seminarios?(?: web)?", r"webinars?", r"talleres", r"taller", r"entrevistas?",
    r"campanas?", r"funcionalidades", r"funcionalidad", r"funciones", r"lanzamientos?",
    r"correos?", r"e-?mails?", r"boletines", r"boletin", r"newsletters?", r"llamadas?",
    r"reuniones", r"reunion", r"eventos?", r"formaciones", r"formacion", r"cursos?",
    r"sesiones", r"sesion", r"clases?", r"pruebas?", r"tests?", r"experimentos?",
    r"paginas?", r"informes?", r"documentos?", r"guias?", r"tutoriales", r"tutorial",
    r"casos? de exito", r"libros? blancos?", r"e-?books?", r"podcasts?", r"episodios?",
    r"anuncios?", r"tareas?", r"historias?", r"demos?", r"presentaciones",
    r"presentacion", r"charlas?", r"conferencias?", r"ferias?", r"encuestas?",
    r"auditorias?", r"prototipos?", r"pantallas?", r"disenos?", r"componentes?",
    r"integraciones", r"integracion", r"paneles", r"panel", r"dashboards?", r"plantillas?",
    r"piezas?(?: de contenido)?", r"visitas?", r"mensajes?", r"contenidos?", r"pilotos?",
    r"notas de prensa", r"hackatones", r"hackathons?",
]  # fmt: skip
# Chinese counts: a number followed by one of these measure words counts produced things.
ZH_DELIVERABLE_MEASURES = ["篇", "场", "期", "封", "通", "集", "节课", "轮", "份", "套", "款", "支",
                           "条视频", "条内容", "条推文", "个功能", "个新功能", "个活动", "个视频",
                           "个页面", "个需求", "个版本", "个模板", "个看板", "个报表", "个案例",
                           "个课程", "个接口", "个组件", "个项目", "个专题", "项改进", "项功能",
                           "次访谈", "次拜访", "次培训", "次分享", "次活动", "次直播", "次会议",
                           "次用户访谈", "次客户访谈", "次演讲", "次实验", "次测试", "次发布",
                           "次路演", "次推广", "个电话", "通电话",
                           "次电话", "次拜访客户"]  # fmt: skip
ZH_DELIVERABLE_NOUNS = ["文章", "博客", "视频", "活动", "直播", "研讨会", "培训", "访谈", "功能",
                        "邮件", "电话", "会议", "案例", "白皮书", "课程", "帖子", "推文", "广告",
                        "页面", "报告", "文档", "需求", "沙龙", "讲座", "演讲", "实验",
                        "集成", "插件", "模板", "接口", "组件", "看板", "报表", "开发信",
                        "播客", "展会"]  # fmt: skip

# Qualifiers that turn a counted thing into an outcome ("qualified meetings booked").
EN_OUTCOME_QUALIFIERS = [
    r"booked", r"qualified", r"won", r"inbound", r"requested", r"attended", r"attendance",
    r"attendees", r"registrations?", r"sign-?ups", r"signed", r"accepted", r"paid",
    r"renewed", r"converted", r"sourced",
]  # fmt: skip
ES_OUTCOME_QUALIFIERS = [
    r"cualificad[oa]s?", r"agendad[oa]s?", r"concertad[oa]s?", r"ganad[oa]s?",
    r"solicitad[oa]s?", r"asistentes", r"inscrit[oa]s?", r"aceptad[oa]s?", r"pagad[oa]s?",
    r"firmad[oa]s?", r"renovad[oa]s?",
]  # fmt: skip
ZH_OUTCOME_QUALIFIERS = ["有效", "合格", "预约", "签约", "成交", "意向", "付费", "报名", "到场"]


# Work packages: "finish 80 % of the migration" measures how much of the work is done.
TASK_NOUNS_EN = [
    r"migration", r"project", r"projects", r"roadmap", r"backlog", r"plan", r"rollout",
    r"implementation", r"tasks?", r"items?", r"epics?", r"stories", r"milestones?",
    r"deliverables?", r"initiatives?", r"checklist", r"work", r"to-?dos?", r"action items",
]  # fmt: skip
TASK_NOUNS_ES = [
    r"migracion", r"proyectos?", r"hoja de ruta", r"backlog", r"plan", r"despliegue",
    r"implantacion", r"implementacion", r"tareas?", r"entregables?", r"hitos?", r"iniciativas?",
    r"trabajo", r"pendientes",
]  # fmt: skip
TASK_NOUNS_ZH = ["迁移", "项目", "路线图", "任务", "计划", "里程碑", "待办", "交付物", "工作量"]

# --- done / not done ------------------------------------------------------------------------

EN_MILESTONE = [
    r"done", r"completed?", r"completion of", r"finish(?:ed)?", r"go(?:es)? live", r"went live",
    r"gone live", r"(?:is|are|be|goes|go) live", r"live (?:by|in production|before|on)",
    r"launched", r"shipped", r"released", r"delivered", r"in production", r"signed[- ]off",
    r"sign-?off", r"approved", r"certified", r"certification", r"certificate", r"ready",
    r"rolled out", r"deployed", r"implemented", r"migrated", r"in place", r"up and running",
    r"kicked off", r"accomplished", r"finali[sz]ed", r"passed", r"obtained",
]  # fmt: skip
ES_MILESTONE = [
    r"hecho", r"hecha", r"terminad[oa]s?", r"completad[oa]s?", r"finalizad[oa]s?",
    r"en produccion", r"en marcha", r"puest[oa] en marcha", r"lanzad[oa]s?", r"list[oa]s?",
    r"aprobad[oa]s?", r"certificacion", r"certificad[oa]s?", r"entregad[oa]s?",
    r"implantad[oa]s?", r"operativ[oa]s?", r"desplegad[oa]s?", r"migrad[oa]s?",
    r"funcionando", r"superad[oa]s?", r"obtener la certificacion",
]  # fmt: skip
ZH_MILESTONE = ["完成", "上线", "交付", "落地", "投产", "验收", "通过", "认证", "就绪", "到位",
                "启用", "投入使用", "正式运行", "搞定", "发布"]  # fmt: skip


# --- direction: better / worse / hold ---------------------------------------------------------

EN_UP = [
    r"increas(?:e|es|ed|ing)", r"improv(?:e|es|ed|ing)", r"grow(?:s|n|ing)?|grew",
    r"boost(?:s|ed|ing)?", r"rais(?:e|es|ed|ing)", r"enhanc(?:e|es|ed|ing)",
    r"lift(?:s|ed|ing)?", r"expand(?:s|ed|ing)?", r"maximi[sz](?:e|es|ed|ing)",
    r"accelerat(?:e|es|ed|ing)", r"strengthen(?:s|ed|ing)?", r"optimi[sz](?:e|es|ed|ing)",
    r"more", r"better", r"higher", r"faster", r"bigger", r"greater", r"stronger", r"step up",
    r"scale(?:s|d)? up", r"drive(?:s)? up", r"push(?:es)? up", r"double(?:s|d)? down on",
    r"elevat(?:e|es|ed|ing)", r"amplif(?:y|ies|ied)", r"extend(?:s|ed|ing)?", r"widen",
    r"deepen", r"bring up", r"move up", r"climb", r"uplift",
]  # fmt: skip
EN_DOWN = [
    r"reduc(?:e|es|ed|ing)", r"decreas(?:e|es|ed|ing)", r"lower(?:s|ed|ing)?",
    r"cut(?:s|ting)?", r"minimi[sz](?:e|es|ed|ing)", r"shrink(?:s|ing)?|shrank",
    r"shorten(?:s|ed|ing)?", r"eliminat(?:e|es|ed|ing)", r"slash(?:es|ed|ing)?", r"less",
    r"fewer", r"smaller", r"drop(?:s|ped|ping)?", r"trim(?:s|med)?", r"bring down",
    r"brings down", r"get rid of", r"speed up", r"lessen", r"decline", r"compress",
]  # fmt: skip
EN_KEEP = [
    r"keep(?:s|ing)?|kept", r"maintain(?:s|ed|ing)?", r"sustain(?:s|ed|ing)?",
    r"hold(?:s|ing)?(?: steady)?", r"stay(?:s|ed|ing)?", r"remain(?:s|ed|ing)?",
    r"preserve", r"protect", r"ensure", r"make sure", r"guarantee",
]  # fmt: skip
ES_UP = [
    rf"aument{AR}", rf"increment{AR}", r"mejor(?:ar|amos|aremos|ado|ada|a|an|e|en|o|es)?",
    r"crecer|crecemos|crezca|crezcan|crece|crecen", r"subir|subamos|suba|suban",
    rf"elev{AR}", rf"impuls{AR}", rf"potenci{AR}", rf"ampli{AR}", rf"maximiz{AR}",
    rf"aceler{AR}", r"fortalecer|fortalezca", rf"optimiz{AR}", r"mas", r"mayor(?:es)?",
    r"hacer crecer", rf"dispar{AR}", rf"multiplic{AR}", rf"expand{IR}",
]  # fmt: skip
ES_DOWN = [
    r"reducir|reducimos|reduzca|reduzcan|reducido|reducida|reduce|reducen", r"disminu\w+",
    rf"baj{AR}", rf"recort{AR}", rf"minimiz{AR}", rf"acort{AR}", rf"elimin{AR}", r"menos",
    r"menor(?:es)?", rf"rebaj{AR}", rf"abarat{AR}", rf"agiliz{AR}",
]  # fmt: skip
ES_KEEP = [rf"manten{ER}|mantener|mantengamos|mantenga|mantenido|mantenida", rf"conserv{AR}",
           r"sostener|sostengamos", rf"asegur{AR}", rf"garantiz{AR}", r"seguir",
           r"permanecer"]  # fmt: skip
ZH_UP = ["提高", "提升", "增加", "增长", "扩大", "加快", "加速", "改善", "改进", "优化", "强化",
         "增强", "拉升", "提速", "更多", "更好", "更快", "更高", "更强", "完善", "做大", "拓展",
         "扩展", "推动", "促进"]  # fmt: skip
ZH_DOWN = ["降低", "减少", "缩短", "下降", "降到", "降至", "压缩", "削减", "减半", "更少", "更低",
           "消除", "降", "减"]  # fmt: skip
ZH_KEEP = ["保持", "维持", "稳定在", "守住", "控制在", "确保", "保证", "保障"]


# --- thresholds, ranges and counts ------------------------------------------------------------

EN_COMPARATORS = [
    r"below", r"under", r"above", r"over", r"at least", r"at most", r"less than", r"more than",
    r"fewer than", r"no more than", r"no less than", r"within", r"max(?:imum)?",
    r"min(?:imum)?", r"or less", r"or more", r"or better", r"or higher", r"or lower",
    r"up to", r"out of", r"greater than", r"higher than", r"lower than", r"beneath",
    r"not exceed(?:ing)?", r"exceed(?:s|ing)?", r"as low as", r"as high as",
    r"at or (?:above|below)",
]  # fmt: skip
ES_COMPARATORS = [
    r"por debajo del?", r"por encima del?", r"menos de", r"mas de", r"al menos", r"como maximo",
    r"como minimo", r"como mucho", r"en menos de", r"dentro de", r"inferior(?:es)? al?",
    r"superior(?:es)? al?", r"no mas de", r"o mas", r"o menos", r"bajo el", r"sobre el",
    r"no superior", r"no inferior", r"minimo", r"maximo",
]  # fmt: skip
ZH_COMPARATORS = ["以上", "以下", "以内", "之内", "不低于", "不高于", "不超过", "不少于", "低于",
                  "高于", "超过", "少于", "至少", "最多", "控制在", "保持在", "达到",
                  "内"]  # fmt: skip
SYMBOL_COMPARATORS = r"(?:[<>≤≥≦≧]=?|=<|>=)"

FREQUENCIES_EN = (
    r"(?:hourly|daily|weekly|fortnightly|monthly|quarterly|yearly|annually|"
    r"on (?:every|each) (?:commit|merge|push|change)|continuous(?:ly)?|on demand|"
    r"(?:once|twice) (?:a|per) (?:day|week|month|quarter|year)|every (?:day|week|month|quarter))"
)
FREQUENCIES_ES = (
    r"(?:diari[oa]s?|semanal(?:es)?|mensual(?:es)?|trimestral(?:es)?|anual(?:es)?|"
    r"continu[oa]s?|cada (?:dia|semana|mes|trimestre)|bajo demanda|"
    r"(?:una|dos) veces (?:al|por) (?:dia|semana|mes))"
)
FREQUENCIES_ZH = r"(?:每天|每日|每周|每月|每季度|每年|每小时|按需|持续)"

# Number words. "one"/"uno" are left out on purpose: they are articles far more often.
EN_NUMBER_WORDS = [
    r"zero", r"two", r"three", r"four", r"five", r"six", r"seven", r"eight", r"nine", r"ten",
    r"eleven", r"twelve", r"fifteen", r"twenty", r"thirty", r"forty", r"fifty", r"sixty",
    r"seventy", r"eighty", r"ninety", r"hundred", r"thousand", r"million", r"billion",
    r"dozen", r"double", r"doubles", r"doubled", r"doubling", r"triple", r"tripled",
    r"quadruple", r"halve", r"halved", r"halving", r"in half", r"by half", r"twice",
    r"percent", r"per cent", r"single[- ]digits?", r"tenfold", r"twofold", r"threefold",
    r"no more than one", r"none", r"a third", r"two thirds", r"a quarter",
]  # fmt: skip
ES_NUMBER_WORDS = [
    r"cero", r"dos", r"tres", r"cuatro", r"cinco", r"seis", r"siete", r"ocho", r"nueve",
    r"diez", r"doce", r"quince", r"veinte", r"treinta", r"cuarenta", r"cincuenta", r"sesenta",
    r"setenta", r"ochenta", r"noventa", r"cien", r"ciento", r"cientos", r"mil", r"millon",
    r"millones", r"doble", r"duplicar", r"duplicamos", r"duplique", r"dupliquen",
    r"triplicar", r"triplique", r"la mitad", r"a la mitad", r"por ciento", r"un tercio",
    r"ninguna?", r"un cuarto",
]  # fmt: skip
ZH_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"
ZH_NUMBER_WORDS = ["翻倍", "翻一番", "翻两番", "翻番", "减半", "倍增", "清零", "归零", "零"]
ZH_MEASURES = (
    "倍|个百分点|个|名|位|次|天|周|个月|月|年|小时|分钟|秒|毫秒|元|块|万|亿|家|篇|场|款|项|成|人|"
    "条|份|单|笔|级|星|分|期|节|轮|套|户|台|座|所|门|例|张|本|页|部|首|支|批|公里|件|封|通|集|"
    "倍|折|千|百"
)
# Words written with numeral characters that are not numbers ("一起" together, "十分" very).
ZH_NOT_NUMBERS = [
    "一起", "一致", "统一", "唯一", "一些", "一下", "一直", "一定", "进一步", "一流", "一体",
    "一站式", "万一", "十分", "千万", "一切", "一般", "一样", "一次性", "同一", "一线", "一旦",
    "一方面", "之一", "一键", "一目了然", "一对一", "第三方", "三方", "四处", "一手", "一口气",
    "一路", "一步", "一起", "一体化", "一把手", "第一时间", "一站", "一流的", "一如既往",
    "一个", "一名", "一位", "一款", "一套", "一次", "一场", "一份", "一项", "一批", "一家",
    "一条", "一支", "一种", "一篇", "一期", "一轮", "一本", "一部", "万无一失", "十全十美",
    "三季度", "四季度", "二季度", "一季度", "上半年", "下半年", "两会", "二维码", "四大",
    "一览", "一系列", "一环", "一系", "一定要", "三思", "七嘴八舌",
]  # fmt: skip

# Aspirational rank words that are fine in an objective ("become the #1 choice").
RANK_ONE = (
    r"(?:#\s?1|no\.\s?1|n[ºo°]\s?1|number one|numero uno|the first choice|first choice|第一|"
    r"头号|首选)"
)


# --- context words ---------------------------------------------------------------------------

# Words marking a number as a date, version or label rather than a measure.
EN_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
ES_MONTHS = (
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
    r"noviembre|diciembre"
)
STANDARDS = (
    r"(?:soc|iso|pci(?:[- ]dss)?|hipaa|gdpr|wcag|iec|nist|tls|ssl|http|ipv|oauth|wcag|level|"
    r"tier|type|phase|fase|stage|etapa|version|versión|version|release|sprint|week|semana|"
    r"day|dia|q|h|fy|ios|android|windows|python|django|java|node|php|postgres(?:ql)?|mysql|"
    r"web|industry|industria|step|paso|round|ronda|series|serie|gen|generation|cohort|"
    r"wave|ola|batch|lote|chapter|capitulo|article|articulo|section|seccion|line|linea|"
    r"room|sala|floor|planta|building|edificio|office|oficina|team|equipo|squad|pod)"
)

# Business results (sales, money, customers) versus personal growth, for personal OKRs.
BUSINESS_EN = [
    r"revenue", r"sales", r"arr", r"mrr", r"pipeline", r"deals?", r"customers?", r"clients?",
    r"churn", r"sign-?ups", r"conversion", r"market share", r"nps", r"quota", r"bookings",
    r"profit", r"margin", r"leads?", r"accounts?", r"users?", r"retention", r"upsell",
    r"cost(?:s)?", r"budget", r"ebitda", r"orders?", r"subscriptions?", r"traffic",
]  # fmt: skip
BUSINESS_ES = [
    r"ingresos", r"ventas", r"facturacion", r"pipeline", r"contratos?", r"clientes?",
    r"cuentas", r"conversion", r"cuota de mercado", r"beneficios?", r"margen", r"leads?",
    r"usuarios", r"retencion", r"costes?", r"costos?", r"presupuesto", r"pedidos",
    r"suscripciones", r"trafico", r"abandono", r"churn",
]  # fmt: skip
BUSINESS_ZH = ["收入", "营收", "销售", "销售额", "客户", "签约", "转化", "市场份额", "利润", "毛利",
               "线索", "用户数", "留存", "流失", "成本", "预算", "订单", "业绩", "回款", "合同",
               "GMV", "gmv", "流量"]  # fmt: skip
GROWTH_EN = [
    r"learn(?:s|ed|ing)?", r"skills?", r"grow as", r"growth as", r"my", r"myself",
    r"certifi(?:ed|cation)", r"course", r"mentor(?:ing|ship)?", r"coach(?:ing)?",
    r"public speaking", r"speaker", r"leadership", r"become a (?:better|more)", r"master",
    r"practi[cs]e", r"confident", r"confidence", r"fluent", r"fluency", r"career", r"develop my",
    r"personal", r"habits?", r"read(?:ing)?", r"study", r"feedback", r"well-?being",
    r"health(?:ier)?", r"balance", r"expertise", r"craft", r"manager", r"writer",
]  # fmt: skip
GROWTH_ES = [
    r"aprend\w*", r"habilidad(?:es)?", r"competencias?", r"crecer como", r"crecimiento personal",
    r"certificacion", r"curso", r"mentor\w*", r"coaching", r"hablar en publico", r"liderazgo",
    r"dominar", r"practic\w*", r"confianza", r"fluidez", r"carrera", r"mis", r"mi", r"personal",
    r"habitos?", r"leer", r"lectura", r"estudi\w*", r"bienestar", r"equilibrio",
    r"conocimientos?", r"formarme", r"mejorar como", r"desarrollo profesional",
]  # fmt: skip
GROWTH_ZH = ["学习", "技能", "成长", "个人", "掌握", "认证", "课程", "导师", "演讲", "领导力",
             "练习", "自信", "英语", "读书", "阅读", "我的", "职业", "习惯", "能力", "提升自己",
             "身心", "平衡", "专业"]  # fmt: skip

# Aspiration in an objective: these make "Build …"/"打造…" a direction, not a task.
ASPIRATION_EN = [
    r"world-?class", r"best", r"loved?", r"love", r"delight\w*", r"effortless\w*",
    r"seamless\w*", r"amazing", r"go-?to", r"industry-?leading", r"leading", r"great",
    r"exceptional", r"outstanding", r"remarkable", r"trust(?:ed|worthy)?", r"proud",
    r"scal(?:e|es|able|ing)", r"faster", r"better", r"easier", r"easiest", r"simpler",
    r"smoother", r"reliabl[ey]", r"rock-?solid", r"confiden(?:ce|t|tly)", r"happ(?:y|ier)",
    r"thrive", r"first choice", r"default choice", r"obvious choice", r"raving", r"rave",
    r"wow", r"magic(?:al)?", r"joy(?:ful)?", r"fearless(?:ly)?", r"without breaking",
    r"that (?:lasts|sells|scales|customers|people|teams|users|works)", r"customers? love",
    r"people love", r"can't live without", r"indispensable", r"unbeatable", r"unmatched",
    r"famous", r"known for", r"envy", r"benchmark", r"standard for",
]  # fmt: skip
ASPIRATION_ES = [
    r"de clase mundial", r"referente", r"mejor(?:es)?", r"encant\w*", r"enamor\w*",
    r"sin friccion", r"sin esfuerzo", r"excepcional\w*", r"lider(?:es)?", r"imprescindible",
    r"confianza", r"de primera", r"mas rapid[oa]s?", r"a escala", r"que escale\w*",
    r"escalable", r"memorable", r"orgull\w*", r"favorit[oa]s?", r"fiable", r"sin sustos",
    r"facil(?:es)?", r"felices", r"que (?:amen|adoren|recomienden)", r"sencill\w*",
    r"sin errores", r"con confianza",
]  # fmt: skip
ASPIRATION_ZH = ["领先", "一流", "卓越", "极致", "喜爱", "信赖", "离不开", "最佳", "首选", "爱上",
                 "高效", "顺畅", "无缝", "惊艳", "标杆", "体验", "更快", "更好", "更稳", "更强",
                 "让", "自豪", "放心", "省心", "满意", "可靠", "口碑", "行业", "专业"]  # fmt: skip

# Objects that make "build/create/design …" a deliverable in an objective.
ARTIFACTS_EN = [
    r"app", r"apps", r"mobile app", r"website", r"site", r"web ?site", r"page", r"pages",
    r"feature", r"features", r"version", r"v\d+", r"document", r"documentation", r"manual",
    r"handbook", r"report", r"dashboard", r"tool", r"crm", r"erp", r"api", r"database",
    r"wiki", r"portal", r"newsletter", r"blog", r"plan", r"policy", r"process", r"playbook",
    r"template", r"integration", r"prototype", r"mvp", r"release", r"system", r"platform",
    r"module", r"pipeline", r"campaign", r"event", r"conference", r"webinar", r"course",
    r"training", r"program(?:me)?", r"office", r"landing page", r"checkout", r"chatbot",
    r"catalog(?:ue)?", r"roadmap", r"budget", r"contract", r"audit", r"migration", r"flow",
    r"funnel", r"form", r"wizard", r"screen", r"bot", r"service", r"library", r"sdk", r"plugin",
    r"the new", r"a new", r"our new",
]  # fmt: skip
ARTIFACTS_ES = [
    r"app", r"aplicacion", r"web", r"pagina", r"sitio", r"portal", r"funcion",
    r"funcionalidad", r"version", r"documento", r"documentacion", r"manual", r"informe",
    r"herramienta", r"crm", r"erp", r"api", r"base de datos", r"plataforma", r"sistema",
    r"panel", r"dashboard", r"proceso", r"plan", r"politica", r"plantilla", r"integracion",
    r"prototipo", r"mvp", r"modulo", r"campana", r"evento", r"curso", r"programa", r"oficina",
    r"tienda", r"catalogo", r"presupuesto", r"contrato", r"auditoria", r"migracion", r"flujo",
    r"formulario", r"pantalla", r"servicio", r"el nuevo", r"la nueva", r"un nuevo", r"una nueva",
    r"nuestro nuevo", r"nuestra nueva",
]  # fmt: skip
ARTIFACTS_ZH = ["系统", "平台", "app", "App", "APP", "应用", "网站", "官网", "页面", "功能",
                "版本", "文档", "手册", "报告", "制度", "方案", "工具", "后台", "数据库",
                "小程序", "模块", "流程", "白皮书", "活动", "大会", "课程", "CRM", "ERP",
                "crm", "erp", "迁移", "审计", "认证"]  # fmt: skip

# Objectives that only keep the lights on (METHOD §10: that is a KPI, not an OKR).
BAU_EN = [
    r"keep the lights on", r"business as usual", r"keep \w+ing", r"continue (?:to|with|\w+ing)",
    r"carry on", r"same as (?:last|before)", r"maintain (?:the )?(?:current|existing|status quo)",
    r"day-?to-?day", r"routine", r"ongoing", r"as usual", r"bau",
]  # fmt: skip
BAU_ES = [
    r"seguir (?:\w+ndo|con|igual)", r"continuar (?:con|\w+ndo)", r"lo mismo que",
    r"como siempre", r"mantener (?:lo|el) actual", r"dia a dia", r"rutina", r"del dia a dia",
    r"lo de siempre",
]  # fmt: skip
BAU_ZH = ["日常", "维持现状", "继续做好", "继续", "照常", "常规", "例行"]

# Words that say nothing on their own in an objective title.
GENERIC_EN = {
    "goals",
    "goal",
    "objectives",
    "objective",
    "okr",
    "okrs",
    "stuff",
    "things",
    "various",
    "misc",
    "miscellaneous",
    "general",
    "team",
    "quarter",
    "q1",
    "q2",
    "q3",
    "q4",
    "h1",
    "h2",
    "our",
    "the",
    "a",
    "an",
    "be",
    "do",
    "work",
    "tbd",
    "todo",
    "plan",
    "priorities",
    "priority",
    "this",
    "for",
    "of",
    "and",
    "to",
    "in",
    "on",
    "with",
    "it",
    "awesome",
    "good",
    "great",
    "better",
    "best",
    "more",
    "improve",
    "improvements",
    "grow",
    "growth",
    "sales",
    "marketing",
    "engineering",
    "product",
    "support",
    "finance",
    "hr",
    "ops",
    "operations",
    "data",
    "design",
    "everything",
    "all",
    "well",
    "hard",
    "harder",
    "smarter",
    "success",
    "successful",
    "new",
    "year",
    "annual",
    "yearly",
    "company",
    "department",
    "my",
    "we",
    "us",
    "is",
    "are",
}
GENERIC_ES = {
    "objetivos",
    "objetivo",
    "okr",
    "okrs",
    "metas",
    "meta",
    "cosas",
    "varios",
    "general",
    "equipo",
    "trimestre",
    "trimestral",
    "primer",
    "segundo",
    "tercer",
    "cuarto",
    "del",
    "de",
    "la",
    "el",
    "los",
    "las",
    "un",
    "una",
    "ser",
    "hacer",
    "trabajo",
    "plan",
    "prioridades",
    "este",
    "esta",
    "para",
    "y",
    "en",
    "con",
    "mejor",
    "mejorar",
    "crecer",
    "crecimiento",
    "ventas",
    "marketing",
    "producto",
    "soporte",
    "finanzas",
    "rrhh",
    "operaciones",
    "datos",
    "diseno",
    "todo",
    "bien",
    "exito",
    "nuevo",
    "ano",
    "anual",
    "empresa",
    "nuestro",
    "nuestra",
    "nuestros",
    "nuestras",
    "mas",
    "al",
    "lo",
}
GENERIC_ZH = ["目标", "季度", "年度", "工作", "其他", "事项", "计划", "重点", "团队", "部门",
              "公司", "本季度", "第三", "第二", "第一", "第四", "okr", "OKR", "销售", "市场",
              "产品",
              "技术", "运营", "财务", "人事", "增长", "提升", "优化", "做好", "更好",
              "加油",
              "努力", "的", "和", "与", "及"]  # fmt: skip

# Stop words for similarity and for the language guess.
STOP_EN = {
    "the",
    "of",
    "and",
    "to",
    "for",
    "with",
    "from",
    "in",
    "on",
    "by",
    "our",
    "an",
    "per",
    "at",
    "is",
    "be",
    "all",
    "each",
    "every",
    "this",
    "that",
    "its",
    "their",
    "we",
    "it",
    "as",
    "into",
    "than",
    "or",
    "are",
    "will",
    "new",
    "who",
    "which",
}
STOP_ES = {
    "de",
    "la",
    "el",
    "los",
    "las",
    "del",
    "y",
    "en",
    "para",
    "con",
    "por",
    "un",
    "una",
    "que",
    "al",
    "se",
    "su",
    "sus",
    "nuestro",
    "nuestra",
    "nuestros",
    "nuestras",
    "es",
    "como",
    "entre",
    "desde",
    "hasta",
    "sin",
    "cada",
    "lo",
    "le",
    "o",
    "nos",
    "mas",
}
STOP_ZH = set("的了和与及将把在从到至为是")
