"""Markup trusted outside the allow-list: each line after an "expect" comment is a finding."""

from django.utils import safestring
from django.utils.safestring import SafeString, mark_safe

from tenfold.okrs.models import Objective


def title_html(objective: Objective) -> str:
    # expect: tenfold-mark-safe-outside-allow-list
    return mark_safe(f"<strong>{objective.title}</strong>")


def note_html(text: str) -> str:
    # expect: tenfold-mark-safe-outside-allow-list
    return SafeString(text.replace("\n", "<br>"))


def owner_html(name: str) -> str:
    # expect: tenfold-mark-safe-outside-allow-list
    return safestring.mark_safe("<em>" + name + "</em>")
