"""Searching the library: every word must appear, case and accents do not matter, the active
language and English both count, and Chinese matches on substrings."""

from __future__ import annotations

from django.utils import translation

from tenfold.coach.library import examples, search
from tenfold.coach.library.search import fold, terms


def slugs(found):
    return [item.slug for item in found]


def test_an_empty_query_finds_everything_in_catalogue_order():
    assert slugs(search("", language="en")) == slugs(examples("en"))
    assert slugs(search("   ", language="es")) == slugs(examples("es"))


def test_english_words_match_titles_key_results_notes_and_plans():
    assert slugs(search("churn", language="en")) == [
        "cs-reduce-churn",
        "cs-small-customers-digital",
        "leadership-win-mid-market",
    ]
    assert "engineering-dependable-service" in slugs(search("p95", language="en"))
    assert "sales-faster-deals" in slugs(search("close plan", language="en"))  # a plan
    assert "sales-faster-deals" in slugs(search("margin away", language="en"))  # the note


def test_case_and_accents_do_not_matter():
    assert slugs(search("CHURN", language="en")) == slugs(search("churn", language="en"))
    plain = slugs(search("rapido", language="es"))
    assert "sales-faster-deals" in plain  # "Cerrar ventas más rápido…"
    assert plain == slugs(search("RÁPIDO", language="es"))
    assert "design-accessible-for-everyone" in slugs(search("diseno", language="es"))
    assert "ops-dependable-suppliers" in slugs(search("ORDENES compra", language="es"))


def test_every_word_must_appear():
    both = set(slugs(search("churn revenue", language="en")))
    assert both == {"leadership-win-mid-market"}
    assert search("churn zebra", language="en") == []


def test_the_english_text_is_searched_in_every_language():
    assert "cs-reduce-churn" in slugs(search("churn", language="es"))
    assert "cs-reduce-churn" in slugs(search("churn", language="zh-hans"))
    assert "cs-reduce-churn" in slugs(search("pérdida churn", language="es"))


def test_spanish_is_searched_in_spanish_but_not_in_english():
    assert "cs-reduce-churn" in slugs(search("renovacion", language="es"))
    assert "cs-reduce-churn" not in slugs(search("renovacion", language="en"))


def test_chinese_matches_substrings():
    assert "cs-reduce-churn" in slugs(search("流失", language="zh-hans"))
    assert "cs-reduce-churn" in slugs(search("客户流失率", language="zh-hans"))
    assert "support-answer-while-fresh" in slugs(search("首次回复", language="zh-hans"))
    assert search("流失", language="en") == []  # English has no Chinese text


def test_full_width_and_ideographic_spaces_are_understood():
    assert slugs(search("ＣＨＵＲＮ", language="en")) == slugs(search("churn", language="en"))
    assert slugs(search("流失\u3000客户", language="zh-hans")) == slugs(
        search("客户 流失", language="zh-hans")
    )


def test_the_function_label_is_searched_in_the_active_language_and_english():
    sales = slugs(examples("en")[:6])
    assert set(sales) <= set(slugs(search("ventas", language="es")))
    assert set(sales) <= set(slugs(search("sales", language="es")))
    assert set(sales) <= set(slugs(search("销售", language="zh-hans")))


def test_a_function_filter_keeps_one_function():
    found = search("", function="security", language="en")
    assert {item.function for item in found} == {"security"} and len(found) == 3
    assert search("churn", function="security", language="en") == []
    assert search("", function="astrology", language="en") == []


def test_title_matches_come_first():
    found = slugs(search("trust", language="en"))
    titles = [item.title for item in search("trust", language="en")]
    first_without = next(n for n, title in enumerate(titles) if "trust" not in title.lower())
    assert all("trust" not in title.lower() for title in titles[first_without:])
    assert found[0] in {"marketing-content-trust", "data-trusted-numbers", "legal-trust-with-data"}


def test_the_active_language_is_used_by_default():
    with translation.override("es"):
        found = search("rápido")
    assert found and found[0].language == "es"


def test_punctuation_around_words_is_ignored_and_long_queries_are_cut():
    assert slugs(search("“churn,”", language="en")) == slugs(search("churn", language="en"))
    assert terms("x" * 500) == ["x" * 200]
    assert fold("Ñandú ÉXITO") == "nandu exito"
