"""Calendar pages: the feed itself (opened by its secret link, no sign-in), the personal
calendar page with its links, and resetting a link.

The feed answers 404 to anything but a valid, current token, so a guessed or reset link
learns nothing. Resetting is a POST; people reset their own link, leads and admins a unit's.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tenfold.organizations.models import UnitMember
from tenfold.organizations.selectors import get_unit
from tenfold.web.shortcuts import org_access, render

from . import services
from .feeds import person_calendar, rhythms_of, unit_calendar
from .selectors import (
    may_reset_unit_feed,
    person_feed_url,
    read_token,
    unit_feed_urls,
    webcal_url,
)

CONTENT_TYPE = "text/calendar; charset=utf-8"


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = read_token(token)
    if feed is None:
        raise Http404
    now = timezone.now()
    if feed.unit is not None:
        body = unit_calendar(feed.organization, feed.unit, now)
    else:
        assert feed.membership is not None
        body = person_calendar(feed.organization, feed.membership.user, now)
    response = HttpResponse(body.encode("utf-8"), content_type=CONTENT_TYPE)
    # Private: the link is the credential, so no shared cache may keep a copy.
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def my_calendar(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    user = access.membership.user
    rows = list(
        UnitMember.objects.filter(organization=organization, user=user)
        .select_related("unit")
        .order_by("unit__order", "unit__name")
    )
    units = [row.unit for row in rows]
    urls = unit_feed_urls(organization, units)
    rhythms = rhythms_of(organization, units)
    url = person_feed_url(organization, user)
    context = {
        "org": organization,
        "access": access,
        "url": url,
        "webcal": webcal_url(url),
        "teams": [
            {
                "unit": row.unit,
                "is_lead": row.is_lead,
                "url": urls[row.unit.id],
                "rhythm": rhythms[row.unit.id],
            }
            for row in rows
        ],
    }
    return render(request, "calendars/my_calendar.html", context)


@require_POST
def my_calendar_reset(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    services.person_feed_reset(access=access)
    messages.success(
        request,
        _("New link made. The old one no longer works: subscribe again with the new one."),
    )
    return redirect(reverse("my_calendar", kwargs={"org": organization.slug}))


@require_POST
def unit_calendar_reset(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    unit = get_unit(organization, code)
    if not may_reset_unit_feed(access, unit):
        raise PermissionDenied(_("Only the unit's leads and admins can reset its calendar link."))
    services.unit_feed_reset(access=access, unit=unit)
    messages.success(
        request,
        _(
            "New link made for %(unit)s. The old one no longer works: everyone subscribed to it "
            "needs the new one."
        )
        % {"unit": unit.name},
    )
    return redirect(
        reverse("unit", kwargs={"org": organization.slug, "code": unit.code}) + "#calendar"
    )
