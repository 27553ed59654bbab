from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def tenfold(request: HttpRequest) -> dict[str, Any]:
    """What the page layout needs on every page.

    `my_memberships` feeds the organization switcher. It is lazy, so it costs one query only
    when a template actually shows the switcher (htmx fragments never do), and none at all for
    people who are not signed in.
    """

    def memberships() -> list[Any]:
        from .shortcuts import request_memberships

        return request_memberships(request)

    return {
        "SITE_NAME": settings.SITE_NAME,
        "SIGNUP_OPEN": bool(getattr(settings, "ACCOUNT_ALLOW_REGISTRATION", False)),
        "my_memberships": SimpleLazyObject(memberships),
    }
