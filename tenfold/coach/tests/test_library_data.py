"""The example library's data: enough examples, every text in three languages, key results the
okrs services accept, and OKRs that follow the method (no tasks, numbers everywhere)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.utils import translation

from tenfold.coach.library import example, examples, functions
from tenfold.coach.library.catalogue import ENTRIES, FUNCTIONS, language_key
from tenfold.coach.library.model import (
    FORMATS,
    FROM_TO,
    KINDS,
    LANGUAGES,
    LEVELS,
    TYPES,
    Entry,
    decimals_of,
    pick,
    t,
)
from tenfold.lib.validation import Errors
from tenfold.okrs.services import _check_key_result

DIGIT = re.compile(r"\d")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
CJK = re.compile(r"[\u4e00-\u9fff]")


def texts_of(entry: Entry) -> list[tuple[str, dict[str, str]]]:
    """Every translated text of an entry, named."""
    named = [("title", entry.title), ("why", entry.why), ("note", entry.note)]
    named += [(f"plan {n}", plan) for n, plan in enumerate(entry.plans)]
    for n, kr in enumerate(entry.key_results):
        named.append((f"kr {n} title", kr.title))
        if kr.measure.unit["en"]:
            named.append((f"kr {n} unit", kr.measure.unit))
    return named


def test_there_are_enough_examples_over_enough_functions():
    assert len(ENTRIES) >= 66
    used = Counter(entry.function for entry in ENTRIES)
    assert len(used) >= 12
    required = {
        "sales", "marketing", "product", "engineering", "customer_success", "support",
        "finance", "people", "operations", "data", "design", "leadership",
    }  # fmt: skip
    assert required <= set(used)
    assert all(count >= 2 for count in used.values())


def test_slugs_are_unique_and_stable_looking():
    slugs = [entry.slug for entry in ENTRIES]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) for slug in slugs)


def test_levels_types_and_functions_are_known_and_mostly_team():
    levels = Counter(entry.level for entry in ENTRIES)
    assert set(levels) <= set(LEVELS) and levels["team"] > len(ENTRIES) / 2
    assert {"company", "department", "personal"} <= set(levels)
    types = Counter(entry.type for entry in ENTRIES)
    assert set(types) == set(TYPES) and types["committed"] > types["aspirational"] > 5
    assert {entry.function for entry in ENTRIES} <= set(FUNCTIONS)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.slug)
def test_every_text_is_complete_in_every_language(entry):
    for name, text in texts_of(entry):
        assert set(text) == set(LANGUAGES), f"{name}: {sorted(text)}"
        for language in LANGUAGES:
            assert text[language].strip() == text[language] and text[language], (name, language)
        if name.startswith(("title", "why", "note", "plan", "kr")) and "unit" not in name:
            assert CJK.search(text["zh_Hans"]), f"{name} is not Chinese: {text['zh_Hans']}"
            assert text["es"] != text["en"], f"{name} is not translated to Spanish"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.slug)
def test_every_example_follows_the_method(entry):
    assert 3 <= len(entry.key_results) <= 4  # METHOD §2: 3–5
    assert 2 <= len(entry.plans) <= 4
    for language in LANGUAGES:
        title = entry.title[language]
        assert len(title) <= 70, f"{language}: {title}"
        assert not DIGIT.search(title), f"an objective has no number ({language}): {title}"
        for kr in entry.key_results:
            text = kr.title[language]
            numbers = NUMBER.findall(text)
            assert numbers, f"a key result needs a number ({language}): {text}"
            if kr.kind in FROM_TO:
                assert len(numbers) >= 2, f"say where it starts and ends ({language}): {text}"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.slug)
def test_key_result_structure_is_valid(entry):
    for kr in entry.key_results:
        assert kr.kind in KINDS  # never a milestone
        assert kr.measure.value_format in FORMATS
        if kr.kind in FROM_TO:
            assert kr.start is not None and kr.start != kr.target
            assert (kr.target > kr.start) == (kr.kind == "increase")
        else:
            assert kr.start is None  # reach and keep-above/below state only the target
        assert (kr.measure.currency != "") == (kr.measure.value_format == "currency")
        if kr.measure.value_format != "number":
            assert kr.measure.unit == t("", "", "")  # the format shows "%" or the currency


@pytest.mark.parametrize("language", ["en", "zh-hans", "es"])
def test_the_okrs_services_accept_every_key_result(language):
    """The same check key_result_create runs, on every key result in every language."""
    for item in examples(language):
        for kr in item.key_results:
            errors = Errors()
            _check_key_result(errors, None, kr.fields())  # type: ignore[arg-type]
            assert not errors, (item.slug, kr.title, dict(errors.fields))


def test_decimals_follow_how_the_values_are_written():
    from decimal import Decimal

    assert decimals_of(Decimal("3.5"), Decimal(1)) == 1
    assert decimals_of(Decimal("1.80"), None) == 2
    assert decimals_of(Decimal(40), Decimal(20)) == 0
    item = example("data-quiet-pipelines", "en")
    assert [kr.decimals for kr in item.key_results] == [1, 1, 0]


def test_examples_are_read_in_the_active_language():
    with translation.override("zh-hans"):
        chinese = example("cs-reduce-churn")
        assert dict(functions())["sales"] == "销售"
    with translation.override("es"):
        spanish = example("cs-reduce-churn")
    assert chinese.title == "让客户持续成功，根本不会想到离开" and chinese.language == "zh_Hans"
    assert spanish.title.startswith("Que los clientes") and spanish.language == "es"
    assert (
        spanish.key_results[0].title == "Reducir la pérdida mensual de clientes del 2,4 % al 1,5 %"
    )
    assert spanish.function_label == "Éxito del cliente"


def test_an_unknown_language_falls_back_to_english():
    with translation.override("fr"):
        assert example("cs-reduce-churn").language == "en"
    assert language_key("de-at") == "en"
    assert language_key("zh-Hant") == "zh_Hans" and language_key("es-mx") == "es"
    assert pick({"en": "Hello", "zh_Hans": "", "es": "Hola"}, "zh_Hans") == "Hello"


def test_examples_functions_and_lookup():
    assert [item.slug for item in examples("en")] == [entry.slug for entry in ENTRIES]
    keys = [key for key, _label in functions("en")]
    assert keys[0] == "sales" and len(keys) == len(set(keys)) >= 12
    assert example("no-such-example") is None
    assert example(" Sales-Faster-Deals ").slug == "sales-faster-deals"


def test_every_example_passes_the_coach_in_every_language():
    """No warning or problem from the coach's quality rules on any example."""
    coach = pytest.importorskip("tenfold.lib.coach")
    if not hasattr(coach, "check_objective"):
        pytest.skip("the coach's rules are not there yet")
    found = []
    for language in LANGUAGES:
        for item in examples(language):
            objective = coach.ObjectiveText(
                title=item.title,
                description=item.description,
                level=item.level,
                type=item.type,
                key_results=[
                    coach.KeyResultText(
                        title=kr.title,
                        kind=kr.kind,
                        start=kr.start,
                        target=kr.target,
                        unit=kr.unit_label,
                    )
                    for kr in item.key_results
                ],
            )
            for finding in coach.check_objective(objective):
                if finding.severity in ("warning", "problem"):
                    found.append((language, item.slug, finding.rule, finding.subject))
    assert found == []
