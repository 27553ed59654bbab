"""Pages of the digests: the weekly digest of a team or of the company (the email itself, as a
page), "email me this now", the subscribers of the organization's settings with a preview of
what they receive, and the unsubscribe link that works without signing in.

Parse → authorize → call a service → render. Writes are POST only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tenfold.checkins.weekly import parse_week, week_of
from tenfold.organizations.models import Organization, Unit, UnitKind
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import unit_tree
from tenfold.web.shortcuts import apply_errors, org_access, render
from tenfold.web.views.organization import admin_access

from . import emails, services
from .forms import SubscriberForm
from .models import Subscriber
from .selectors import (
    digest_for,
    get_digest_unit,
    get_subscriber,
    may_read,
    readable_units,
    subscriber_digest,
    subscribers_of,
    week_end_of,
)

ONE_WEEK = dt.timedelta(days=7)


# --- the digest page ------------------------------------------------------------------------------


def _digest_url(organization: Organization, unit: Unit | None, week: dt.date | None) -> str:
    query: dict[str, str] = {}
    if unit is not None:
        query["unit"] = unit.code
    if week is not None:
        query["week"] = week.isoformat()
    url = reverse("digest", kwargs={"org": organization.slug})
    return f"{url}?{urlencode(query)}" if query else url


def _chosen(
    request: HttpRequest, organization: Organization, access: Access, params: Any
) -> tuple[Unit | None, dt.date]:
    """The unit and week asked for, once the person may read that unit's digest."""
    unit = get_digest_unit(access, organization, params.get("unit"))
    if not may_read(access, unit):
        raise PermissionDenied(
            _("This digest is for the team's members, the leads above it and admins.")
        )
    return unit, parse_week(organization, params.get("week"))


@require_safe
def digest_page(request: HttpRequest, org: str) -> HttpResponse:
    """The weekly digest of a unit (`?unit=CODE`) or of the company, for a week
    (`?week=YYYY-MM-DD`, default: this one) — exactly what the email shows."""
    organization, access = org_access(request, org)
    unit, week = _chosen(request, organization, access, request.GET)
    digest = digest_for(organization, unit, week_end_of(organization, week))
    this_week = week_of(organization)
    units = readable_units(access, organization)
    context: dict[str, Any] = {
        "org": organization,
        "access": access,
        "nav": "digest",
        "unit": unit,
        "week": week,
        "units": [u for u in units if u.kind != UnitKind.COMPANY],
        "mail": emails.member_context(digest),
        "previous_url": _digest_url(organization, unit, week - ONE_WEEK),
        "next_url": (_digest_url(organization, unit, week + ONE_WEEK) if week < this_week else ""),
        "this_week": this_week,
    }
    return render(request, "digests/page.html", context)


@require_POST
def digest_send(request: HttpRequest, org: str) -> HttpResponse:
    """Email the digest on the page to the person looking at it, and nobody else."""
    organization, access = org_access(request, org)
    unit, week = _chosen(request, organization, access, request.POST)
    row = services.digest_email_now(
        access=access, unit=unit, week_end=week_end_of(organization, week)
    )
    email = access.membership.user.email
    if row is None:
        messages.info(request, _("This digest was just sent to %(email)s.") % {"email": email})
    elif row.status == "sent":
        messages.success(request, _("Sent to %(email)s.") % {"email": email})
    else:
        messages.error(
            request,
            _("The email could not be sent: %(error)s. It will be tried again shortly.")
            % {"error": row.error},
        )
    return redirect(_digest_url(organization, unit, week))


# --- subscribers (settings) -----------------------------------------------------------------------


def _units(organization: Organization) -> list[Unit]:
    return [unit for unit, _depth in unit_tree(organization) if unit.parent_id is not None]


def _preview(subscriber: Subscriber) -> dict[str, Any]:
    """What the subscriber would receive if the digest went out now."""
    digest = subscriber_digest(subscriber, timezone.now())
    rendered_context = emails.subscriber_context(
        digest,
        sections=emails.subscriber_sections(subscriber),
        include_names=subscriber.include_names,
    )
    return rendered_context


def _unsaved(organization: Organization, form: SubscriberForm) -> Subscriber | None:
    """A subscriber made of a valid form's answers, for a preview; not saved."""
    if not form.is_valid():
        return None
    subscriber = Subscriber(
        organization=organization,
        email=form.cleaned_data["email"],
        unit=form.chosen_unit(),
        sections=list(form.cleaned_data["sections"]),
        include_names=form.cleaned_data["include_names"],
    )
    subscriber.organization = organization
    return subscriber


