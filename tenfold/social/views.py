"""Pages and htmx fragments for comments, reactions, mentions and the activity feed.

Each view is parse → authorize → call a service → render. Like the objective page, a refused
htmx write answers 200 with the messages inside the swapped fragment (htmx does not swap 4xx
answers), the same refusal as a plain form post answers 400 with the whole page, and a
successful plain post is redirected.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import get_unit
from tenfold.web.shortcuts import org_access, render

from . import services
from .models import BODY_MAX, Comment
from .selectors import activity as activity_page
from .selectors import decorate, get_comment, get_target, social_of, thread
from .targets import (
    COMMENT_KINDS,
    REACTION_KINDS,
    kind_of,
    may_talk,
    page_url,
    thread_url,
    title_of,
)

THREAD = "social/thread.html"


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _next(request: HttpRequest, fallback: str) -> str:
    """Where a plain form post returns to: its `next` field when it stays on this site."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback


def _thread_context(
    request: HttpRequest,
    org: Organization,
    access: Access,
    target: Any,
    *,
    errors: list[str] | None = None,
    body: str = "",
) -> dict[str, Any]:
    kind = kind_of(target)
    context: dict[str, Any] = {
        "org": org,
        "access": access,
        "kind": kind,
        "code": target.code,
        "title": title_of(target),
        "target_url": page_url(org.slug, target),
        "comments": thread(access, target),
        "can_comment": may_talk(access, target),
        "errors": errors or [],
        "body": body,
        "body_max": BODY_MAX,
    }
    if not _htmx(request):  # only the whole page shows the target's own reactions
        context["target_social"] = social_of(kind, [target], access.user_id)[target.pk]
    return context


@require_http_methods(["GET", "HEAD", "POST"])
def comments(request: HttpRequest, org: str, kind: str, code: str) -> HttpResponse:
    """A target's comment thread (GET), or a new comment on it (POST)."""
    organization, access = org_access(request, org)
    if kind not in COMMENT_KINDS:
        raise Http404
    target = get_target(access, kind, code)
    errors: list[str] = []
    body = ""
    if request.method == "POST":
        if not may_talk(access, target):
            raise PermissionDenied(_("Viewers can read the conversation but not take part in it."))
        body = request.POST.get("body", "")
        try:
            comment = services.comment_add(access=access, target=target, body=body, source="web")
        except ValidationError as error:
            errors = error.messages
        else:
            if not _htmx(request):
                return redirect(f"{thread_url(org, kind, code)}#comment-{comment.code}")
            body = ""
    context = _thread_context(request, organization, access, target, errors=errors, body=body)
    status = 400 if errors and not _htmx(request) else 200
    return render(request, THREAD, context, partial="thread", status=status)


def _managed_comment(access: Access, code: str) -> Comment:
    comment = get_comment(access, code)
    if not services.may_manage(access, comment):
        raise PermissionDenied(_("Only the author or an admin may change this comment."))
    return comment


@require_http_methods(["GET", "HEAD", "POST"])
def comment_edit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """The form to change a comment (GET), and the change (POST). htmx swaps the one comment."""
    organization, access = org_access(request, org)
    comment = _managed_comment(access, code)
    target = comment.target
    kind = kind_of(target)
    errors: list[str] = []
    body = comment.body
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            services.comment_edit(access=access, comment=comment, body=body)
        except ValidationError as error:
            errors = error.messages
        else:
            if not _htmx(request):
                return redirect(f"{thread_url(org, kind, target.code)}#comment-{comment.code}")
            decorate(access, target, [comment])
            context = {"org": organization, "access": access, "kind": kind, "code": target.code}
            context["comment"] = comment
            return render(request, f"{THREAD}#comment", context)
    context = {
        "org": organization,
        "access": access,
        "comment": comment,
        "kind": kind,
        "code": target.code,
        "title": title_of(target),
        "target_url": page_url(organization.slug, target),
        "thread_url": thread_url(org, kind, target.code),
        "body": body,
        "body_max": BODY_MAX,
        "errors": errors,
    }
    status = 400 if errors and not _htmx(request) else 200
    return render(request, "social/comment_edit.html", context, partial="edit_form", status=status)


@require_POST
def comment_delete(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Delete a comment; htmx gets the refreshed thread."""
    organization, access = org_access(request, org)
    comment = _managed_comment(access, code)
    target = comment.target
    services.comment_delete(access=access, comment=comment)
    if not _htmx(request):
        return redirect(thread_url(org, kind_of(target), target.code))
    context = _thread_context(request, organization, access, target)
    return render(request, THREAD, context, partial="thread")


@require_POST
def reactions(request: HttpRequest, org: str, kind: str, code: str) -> HttpResponse:
    """Toggle one of the person's reactions on a target; htmx gets the reaction bar."""
    organization, access = org_access(request, org)
    if kind not in REACTION_KINDS:
        raise Http404
    target = get_target(access, kind, code)
    if not may_talk(access, target):
        raise PermissionDenied(_("Viewers can see reactions but not add their own."))
    errors: list[str] = []
    try:
        services.reaction_toggle(access=access, target=target, emoji=request.POST.get("emoji", ""))
    except ValidationError as error:
        errors = error.messages
    if not errors and not _htmx(request):
        fallback = page_url(organization.slug, target)
        if kind == "comment":
            fallback = f"{thread_url(org, kind_of(target.target), target.target.code)}"
            fallback += f"#comment-{target.code}"
        return redirect(_next(request, fallback))
    context = {
        "org": organization,
        "access": access,
        "social": social_of(kind, [target], access.user_id)[target.pk],
        "title": title_of(target),
        "target_url": page_url(organization.slug, target),
        "reaction_errors": errors,
    }
    status = 400 if errors and not _htmx(request) else 200
    return render(request, "social/reactions.html", context, partial="bar", status=status)


@require_POST
def mentions_read(request: HttpRequest, org: str) -> HttpResponse:
    """Mark all of the person's mentions read; htmx gets the emptied panel."""
    organization, access = org_access(request, org)
    services.mentions_mark_read(access)
    if not _htmx(request):
        return redirect(_next(request, reverse("company", kwargs={"org": organization.slug})))
    context = {"org": organization, "access": access, "mentions": []}
    return render(request, "social/_mentions_panel.html", context)


def _before(request: HttpRequest) -> int | None:
    raw = request.GET.get("before", "")
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


def _feed(
    request: HttpRequest, organization: Organization, access: Access, unit: Any = None
) -> HttpResponse:
    page = activity_page(access, unit=unit, before=_before(request))
    context = {
        "org": organization,
        "access": access,
        "nav": "activity",
        "unit": unit,
        "page": page,
        "entries": page.entries,
        "is_older_page": _before(request) is not None,
    }
    return render(request, "social/activity.html", context, partial="feed")


@require_safe
def activity(request: HttpRequest, org: str) -> HttpResponse:
    """What happened across the organization, newest first."""
    organization, access = org_access(request, org)
    return _feed(request, organization, access)


@require_safe
def unit_activity(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """What happened in one unit: its objectives and its members' weeks."""
    organization, access = org_access(request, org)
    return _feed(request, organization, access, get_unit(organization, code))
