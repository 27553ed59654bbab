"""The MiniLM sentence encoder, run with NumPy in float32.

What happens to a batch of token ids, as `modules.json` of the model folder lays it out
(a BERT encoder, then mean pooling, then normalisation):

- each position's vector is the sum of its token's, its position's and its segment's
  embedding rows, layer-normalised;
- six identical layers follow. Each lets every token look at every real token of its sentence
  (twelve heads of 32 dimensions; padding is masked out), adds the result back to its input and
  normalises; then a two-layer feed-forward network with the exact (erf) GELU in between, again
  added back and normalised;
- the sentence vector is the mean of its real tokens' final vectors, scaled to length 1.

Dropout only matters in training and is left out. Weights of the dense layers are transposed
once at load so every step is a plain `x @ w + b`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .safetensors import SafetensorsFile
from .tokenizer import WordPieceTokenizer

Array = np.ndarray[Any, np.dtype[np.float32]]

# Adding this to a masked score makes its softmax weight exactly zero in float32, without the
# infinities (and NaNs for an all-masked row) that -inf would bring.
MASKED = np.float32(-1e9)


# Abramowitz and Stegun, formula 7.1.26: erf(a) = 1 - t(c1 + t(c2 + ...)) exp(-a²) for a >= 0,
# with t = 1 / (1 + p a); the absolute error stays under 1.5e-7.
_P = 0.3275911
_C = (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)


def _erfc_tail(a: Array) -> Array:
    """1 - erf(a) for a >= 0, computed in place in `a` (which it returns)."""
    t = a * np.float32(_P)
    t += np.float32(1)
    np.reciprocal(t, out=t)
    poly = t * np.float32(_C[0])
    for c in _C[1:]:
        poly += np.float32(c)
        poly *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    a *= poly
    return a


def erf(x: Array) -> Array:
    """The error function, to within about 1.5e-7.

    NumPy has no erf of its own; this rational approximation is far below float32's own
    rounding noise in the activations, and keeps the whole model on NumPy alone."""
    tail = _erfc_tail(np.abs(x).astype(np.float32))
    np.subtract(np.float32(1), tail, out=tail)
    return np.copysign(tail, x, out=tail)


def gelu(x: Array) -> Array:
    """x Φ(x), with the exact normal distribution Φ (not the tanh shortcut), in place in x.

    Φ(x) = (1 + erf(x/√2)) / 2, which is 1 - tail/2 for x >= 0 and tail/2 below, where tail is
    1 - erf(|x|/√2); computing it that way needs no sign juggling."""
    half_tail = _erfc_tail(np.abs(x) * np.float32(1 / math.sqrt(2)))
    half_tail *= np.float32(0.5)
    phi = np.where(x >= 0, np.float32(1) - half_tail, half_tail)
    x *= phi
    return x


def layer_norm(x: Array, weight: Array, bias: Array, eps: float) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + np.float32(eps)) * weight + bias


def softmax(scores: Array) -> Array:
    scores = scores - scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)
    return scores


@dataclass(frozen=True)
class Config:
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    max_positions: int
    layer_norm_eps: float
    max_seq_length: int

    @classmethod
    def from_directory(cls, directory: Path) -> Config:
        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
        act = config.get("hidden_act", "gelu")
        if act != "gelu":
            raise ValueError(f"unsupported activation {act!r}: only the erf GELU is implemented")
        if config.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError("only absolute position embeddings are implemented")
        max_positions = int(config["max_position_embeddings"])
        seq = max_positions
        st_config = directory / "sentence_bert_config.json"
        if st_config.exists():
            seq = int(json.loads(st_config.read_text(encoding="utf-8")).get("max_seq_length", seq))
        return cls(
            hidden_size=int(config["hidden_size"]),
            num_layers=int(config["num_hidden_layers"]),
            num_heads=int(config["num_attention_heads"]),
            intermediate_size=int(config["intermediate_size"]),
            max_positions=max_positions,
            layer_norm_eps=float(config.get("layer_norm_eps", 1e-12)),
            max_seq_length=min(seq, max_positions),
        )


def check_pooling(directory: Path) -> None:
    """Refuse a model folder whose pipeline is not the one implemented here."""
    modules_path = directory / "modules.json"
    if modules_path.exists():
        kinds = [m.get("type", "") for m in json.loads(modules_path.read_text(encoding="utf-8"))]
        names = [k.rsplit(".", 1)[-1] for k in kinds]
        if names[:2] != ["Transformer", "Pooling"] or any(
            n not in ("Transformer", "Pooling", "Normalize") for n in names
        ):
            raise ValueError(f"unsupported sentence pipeline {names}")
    pooling_path = directory / "1_Pooling" / "config.json"
    if pooling_path.exists():
        pooling = json.loads(pooling_path.read_text(encoding="utf-8"))
        modes = [k for k, v in pooling.items() if k.startswith("pooling_mode") and v]
        if modes != ["pooling_mode_mean_tokens"]:
            raise ValueError(f"unsupported pooling {modes}: only mean pooling is implemented")


@dataclass
class Layer:
    qkv_w: Array  # (hidden, 3 * hidden): query, key and value projections side by side
    qkv_b: Array
    attn_out_w: Array
    attn_out_b: Array
    attn_norm_w: Array
    attn_norm_b: Array
    ff_in_w: Array
    ff_in_b: Array
    ff_out_w: Array
    ff_out_b: Array
    ff_norm_w: Array
    ff_norm_b: Array


class Encoder:
    """Token ids in, one unit-length vector per sentence out."""

    def __init__(self, tensors: SafetensorsFile, config: Config) -> None:
        self.config = config
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in tensors else ""

        def get(name: str) -> Array:
            return np.asarray(tensors[prefix + name], dtype=np.float32)

        def dense(name: str) -> Array:
            # Stored as (out, in); a contiguous (in, out) copy makes each step x @ w.
            return np.ascontiguousarray(get(name + ".weight").T)

        # The word table (47 MB) stays a view on the mapped file: only rows in use are read.
        self.word_embeddings = get("embeddings.word_embeddings.weight")
        self.position_embeddings = np.array(get("embeddings.position_embeddings.weight"))
        self.token_type_embeddings = np.array(get("embeddings.token_type_embeddings.weight"))
        self.embed_norm_w = np.array(get("embeddings.LayerNorm.weight"))
        self.embed_norm_b = np.array(get("embeddings.LayerNorm.bias"))
        self.layers: list[Layer] = []
        for i in range(config.num_layers):
            p = f"encoder.layer.{i}."
            self.layers.append(
                Layer(
                    qkv_w=np.ascontiguousarray(
                        np.concatenate(
                            [dense(p + f"attention.self.{n}") for n in ("query", "key", "value")],
                            axis=1,
                        )
                    ),
                    qkv_b=np.concatenate(
                        [get(p + f"attention.self.{n}.bias") for n in ("query", "key", "value")]
                    ),
                    attn_out_w=dense(p + "attention.output.dense"),
                    attn_out_b=np.array(get(p + "attention.output.dense.bias")),
                    attn_norm_w=np.array(get(p + "attention.output.LayerNorm.weight")),
                    attn_norm_b=np.array(get(p + "attention.output.LayerNorm.bias")),
                    ff_in_w=dense(p + "intermediate.dense"),
                    ff_in_b=np.array(get(p + "intermediate.dense.bias")),
                    ff_out_w=dense(p + "output.dense"),
                    ff_out_b=np.array(get(p + "output.dense.bias")),
                    ff_norm_w=np.array(get(p + "output.LayerNorm.weight")),
                    ff_norm_b=np.array(get(p + "output.LayerNorm.bias")),
                )
            )
        hidden = config.hidden_size
        if self.word_embeddings.shape[1] != hidden or hidden % config.num_heads:
            raise ValueError("the weights do not fit the configuration")

    @property
    def dimension(self) -> int:
        return self.config.hidden_size

    def forward(self, ids: np.ndarray[Any, Any], mask: np.ndarray[Any, Any]) -> Array:
        """Sentence vectors for a padded batch: `ids` and `mask` are (batch, length)."""
        cfg = self.config
        batch, length = ids.shape
        heads = cfg.num_heads
        hidden = cfg.hidden_size
        size = hidden // heads
        eps = cfg.layer_norm_eps

        x = (
            self.word_embeddings[ids]
            + self.position_embeddings[:length]
            + self.token_type_embeddings[0]
        ).astype(np.float32, copy=False)
        # Every dense layer works on all tokens of the batch at once, as one 2-D product.
        x = layer_norm(x.reshape(batch * length, hidden), self.embed_norm_w, self.embed_norm_b, eps)

        bias = np.where(mask[:, None, None, :] > 0, np.float32(0), MASKED).astype(np.float32)
        scale = np.float32(1 / math.sqrt(size))
        for layer in self.layers:
            qkv = x @ layer.qkv_w
            qkv += layer.qkv_b
            # (tokens, 3 * hidden) -> three (batch, heads, length, size) blocks, each made
            # contiguous so the batched products below run through BLAS.
            parts = qkv.reshape(batch, length, 3, heads, size).transpose(2, 0, 3, 1, 4)
            q, k, v = (np.ascontiguousarray(part) for part in parts)
            scores = q @ k.transpose(0, 1, 3, 2)
            scores *= scale
            scores += bias
            context = softmax(scores) @ v
            context = context.transpose(0, 2, 1, 3).reshape(batch * length, hidden)
            attended = context @ layer.attn_out_w
            attended += layer.attn_out_b
            attended += x
            x = layer_norm(attended, layer.attn_norm_w, layer.attn_norm_b, eps)
            inner = x @ layer.ff_in_w
            inner += layer.ff_in_b
            out = gelu(inner) @ layer.ff_out_w
            out += layer.ff_out_b
            out += x
            x = layer_norm(out, layer.ff_norm_w, layer.ff_norm_b, eps)

        x = x.reshape(batch, length, hidden)
        weights = mask.astype(np.float32)[:, :, None]
        pooled = (x * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), np.float32(1e-9))
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, np.float32(1e-12))).astype(np.float32, copy=False)


class SentenceModel:
    """The tokenizer and the encoder of one model folder, with batching."""

    def __init__(self, directory: str | Path) -> None:
        directory = Path(directory)
        check_pooling(directory)
        self.directory = directory
        self.config = Config.from_directory(directory)
        self.tokenizer = WordPieceTokenizer.from_directory(directory)
        self.encoder = Encoder(SafetensorsFile(directory / "model.safetensors"), self.config)

    @property
    def dimension(self) -> int:
        return self.encoder.dimension

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> Array:
        """One unit-length float32 row per text, in the order given."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        encodings = [self.tokenizer.encode(t, self.config.max_seq_length).ids for t in texts]
        # Sentences of similar length share a batch, so little work goes into padding.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            length = max(len(encodings[i]) for i in chunk)
            ids = np.full((len(chunk), length), self.tokenizer.pad_id, dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.int64)
            for row, i in enumerate(chunk):
                ids[row, : len(encodings[i])] = encodings[i]
                mask[row, : len(encodings[i])] = 1
            out[chunk] = self.encoder.forward(ids, mask)
        return out
