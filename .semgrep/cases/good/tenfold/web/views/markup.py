"""Markup built with format_html, which escapes every value: no finding."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from tenfold.okrs.models import Objective


def title_html(objective: Objective) -> SafeString:
    return format_html("<strong>{}</strong>", objective.title)


def list_html(titles: list[str]) -> SafeString:
    return format_html_join("", "<li>{}</li>", ((title,) for title in titles))
