"""Cached pieces of pages, keyed by the organization's change counter.

The pages that sum up a whole organization (the company dashboard, the alignment tree, the
API's lists) cost tens to hundreds of milliseconds to build at 10,000 people, and everyone
opens them on the same morning. Their HTML is kept in the `fragments` cache under a key made
of everything that decides it:

- the organization and its change counter (`tenfold.db.changes`): any write the page could
  show moves the counter, so a kept copy is never older than the data it claims to show;
- the audience: admins see everything; anyone else sees the organization-wide objectives plus
  the restricted ones their units, leads and own objectives open to them, so two people
  share a copy exactly when they may see the same objectives;
- the language, the organization's date today, the address and its query string.

**Bounded lag.** While people check in, the counter moves several times a second and an
exact-version cache would rebuild the company dashboard for nearly every visitor. So a copy
built less than `TENFOLD_FRAGMENT_LAG` seconds ago is served even when the counter has moved
since, unless the visitor changed something themselves after the copy was built (a
short-lived cookie says when) or asked for a fresh answer (`Cache-Control: no-cache`). With a
lag of 0 only exact versions are served. Every copy is dropped after `FRAGMENT_MAX_AGE`
seconds whatever happens, so relative dates never drift far.
"""

from __future__ import annotations

import contextvars
import hashlib
import re
import time
import zoneinfo
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from tenfold.db import changes

if TYPE_CHECKING:
    from tenfold.organizations.models import Organization
    from tenfold.organizations.permissions import Access

CACHE_ALIAS = "fragments"
COOKIE = "tenfold_wrote"
FRAGMENT_MAX_AGE = 600
# Form tokens belong to one visitor: a kept copy holds a placeholder in their place, and each
# visitor's own token is put back when the copy is served.
_FORM_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_TOKEN_MARK = "\x00tenfold-form-token\x00"  # nosec B105  # a placeholder, not a token
# So do script nonces, which belong to one response: the Content-Security-Policy header of
# each answer names its own, and a kept copy gets it back in every tag that carried one.
_NONCE_MARK = "\x00tenfold-script-nonce\x00"


# The fragment whose copy is being drawn right now, so a template filter that prints
# something true only for a while can say until when (`true_until`).
_drawing: contextvars.ContextVar[Fragment | None] = contextvars.ContextVar(
    "tenfold_fragment_drawing", default=None
)


def true_until(moment: float) -> None:
    """What is being drawn stops being true at `moment` (time.time()): the copy of the
    fragment being drawn, if any, is not served after it."""
    fragment = _drawing.get()
    if fragment is not None:
        fragment.good_until = min(fragment.good_until or moment, moment)


def form_token(request: HttpRequest) -> str:
    """The visitor's form token for this answer, masked once: every kept part of one page
    carries the same (Django masks anew at every call, which costs a random draw each)."""
    token: str | None = request.__dict__.get("_tenfold_form_token")
    if token is None:
        token = get_token(request)
        request.__dict__["_tenfold_form_token"] = token
    return token


def to_keep(html: str, request: HttpRequest) -> str:
    """HTML as kept for other visitors and later answers: the form token and the script
    nonce of the answer it was drawn for replaced by marks."""
    html = _FORM_TOKEN.sub(lambda match: match[1] + _TOKEN_MARK + match[2], html)
    nonce = get_nonce(request)
    if nonce:  # true once drawn: only then can it be in the HTML
        html = html.replace(f'nonce="{nonce}"', f'nonce="{_NONCE_MARK}"')
    return html


def to_serve(html: str, request: HttpRequest) -> str:
    """A kept copy as this answer sends it: this visitor's form token and this answer's
    script nonce (drawn now, so the policy header names it) where the marks stand."""
    if _TOKEN_MARK in html:
        html = html.replace(_TOKEN_MARK, form_token(request))
    if _NONCE_MARK in html:
        nonce = get_nonce(request)
        html = html.replace(_NONCE_MARK, "" if nonce is None else str(nonce))
    return html


def enabled() -> bool:
    return bool(getattr(settings, "FRAGMENT_CACHE", True))


def lag_seconds() -> float:
    return float(getattr(settings, "FRAGMENT_LAG", 0))


def lazy(build: Callable[[], Any]) -> Any:
    """A context value computed on first use, so a page served from the cache never
    computes it."""
    return SimpleLazyObject(build)


def version_of(request: HttpRequest, organization: Organization) -> int:
    """The organization's change counter, read once per request and before any rows."""
    memo: dict[int, int] = request.__dict__.setdefault("_tenfold_versions", {})
    if organization.id not in memo:
        memo[organization.id] = changes.version(organization.id)
    return memo[organization.id]


def audience(access: Access) -> str:
    """Who a cached copy is for: everyone who may see exactly the same objectives shares
    one. Restricted objectives (unit-only or personal) are few; one indexed query finds the
    ones this viewer may see."""
    memo = access.__dict__.get("_tenfold_audience")
    if memo is not None:
        return memo
    role = access.membership.role
    if access.is_admin:
        found = "admin"
    else:
        ids = _restricted_ids_open_to(access)
        if ids:
            digest = hashlib.blake2b(",".join(map(str, ids)).encode(), digest_size=10)
            found = f"{role}-{digest.hexdigest()}"
        else:
            found = f"{role}-public"
    access.__dict__["_tenfold_audience"] = found
    return found


