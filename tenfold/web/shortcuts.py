"""What every HTML view starts with: a scoped fetch of the organization and the viewer's
access, and a render that serves either the whole page or one template partial to htmx."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from tenfold.organizations.models import Membership, Organization
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import access_to, memberships_list

from .fragments import Fragment


def request_memberships(request: HttpRequest) -> list[Membership]:
    """Every organization the signed-in person belongs to, read once per request: the page's
    own organization and the header's organization switcher both come from it."""
    memo: list[Membership] | None = request.__dict__.get("_tenfold_memberships")
    if memo is None:
        user = getattr(request, "user", None)
        memo = memberships_list(user) if user is not None and user.is_authenticated else []
        request.__dict__["_tenfold_memberships"] = memo
    return memo


def cycle_on_demand[T](request: HttpRequest, choose: Callable[[], T]) -> Callable[[], T]:
    """The page's cycle, read the first time something asks for it: a page served from its
    kept copy never does. A cycle named in the address is read at once, so one that is not
    there answers 404 before anything is served."""
    chosen = functools.cache(choose)
    if request.GET.get("cycle"):
        chosen()
    return chosen


def org_access(request: HttpRequest, slug: str) -> tuple[Organization, Access]:
    """404 unless the signed-in person belongs to the organization at `slug`."""
    org, access = access_to(request.user, slug, request_memberships(request))
    if request.session.get("org") != org.slug:
        request.session["org"] = org.slug  # the organization switcher remembers the last one
    return org, access


def render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    status: int = 200,
    fragment: Fragment | None = None,
    build: Callable[[], dict[str, Any]] | None = None,
) -> HttpResponse:
    """Render `template`, or only `template#partial` when htmx asks for a fragment.

    With a `fragment` (`tenfold.web.fragments`), what varies little between visitors comes
    from the fragment cache: the whole answer to htmx, the page's content inside the
    visitor's own header otherwise. Context values the cached part alone needs should be
    `lazy`, or returned by `build`, which is called only when no kept copy can be served."""
    if build is not None and (fragment is None or fragment.get() is None):
        context = {**context, **build()}
    as_partial = bool(partial and getattr(request, "htmx", False))
    name = f"{template}#{partial}" if as_partial else template
    if fragment is None:
        return TemplateResponse(request, name, context, status=status)
    if not as_partial:
        return TemplateResponse(
            request, name, {**context, "page_fragment": fragment}, status=status
        )
    found = fragment.get()
    if found is not None:
        return HttpResponse(found, status=status)
    response = TemplateResponse(request, name, context, status=status)
    html = fragment.draw(lambda: response.render().content.decode())
    fragment.put(html)
    if fragment.personalize is not None:
        response.content = fragment.personalize(html)
    return response


def apply_errors(form: Any, error: Any) -> None:
    """Put a service's ValidationError on a bound form: messages for fields the form has go
    beside those fields, all others at the top of the form."""
    from tenfold.lib.validation import error_dict

    for field, messages in error_dict(error).items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def check_in_from_form(form: Any, key_result: Any, by: Any, **extra: Any) -> bool:
    """Record the check-in a valid CheckInForm describes; refusals land on the form. True when
    it was recorded. `extra` passes on anything else the service takes (e.g. measured_at)."""
    from django.core.exceptions import ValidationError

    from tenfold.checkins.models import Source
    from tenfold.checkins.services import checkin_record

    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        checkin_record(
            key_result=key_result,
            value=data["value"],
            confidence=data["confidence"],
            note=data["note"],
            source=Source.WEB,
            by=by,
            **extra,
        )
    except ValidationError as error:
        apply_errors(form, error)
        return False
    return True
