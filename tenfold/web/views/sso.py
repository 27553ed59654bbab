"""Single sign-on: the email-first step of signing in with one's company identity provider,
and the organization settings page where owners and admins configure it."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenfold.accounts.sso import sso_configure, sso_for_email, sso_of

from ..shortcuts import apply_errors, render
from .organization import admin_access


class EmailForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Work email"))


@login_not_required
def sso_start(request: HttpRequest) -> HttpResponse:
    """Ask for a work email and send the person on to the identity provider of the
    organization whose single sign-on covers its domain."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = EmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        sso = sso_for_email(form.cleaned_data["email"])
        if sso is not None:
            url = reverse("openid_connect_login", kwargs={"provider_id": sso.app.provider_id})
            return redirect(f"{url}?{urlencode({'process': 'login'})}")
        form.add_error(
            "email",
            _(
                "No organization signs in this email domain with single sign-on. Sign in "
                "with your password instead."
            ),
        )
    status = 400 if form.is_bound else 200
    return render(request, "web/sso_start.html", {"form": form}, status=status)


class SsoForm(forms.Form):
    issuer = forms.CharField(
        label=gettext_lazy("Issuer URL"),
        max_length=300,
        help_text=gettext_lazy(
            "The address the identity provider publishes its "
            "/.well-known/openid-configuration under."
        ),
    )
    client_id = forms.CharField(label=gettext_lazy("Client id"), max_length=191)
    client_secret = forms.CharField(
        label=gettext_lazy("Client secret"),
        max_length=191,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Leave empty to keep the stored secret."),
    )
    domains = forms.CharField(
        label=gettext_lazy("Email domains"),
        max_length=1000,
        required=False,
        help_text=gettext_lazy("Separated by spaces or commas, such as example.com."),
    )
    enabled = forms.BooleanField(label=gettext_lazy("Single sign-on is on"), required=False)


def _masked(secret: str) -> str:
    """A stored secret as the page shows it: only its last four characters."""
    return "•" * 8 + secret[-4:] if secret else ""


@login_required
def settings_sso(request: HttpRequest, org: str) -> HttpResponse:
    """An organization's OpenID Connect sign-in: issuer, client, domains, on or off."""
    organization, access = admin_access(request, org)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    current = sso_of(organization)
    status = 200
    if request.method == "POST":
        form = SsoForm(request.POST)
        if form.is_valid():
            try:
                sso_configure(organization=organization, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Single sign-on saved."))
                return redirect("settings_sso", org=organization.slug)
        status = 400
    elif current is not None:
        form = SsoForm(
            initial={
                "issuer": current.app.settings.get("server_url", ""),
                "client_id": current.app.client_id,
                "domains": " ".join(current.domain_list),
                "enabled": current.enabled,
            }
        )
    else:
        form = SsoForm()
    callback = ""
    if current is not None:
        callback = request.build_absolute_uri(
            reverse("openid_connect_callback", kwargs={"provider_id": current.app.provider_id})
        )
    return render(
        request,
        "web/settings_sso.html",
        {
            "org": organization,
            "access": access,
            "tab": "sso",
            "form": form,
            "sso": current,
            "masked_secret": _masked(current.app.secret) if current else "",
            "callback": callback,
        },
        status=status,
    )
