"""An allow-listed module: it escapes every part itself, so mark_safe is allowed here."""

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


def render_body(text: str, name: str) -> SafeString:
    parts = [escape(text), format_html('<span class="mention">@{}</span>', name)]
    return mark_safe("".join(parts))
