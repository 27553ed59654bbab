"""The page header, kept per process for everything that decides it.

The header (the organization switcher, the navigation, the person's name, sign-out) depends
only on who is signed in, their name, every organization they belong to (addresses and
names), the organization of the page, which navigation item is current, whether they are an
admin there, and the language. All of it is part of the key, so a kept header is never
out of date: a renamed organization or a new membership is a new key. The sign-out form's
token belongs to the visitor, and a script nonce to one answer: both are put in when the
header is served, as on kept pages.

A few thousand headers take a few megabytes; the oldest are dropped first.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.utils import translation

from .fragments import to_keep, to_serve

LIMIT = 3000

_kept: OrderedDict[str, str] = OrderedDict()
_lock = threading.Lock()


def key_of(context: Any) -> str | None:
    """What decides the header of this page, or None to draw it every time (for people who
    are not signed in)."""
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None or not getattr(user, "is_authenticated", False):
        return None
    org = context.get("org")
    access = context.get("access")
    memberships = context.get("my_memberships") or []
    parts = (
        context.get("SITE_NAME"),
        user.pk,
        user.display_name,
        translation.get_language(),
        (getattr(org, "pk", None), getattr(org, "slug", None), getattr(org, "name", None)),
        str(context.get("nav") or ""),
        bool(access is not None and access.is_admin),
        tuple((m.organization_id, m.organization.slug, m.organization.name) for m in memberships),
    )
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def drawn(key: str, context: Any, draw: Callable[[], str]) -> str:
    """The header under `key`, drawn and kept when this process has none, with this
    visitor's form token and this answer's script nonce put in."""
    request = context["request"]
    html = _kept.get(key)
    if html is None:
        html = to_keep(draw(), request)
        with _lock:
            _kept[key] = html
            while len(_kept) > LIMIT:
                _kept.popitem(last=False)
    return to_serve(html, request)


def forget() -> None:
    """Drop every kept header (tests)."""
    with _lock:
        _kept.clear()