def _settings_context(
    organization: Organization, access: Access, form: SubscriberForm, **extra: Any
) -> dict[str, Any]:
    return {
        "org": organization,
        "access": access,
        "tab": "integrations",
        "subscribers": subscribers_of(organization),
        "form": form,
        **extra,
    }


@require_safe
def settings_subscribers(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = admin_access(request, org)
    form = SubscriberForm(units=_units(organization), auto_id="subscriber-%s")
    return render(
        request, "digests/subscribers.html", _settings_context(organization, access, form)
    )


@require_POST
def subscriber_add(request: HttpRequest, org: str) -> HttpResponse:
    """Add a subscriber, or (`action=preview`) show what they would receive without adding."""
    organization, access = admin_access(request, org)
    form = SubscriberForm(request.POST, units=_units(organization), auto_id="subscriber-%s")
    if request.POST.get("action") == "preview":
        unsaved = _unsaved(organization, form)
        preview = _preview(unsaved) if unsaved is not None else None
        context = _settings_context(organization, access, form, preview=preview)
        return render(request, "digests/subscribers.html", context)
    if form.is_valid():
        data = form.cleaned_data
        try:
            subscriber = services.subscriber_add(
                access=access,
                email=data["email"],
                name=data["name"],
                unit=form.chosen_unit(),
                sections=data["sections"],
                include_names=data["include_names"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(email)s will receive the digest from its next week on.")
                % {"email": subscriber.email},
            )
            return redirect("subscriber_edit", org=organization.slug, code=subscriber.code)
    context = _settings_context(organization, access, form)
    return render(request, "digests/subscribers.html", context, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
def subscriber_edit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """One subscriber: change what they receive, with a preview of it."""
    organization, access = admin_access(request, org)
    subscriber = get_subscriber(organization, code)
    units = _units(organization)
    initial = {
        "email": subscriber.email,
        "name": subscriber.name,
        "unit": subscriber.unit.code if subscriber.unit else "company",
        "sections": subscriber.sections,
        "include_names": subscriber.include_names,
        "active": subscriber.active,
    }
    posted = request.method == "POST"
    form = SubscriberForm(
        request.POST if posted else None,
        initial=initial,
        units=units,
        with_active=True,
        auto_id="subscriber-%s",
    )
    shown = subscriber
    status = 200
    if posted and request.POST.get("action") == "preview":
        shown = _unsaved(organization, form) or subscriber
    elif posted:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.subscriber_update(
                    access=access,
                    subscriber=subscriber,
                    email=data["email"],
                    name=data["name"],
                    unit=form.chosen_unit(),
                    sections=data["sections"],
                    include_names=data["include_names"],
                    active=data["active"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Subscriber saved."))
                return redirect("subscriber_edit", org=organization.slug, code=subscriber.code)
    context = {
        "org": organization,
        "access": access,
        "tab": "integrations",
        "subscriber": subscriber,
        "form": form,
        "preview": _preview(shown),
    }
    return render(request, "digests/subscriber_edit.html", context, status=status)


@require_POST
def subscriber_delete(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = admin_access(request, org)
    subscriber = get_subscriber(organization, code)
    services.subscriber_remove(access=access, subscriber=subscriber)
    messages.success(
        request, _("%(email)s no longer receives the digest.") % {"email": subscriber.email}
    )
    return redirect("settings_subscribers", org=organization.slug)


# --- unsubscribing --------------------------------------------------------------------------------


@login_not_required
@csrf_exempt  # the signed token is the credential; mail clients' one-click POST has no cookie
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """A subscriber's own link: GET asks for confirmation (link checkers in mail systems open
    links, and must not unsubscribe anyone), POST unsubscribes — or subscribes again with
    `action=subscribe`. A forged token finds nothing (404)."""
    from django.http import Http404

    subscriber = emails.subscriber_of_token(token)
    if subscriber is None:
        raise Http404
    done = ""
    if request.method == "POST":
        again = request.POST.get("action") == "subscribe"
        subscriber = services.subscriber_unsubscribe(subscriber=subscriber, subscribe=again)
        done = "subscribed" if again else "unsubscribed"
    context = {"subscriber": subscriber, "organization": subscriber.organization, "done": done}
    return render(request, "digests/unsubscribe.html", context)
