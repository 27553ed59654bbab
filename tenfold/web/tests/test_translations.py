"""Every user-facing string ships in Simplified Chinese and Spanish, compiled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["zh_Hans", "es"])
def test_the_catalogue_is_complete(language: str) -> None:
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    blocks = text.split("\n\n")[1:]  # the first block is the header
    empty, fuzzy = [], []
    for block in blocks:
        if not block.strip() or block.lstrip().startswith("#~"):
            continue
        if "#, fuzzy" in block:
            fuzzy.append(block)
        strings = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', block, re.M)
        if any(not (first + rest.replace('"', "").strip()) for first, rest in strings):
            empty.append(block.splitlines()[-1])
    assert not fuzzy, fuzzy[:3]
    assert not empty, empty[:3]
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()


@pytest.mark.parametrize(("language", "expected"), [("zh-hans", "我的一周"), ("es", "Mi semana")])
def test_pages_speak_the_language(language: str, expected: str) -> None:
    with translation.override(language):
        assert gettext("My week") == expected
        plural = ngettext("%(counter)s comment", "%(counter)s comments", 2)
        assert plural != "%(counter)s comments" and "%(counter)s" in plural
