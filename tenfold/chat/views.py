"""Pages of a unit's chat channels: the list with the add form, editing one channel, removing
it, and "Send test message".

Parse → authorize → service → render. Only the unit's leads and admins reach these pages
(403 for everyone else in the organization, 404 for other organizations). Writes are POST
only. The test button works as a plain form (the page comes back with a message) and, with
htmx, swaps just the channel's card with the outcome.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tenfold.organizations.models import Organization, Unit
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import get_unit
from tenfold.web.shortcuts import apply_errors, org_access, render

from . import services
from .forms import ChannelEditForm, ChannelForm
from .models import CHAT_KINDS, ChatChannel
from .selectors import can_manage_chat, channels_of, get_channel

PAGE = "chat/unit_chat.html"
EDIT = "chat/channel_edit.html"


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _page_url(organization: Organization, unit: Unit) -> str:
    return reverse("unit_chat", kwargs={"org": organization.slug, "code": unit.code})


def _managed_unit(request: HttpRequest, org: str, code: str) -> tuple[Organization, Access, Unit]:
    organization, access = org_access(request, org)
    unit = get_unit(organization, code)
    if not can_manage_chat(access, unit):
        raise PermissionDenied(_("Only the unit's leads and admins manage its chat channels."))
    unit.organization = organization
    return organization, access, unit


def _managed_channel(
    request: HttpRequest, org: str, code: str
) -> tuple[Organization, Access, ChatChannel]:
    organization, access = org_access(request, org)
    channel = get_channel(access, code)
    if not can_manage_chat(access, channel.unit):
        raise PermissionDenied(_("Only the unit's leads and admins manage its chat channels."))
    channel.unit.organization = organization
    return organization, access, channel


def _context(
    organization: Organization, access: Access, unit: Unit, **extra: Any
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "org": organization,
        "access": access,
        "unit": unit,
        "channels": channels_of(unit),
        "form": ChannelForm(
            initial={"provider": "slack", "kinds": services.default_kinds(unit)},
            auto_id="chat-add-%s",
        ),
    }
    context.update(extra)
    return context


@require_safe
def unit_chat(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access, unit = _managed_unit(request, org, code)
    return render(request, PAGE, _context(organization, access, unit))


@require_POST
def unit_chat_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access, unit = _managed_unit(request, org, code)
    form = ChannelForm(request.POST, auto_id="chat-add-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            channel = services.channel_create(
                access=access,
                unit=unit,
                provider=data["provider"],
                name=data["name"],
                url=data["url"],
                kinds=data["kinds"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Channel “%(name)s” added. Send a test message to check that it arrives.")
                % {"name": channel.name},
            )
            warning = services.url_warning(channel.provider, channel.webhook_url)
            if warning:
                messages.warning(request, warning)
            return redirect(_page_url(organization, unit) + f"#channel-{channel.code}")
    context = _context(organization, access, unit, form=form)
    return render(request, PAGE, context, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
def chat_channel_edit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access, channel = _managed_channel(request, org, code)
    unit = channel.unit
    if request.method == "POST":
        form = ChannelEditForm(request.POST, auto_id="chat-edit-%s")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.channel_update(
                    access=access,
                    channel=channel,
                    name=data["name"],
                    kinds=data["kinds"],
                    active=data["active"],
                    url=data["url"] or None,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Channel saved."))
                if data["url"]:
                    warning = services.url_warning(channel.provider, channel.webhook_url)
                    if warning:
                        messages.warning(request, warning)
                return redirect(_page_url(organization, unit) + f"#channel-{channel.code}")
    else:
        form = ChannelEditForm(
            initial={
                "name": channel.name,
                "kinds": [kind for kind in CHAT_KINDS if kind in (channel.kinds or [])],
                "active": channel.active,
            },
            auto_id="chat-edit-%s",
        )
    context = {
        "org": organization,
        "access": access,
        "unit": unit,
        "channel": channel,
        "form": form,
    }
    return render(request, EDIT, context, status=400 if request.method == "POST" else 200)


@require_POST
def chat_channel_delete(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access, channel = _managed_channel(request, org, code)
    unit = channel.unit
    name = channel.name
    services.channel_delete(access=access, channel=channel)
    messages.success(
        request, _("Channel “%(name)s” removed. Nothing more is posted to it.") % {"name": name}
    )
    return redirect(_page_url(organization, unit))


@require_POST
def chat_channel_test(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Post a test message now and say whether it arrived."""
    organization, access, channel = _managed_channel(request, org, code)
    unit = channel.unit
    error = ""
    try:
        services.channel_test(access=access, channel=channel)
    except services.ChatError as problem:
        error = str(problem)
    if _htmx(request):
        context = {
            "org": organization,
            "access": access,
            "unit": unit,
            "channel": channel,
            "result": {"ok": not error, "error": error},
        }
        return render(request, f"{PAGE}#channel", context)
    if error:
        messages.error(
            request,
            _("The test message to “%(name)s” did not arrive: %(error)s")
            % {"name": channel.name, "error": error},
        )
    else:
        messages.success(
            request,
            _("Test message sent to “%(name)s”. Check the channel.") % {"name": channel.name},
        )
    return redirect(_page_url(organization, unit) + f"#channel-{channel.code}")