def _restricted_ids_open_to(access: Access) -> list[int]:
    """The restricted objectives (unit-only, private or personal) this viewer may see, in
    one indexed read; the same rule as `Access.can_view_objective`."""
    from tenfold.db import fast
    from tenfold.okrs.models import Objective

    def col(name: str) -> str:
        return fast.column(Objective, name)

    user_id = access.user_id
    opened = [f"{col('lead')} = %s", f"{col('owner_person')} = %s"]
    params: list[Any] = [access.membership.organization_id]
    params += [user_id, user_id]
    led = sorted(access.led_unit_ids)
    if led:
        opened.append(f"{col('unit')} IN ({fast.marks(led)})")
        params += led
    member = sorted(access.member_unit_ids)
    if member:
        opened.append(f"({col('visibility')} = %s AND {col('unit')} IN ({fast.marks(member)}))")
        params += ["unit", *member]
    rows = fast.fetch(
        f"SELECT {col('id')} FROM {fast.table(Objective)}"  # nosec B608  # quoted names; values bound
        f" WHERE {col('organization')} = %s"
        # Written out, not bound, so the database can use the partial index of restricted
        # objectives (`objective_restricted`), whose condition is exactly this.
        f" AND NOT ({col('visibility')} = 'organization' AND NOT ({col('level')} = 'personal'))"
        f" AND ({' OR '.join(opened)})"
        f" ORDER BY {col('id')}",
        params,
    )
    return [row[0] for row in rows]


class Fragment:
    """One cacheable piece of one page, for one request."""

    def __init__(
        self,
        request: HttpRequest,
        organization: Organization,
        access: Access,
        name: str,
        *parts: object,
        personal: bool = False,
    ) -> None:
        self.request = request
        self.organization = organization
        self.access = access
        self.name = name
        self.parts = parts
        # A personal copy (a person's own week, say) is kept for its visitor alone.
        self.personal = personal
        # A moment (time.time()) after which the copy must not be served, whatever the
        # counter says: it shows something true only until then, like "checked in just now".
        self.good_until: float | None = None
        # Puts the visitor's own marks (their reactions, say) into a copy shared with others.
        self.personalize: Callable[[str], str] | None = None
        self._found: Any = None
        # The counter and the clock are read before the page reads any rows: a copy is never
        # filed under a newer number, or a later moment, than the data it holds.
        self.started = time.time()
        if enabled():
            version_of(request, organization)

    @property
    def key(self) -> str:
        request = self.request
        today = timezone.localdate(timezone=zoneinfo.ZoneInfo(self.organization.time_zone))
        query = sorted(request.GET.lists())
        # An htmx request to a page's address is answered with a part of it: kept apart.
        htmx = bool(getattr(request, "htmx", False))
        address = hashlib.blake2b(
            repr((request.get_host(), request.path, query, htmx, self.parts)).encode(),
            digest_size=12,
        ).hexdigest()
        who = f"person-{self.access.user_id}" if self.personal else audience(self.access)
        return ":".join(
            (
                "frag",
                self.name,
                self.organization.code,
                who,
                translation.get_language() or "",
                # Times on the page are drawn in the visitor's own time zone when they chose one.
                timezone.get_current_timezone_name(),
                today.isoformat(),
                address,
            )
        )

    def _fresh_since(self) -> float:
        """Copies built before this moment are not good enough for this visitor."""
        if "no-cache" in self.request.headers.get("Cache-Control", ""):
            return float("inf")
        try:
            return float(self.request.COOKIES.get(COOKIE, 0))
        except ValueError:
            return 0.0

    def get(self) -> Any:
        """The kept copy, when it may be served; else None. Read once per request."""
        if self._found is None:
            self._found = (self._lookup(),)
        return self._found[0]

    def _lookup(self) -> Any:
        if not enabled():
            return None
        entry = caches[CACHE_ALIAS].get(self.key)
        if entry is None:
            return None
        kept_version, built_at, value, *more = entry
        good_until = more[0] if more else None
        if good_until is not None and time.time() >= good_until:
            return None
        current = version_of(self.request, self.organization)
        lag = lag_seconds()
        if kept_version == current or (
            lag > 0
            and kept_version < current
            and time.time() - built_at < lag
            and built_at >= self._fresh_since()
        ):
            return self.finish(value)
        return None

    def finish(self, value: Any) -> Any:
        """A copy as this visitor is shown it: their form token, this answer's script nonce
        and their own marks."""
        if isinstance(value, str):
            value = to_serve(value, self.request)
            if self.personalize is not None:
                value = self.personalize(value)
        return value

    def after_own_write(self) -> None:
        """The build has just written (carrying plans over, say), before it read any rows:
        read the counter and the clock again, so the copy is filed under the number that
        includes that write and is served next time, instead of being stale at once."""
        memo = self.request.__dict__.get("_tenfold_versions")
        if memo is not None:
            memo.pop(self.organization.id, None)
        self.started = time.time()
        if enabled():
            version_of(self.request, self.organization)

    def put(self, value: Any) -> None:
        if not enabled():
            return
        if isinstance(value, str):
            value = to_keep(value, self.request)
        self._found = None
        version = version_of(self.request, self.organization)
        caches[CACHE_ALIAS].set(
            self.key, (version, self.started, value, self.good_until), FRAGMENT_MAX_AGE
        )

    def draw(self, render: Callable[[], str]) -> str:
        """Render this fragment's copy, letting filters say until when it holds."""
        token = _drawing.set(self)
        try:
            return render()
        finally:
            _drawing.reset(token)

    def cached(self, build: Callable[[], Any]) -> Any:
        found = self.get()
        if found is not None:
            return found
        value = build()
        self.put(value)
        return self.finish(value)


class FragmentMiddleware:
    """Starts each request with no organization for the change counter, and after a request
    that changed something, tells the browser when, so this visitor's next pages are built
    after their own change."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        changes.start_request()
        response = self.get_response(request)
        if changes.counted() and lag_seconds() > 0 and response.status_code < 500:
            response.set_cookie(
                COOKIE,
                f"{time.time():.3f}",
                max_age=int(lag_seconds()) + 5,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        changes.start_request()
        return response
