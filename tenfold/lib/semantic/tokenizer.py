"""BERT's WordPiece tokenizer in plain Python, matching the `tokenizers` library's output.

The steps, in the order the model was trained with:

1. special tokens typed literally in the text ("[SEP]") are kept whole, as the packaged
   `tokenizer.json` declares them un-normalized added tokens;
2. clean-up: NUL, U+FFFD and every control, format, private-use and surrogate character is
   dropped, and every whitespace character becomes a plain space;
3. each CJK ideograph is surrounded by spaces, so it becomes a word of its own;
4. accents are stripped (canonical decomposition, then non-spacing marks dropped) and the text
   is lower-cased character by character (so a final capital sigma becomes "σ", not "ς");
5. words are split on whitespace and every punctuation character stands alone;
6. each word becomes the longest vocabulary entries that cover it left to right, later pieces
   written with "##"; a word that cannot be covered, or is longer than 100 characters, becomes
   a single unknown token.

Step 2 and 5 use the definitions of Rust's standard library (which `tokenizers` is written
in) rather than Python's `str.isspace`, which counts a few more characters as spaces.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

# Unicode's White_Space property, which Rust's `char::is_whitespace` follows.
WHITESPACE = (
    frozenset(
        [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F]
    )
    | frozenset(range(0x2000, 0x200B))
    | {0x3000}
)

# The blocks BERT treats as Chinese characters (CJK Unified Ideographs and their extensions,
# plus the compatibility ideographs). Hiragana, Katakana and Hangul are not in them. Extension E
# starts at U+2B820, but the reference tokenizer starts its range at U+2B920; we follow the
# reference, since that is what the model saw.
CJK_RANGES = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B920, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)

# Control, format, surrogate and private-use characters are dropped. Unassigned code points are
# not: the reference leaves them in, and they end up as unknown tokens.
OTHER_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})


def is_whitespace(char: str) -> bool:
    return ord(char) in WHITESPACE


def is_control(char: str) -> bool:
    # Tab, newline and carriage return are "other" characters too, but they separate words.
    if char in "\t\n\r":
        return False
    return unicodedata.category(char) in OTHER_CATEGORIES


def is_punctuation(char: str) -> bool:
    # Every printable ASCII symbol counts, including "$", "+", "<", "^", "`" and "|", which
    # Unicode files under symbols rather than punctuation.
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in CJK_RANGES)


@dataclass(frozen=True)
class Encoding:
    """The token ids of one text, with [CLS] first and [SEP] last, and the matching pieces."""

    ids: list[int]
    tokens: list[str]
    truncated: bool


class WordPieceTokenizer:
    def __init__(
        self,
        vocab: dict[str, int],
        *,
        lowercase: bool = True,
        strip_accents: bool | None = None,
        chinese_chars: bool = True,
        clean_text: bool = True,
        unk_token: str = "[UNK]",
        cls_token: str = "[CLS]",
        sep_token: str = "[SEP]",
        pad_token: str = "[PAD]",
        mask_token: str = "[MASK]",
        max_chars_per_word: int = 100,
        prefix: str = "##",
    ) -> None:
        self.vocab = vocab
        self.lowercase = lowercase
        # Left unset, accents go whenever case goes: "Café" and "cafe" are the same word.
        self.strip_accents = lowercase if strip_accents is None else strip_accents
        self.chinese_chars = chinese_chars
        self.clean_text = clean_text
        self.unk_token = unk_token
        self.cls_token = cls_token
        self.sep_token = sep_token
        self.pad_token = pad_token
        self.max_chars_per_word = max_chars_per_word
        self.prefix = prefix
        specials = [t for t in (pad_token, unk_token, cls_token, sep_token, mask_token) if t]
        for token in specials:
            if token not in vocab:
                raise ValueError(f"special token {token!r} is missing from the vocabulary")
        self.specials = frozenset(specials)
        # Longest first, so that a longer special token wins over a shorter one it contains.
        self._special_re = re.compile(
            "|".join(re.escape(t) for t in sorted(specials, key=len, reverse=True))
        )
        self.unk_id = vocab[unk_token]
        self.cls_id = vocab[cls_token]
        self.sep_id = vocab[sep_token]
        self.pad_id = vocab[pad_token]
        self._pieces_cache: dict[str, tuple[str, ...]] = {}

    @classmethod
    def from_directory(cls, directory: str | Path) -> WordPieceTokenizer:
        """Read `vocab.txt` (one entry a line, the line number is the id) and the settings of
        `tokenizer_config.json`, as a Hugging Face model folder holds them."""
        directory = Path(directory)
        vocab: dict[str, int] = {}
        with (directory / "vocab.txt").open(encoding="utf-8") as handle:
            for index, line in enumerate(handle):
                vocab.setdefault(line.rstrip("\n"), index)
        config: dict[str, object] = {}
        config_path = directory / "tokenizer_config.json"
        if config_path.exists():
            config = json.loads(config_path.read_text(encoding="utf-8"))

        def text(key: str, default: str) -> str:
            value = config.get(key, default)
            if isinstance(value, dict):  # newer files wrap tokens as {"content": ...}
                value = value.get("content", default)
            return str(value)

        strip = config.get("strip_accents")
        return cls(
            vocab,
            lowercase=bool(config.get("do_lower_case", True)),
            strip_accents=None if strip is None else bool(strip),
            chinese_chars=bool(config.get("tokenize_chinese_chars", True)),
            unk_token=text("unk_token", "[UNK]"),
            cls_token=text("cls_token", "[CLS]"),
            sep_token=text("sep_token", "[SEP]"),
            pad_token=text("pad_token", "[PAD]"),
            mask_token=text("mask_token", "[MASK]"),
        )

    # --- the steps ----------------------------------------------------------------------

    def normalize(self, text: str) -> str:
        chars: Iterable[str] = text
        if self.clean_text:
            chars = (
                " " if is_whitespace(c) else c
                for c in chars
                if c != "\x00" and c != "\ufffd" and not is_control(c)
            )
        if self.chinese_chars:
            chars = (f" {c} " if is_cjk(c) else c for c in chars)
        out = "".join(chars)
        if self.strip_accents:
            out = "".join(
                c for c in unicodedata.normalize("NFD", out) if unicodedata.category(c) != "Mn"
            )
        if self.lowercase:
            # One character at a time, as the reference does: no context-dependent casing.
            out = "".join(c.lower() for c in out)
        return out

    def words(self, normalized: str) -> list[str]:
        """Split on whitespace, and make every punctuation character a word of its own."""
        words: list[str] = []
        current: list[str] = []
        for char in normalized:
            if is_whitespace(char):
                if current:
                    words.append("".join(current))
                    current = []
            elif is_punctuation(char):
                if current:
                    words.append("".join(current))
                    current = []
                words.append(char)
            else:
                current.append(char)
        if current:
            words.append("".join(current))
        return words

    def wordpieces(self, word: str) -> tuple[str, ...]:
        cached = self._pieces_cache.get(word)
        if cached is not None:
            return cached
        pieces = self._split_word(word)
        if len(self._pieces_cache) < 50_000:  # words repeat a lot; keep the memory bounded
            self._pieces_cache[word] = pieces
        return pieces

    def _split_word(self, word: str) -> tuple[str, ...]:
        if len(word) > self.max_chars_per_word:
            return (self.unk_token,)
        pieces: list[str] = []
        start = 0
        while start < len(word):
            # Try the longest remaining stretch first and shorten it until the vocabulary has it.
            end = len(word)
            found = None
            while end > start:
                candidate = word[start:end]
                if start:
                    candidate = self.prefix + candidate
                if candidate in self.vocab:
                    found = candidate
                    break
                end -= 1
            if found is None:
                # One uncoverable stretch makes the whole word unknown, not just that part.
                return (self.unk_token,)
            pieces.append(found)
            start = end
        return tuple(pieces)

    def tokenize(self, text: str) -> list[str]:
        """The word pieces of a text, without [CLS]/[SEP] and without truncation."""
        tokens: list[str] = []
        position = 0
        for match in self._special_re.finditer(text):
            tokens.extend(self._tokenize_plain(text[position : match.start()]))
            tokens.append(match.group())
            position = match.end()
        tokens.extend(self._tokenize_plain(text[position:]))
        return tokens

    def _tokenize_plain(self, text: str) -> list[str]:
        tokens: list[str] = []
        for word in self.words(self.normalize(text)):
            tokens.extend(self.wordpieces(word))
        return tokens

    def encode(self, text: str, max_length: int = 256) -> Encoding:
        """[CLS] pieces [SEP], keeping at most `max_length` tokens in all."""
        if max_length < 2:
            raise ValueError("max_length must leave room for [CLS] and [SEP]")
        pieces = self.tokenize(text)
        room = max_length - 2
        truncated = len(pieces) > room
        pieces = pieces[:room]
        tokens = [self.cls_token, *pieces, self.sep_token]
        ids = [self.vocab.get(t, self.unk_id) for t in tokens]
        return Encoding(ids=ids, tokens=tokens, truncated=truncated)

    def encode_batch(self, texts: Sequence[str], max_length: int = 256) -> list[Encoding]:
        return [self.encode(text, max_length) for text in texts]
