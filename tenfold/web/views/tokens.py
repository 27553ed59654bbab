"""A person's API tokens in one organization: make one (read-only or read-write), see when each
was last used, revoke one. The token itself is shown once, on the page the creation redirects
to; it waits in the session only until that page takes it out."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tenfold.accounts.models import ApiToken
from tenfold.accounts.services import api_token_create, api_token_revoke, service_token_create
from tenfold.organizations.models import Membership, Role
from tenfold.web.shortcuts import apply_errors, org_access, render

NEW_TOKEN_KEY = "new_api_token"  # nosec B105  # a session key's name, not a token
ACCESS_CHOICES = (
    ("read", gettext_lazy("Read only")),
    ("write", gettext_lazy("Read and write")),
)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=80,
        help_text=gettext_lazy("Where the token will be used, e.g. “Sales dashboard”."),
    )
    access = forms.ChoiceField(
        label=gettext_lazy("Access"),
        choices=ACCESS_CHOICES,
        initial="read",
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "A read-only token is refused anything that would change data. A read-write token "
            "may do what you may do."
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def my_tokens(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    user: Any = request.user
    made = None
    status = 200
    form = TokenForm()
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                _row, made = api_token_create(
                    user=user,
                    organization=organization,
                    name=form.cleaned_data["name"],
                    read_only=form.cleaned_data["access"] == "read",
                    by=user,
                )
            except ValidationError as error:
                apply_errors(form, error)
                status = 400
            else:
                # Shown once, after the redirect: a reload must not make a second token.
                request.session[NEW_TOKEN_KEY] = made
                return redirect("my_tokens", org=organization.slug)
        else:
            status = 400
    else:
        made = request.session.pop(NEW_TOKEN_KEY, None)
    tokens = list(ApiToken.objects.filter(user=user, organization=organization))
    return render(
        request,
        "web/my_tokens.html",
        {"org": organization, "access": access, "form": form, "tokens": tokens, "made": made},
        status=status,
    )


@require_POST
def my_token_revoke(request: HttpRequest, org: str) -> HttpResponse:
    organization, _access = org_access(request, org)
    prefix = (request.POST.get("prefix") or "").strip()
    user: Any = request.user
    token = ApiToken.objects.filter(user=user, organization=organization, prefix=prefix).first()
    if token is None:
        messages.error(request, _("There is no such token of yours."))
    else:
        api_token_revoke(token=token, by=request.user)
        messages.success(request, _("The token is revoked: it no longer opens anything."))
    return redirect("my_tokens", org=organization.slug)


ROLE_CHOICES = (
    ("viewer", gettext_lazy("Viewer: reads what every member may read")),
    ("member", gettext_lazy("Member: checks in and writes weekly items")),
    ("admin", gettext_lazy("Admin: may change anything in the organization")),
)


class ServiceTokenForm(TokenForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["access"].help_text = gettext_lazy(
            "A read-only token is refused anything that would change data. A read-write token "
            "may do what its role allows."
        )

    role = forms.ChoiceField(
        label=gettext_lazy("Acts as"),
        choices=ROLE_CHOICES,
        initial="viewer",
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "The token gets a service account of its own with this role. Give it the least "
            "it needs."
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def settings_tokens(request: HttpRequest, org: str) -> HttpResponse:
    """The organization's tokens, for its admins: service tokens (made here, acting as a
    service account) and everyone's personal tokens, each revocable."""
    from .organization import admin_access

    organization, access = admin_access(request, org)
    form = ServiceTokenForm()
    made = None
    status = 200
    if request.method == "POST":
        form = ServiceTokenForm(request.POST)
        if form.is_valid():
            try:
                _row, made = service_token_create(
                    organization=organization,
                    name=form.cleaned_data["name"],
                    role=form.cleaned_data["role"],
                    read_only=form.cleaned_data["access"] == "read",
                    by=request.user,
                )
            except ValidationError as error:
                apply_errors(form, error)
                status = 400
            else:
                request.session[NEW_TOKEN_KEY] = made
                return redirect("settings_tokens", org=organization.slug)
        else:
            status = 400
    else:
        made = request.session.pop(NEW_TOKEN_KEY, None)
    rows = list(
        ApiToken.objects.filter(organization=organization)
        .select_related("user")
        .order_by("-created_at", "-id")
    )
    roles = dict(
        Membership.objects.filter(
            organization=organization, user_id__in={row.user_id for row in rows}
        ).values_list("user_id", "role")
    )
    labels = dict(Role.choices)
    for row in rows:
        role = roles.get(row.user_id)
        row.role_label = labels.get(role, "") if role else ""  # type: ignore[attr-defined]
    return render(
        request,
        "web/settings_tokens.html",
        {
            "org": organization,
            "access": access,
            "tab": "tokens",
            "form": form,
            "made": made,
            "service": [row for row in rows if row.user.is_service],
            "personal": [row for row in rows if not row.user.is_service],
        },
        status=status,
    )


@require_POST
def settings_token_revoke(request: HttpRequest, org: str) -> HttpResponse:
    from .organization import admin_access

    organization, _access = admin_access(request, org)
    prefix = (request.POST.get("prefix") or "").strip()
    token = ApiToken.objects.filter(organization=organization, prefix=prefix).first()
    if token is None:
        messages.error(request, _("There is no such token in this organization."))
    else:
        api_token_revoke(token=token, by=request.user)
        messages.success(request, _("The token is revoked: it no longer opens anything."))
    return redirect("settings_tokens", org=organization.slug)
