"""The catalogue: every example, the functions they belong to, and reading them in the active
language."""

from __future__ import annotations

from functools import cache

from django.utils.translation import get_language

from . import data_company, data_growth, data_product, data_service
from .model import Entry, Example, Text, localise, pick, t

FUNCTIONS: dict[str, Text] = {
    "sales": t("Sales", "销售", "Ventas"),
    "marketing": t("Marketing", "市场营销", "Marketing"),
    "customer_success": t("Customer success", "客户成功", "Éxito del cliente"),
    "product": t("Product", "产品", "Producto"),
    "engineering": t("Engineering", "工程研发", "Ingeniería"),
    "design": t("Design", "设计", "Diseño"),
    "data": t("Data", "数据", "Datos"),
    "support": t("Support", "客户支持", "Soporte"),
    "operations": t("Operations", "运营", "Operaciones"),
    "security": t("Security", "信息安全", "Seguridad"),
    "it": t("IT", "IT 支持", "Sistemas (IT)"),
    "finance": t("Finance", "财务", "Finanzas"),
    "people": t("People & HR", "人力资源", "Personas y RR. HH."),
    "leadership": t("Leadership", "管理层", "Dirección"),
    "legal": t("Legal", "法务", "Legal"),
}
"""Every function, in the order the library shows them, with its name in each language."""

ENTRIES: tuple[Entry, ...] = (
    data_growth.ENTRIES + data_product.ENTRIES + data_service.ENTRIES + data_company.ENTRIES
)


def language_key(code: str | None = None) -> str:
    """The data key for a Django language code: "zh-hans" → "zh_Hans"; unknown → "en"."""
    code = (code if code is not None else get_language() or "en").lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh_Hans"
    if code.startswith("es"):
        return "es"
    return "en"


@cache
def _examples(language: str) -> tuple[Example, ...]:
    return tuple(localise(entry, FUNCTIONS[entry.function], language) for entry in ENTRIES)


@cache
def _by_slug(language: str) -> dict[str, Example]:
    return {example.slug: example for example in _examples(language)}


def examples(language: str | None = None) -> list[Example]:
    """Every example, in the active language (or `language`), in catalogue order."""
    return list(_examples(language_key(language)))


def example(slug: str, language: str | None = None) -> Example | None:
    """The example with this slug, in the active language, or None."""
    return _by_slug(language_key(language)).get((slug or "").strip().lower())


def functions(language: str | None = None) -> list[tuple[str, str]]:
    """(key, label) of every function that has examples, in the library's order."""
    used = {entry.function for entry in ENTRIES}
    key = language_key(language)
    return [(name, pick(label, key)) for name, label in FUNCTIONS.items() if name in used]


def example_initial(example: Example) -> dict[str, str]:
    """What the objective form starts from when someone only wants the text of an example
    (`?example=<slug>`): its title, why it matters, level and type."""
    return {
        "title": example.title,
        "description": example.description,
        "level": example.level,
        "type": example.type,
    }
