from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from tenfold.organizations.selectors import memberships_of


def tenfold(request: HttpRequest) -> dict[str, Any]:
    """What the page layout needs on every page.

    `my_memberships` feeds the organization switcher. It is lazy, so it costs one query only
    when a template actually shows the switcher (htmx fragments never do), and none at all for
    people who are not signed in.
    """

    def memberships() -> list[Any]:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        return list(memberships_of(user))

    return {
        "SITE_NAME": settings.SITE_NAME,
        "SIGNUP_OPEN": bool(getattr(settings, "ACCOUNT_ALLOW_REGISTRATION", False)),
        "my_memberships": SimpleLazyObject(memberships),
    }
