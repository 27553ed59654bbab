"""`{% sandbox_banner %}`: the notice that marks every page of a sandbox organization.

The layout includes it once (`{% load adoption_tags %}` then `{% sandbox_banner %}` at the top
of `<main>`); it reads `org` from the page's context and costs no query for an organization
whose address is not a sandbox's."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import sandbox_for_org

register = template.Library()


@register.inclusion_tag("adoption/_sandbox_banner.html", takes_context=True)
def sandbox_banner(context: template.Context) -> dict[str, Any]:
    org = context.get("org")
    return {
        "sandbox": sandbox_for_org(org),
        "org": org,
        "user": context.get("user"),
        "csrf_token": context.get("csrf_token"),
    }
