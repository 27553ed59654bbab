"""The public page behind an invitation's link: accept it, as the invited person signed in or
by making an account. A link that cannot be used says why and names no organization."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tenfold.organizations.models import Invitation
from tenfold.organizations.services import (
    InvitationUnusable,
    invitation_of_token,
)
from tenfold.organizations.services import (
    invitation_accept as accept,
)

from ..shortcuts import apply_errors

User = get_user_model()


class NewAccountForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=150)
    password1 = forms.CharField(
        label=gettext_lazy("Password"), strip=False, widget=forms.PasswordInput
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password again"), strip=False, widget=forms.PasswordInput
    )

    def clean(self) -> dict[str, Any]:
        """The two passwords must match; their strength is checked by the service."""
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") != data["password1"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


GONE = {
    "unknown": gettext_lazy("This invitation link does not work. Ask for a new invitation."),
    "expired": gettext_lazy("This invitation has expired. Ask for a new invitation."),
    "used": gettext_lazy("This invitation has been accepted already. Sign in to continue."),
}


def _gone(request: HttpRequest, reason: str) -> HttpResponse:
    """Why a link cannot be used, with a 404 and nothing about the organization."""
    return TemplateResponse(
        request, "web/invitation_gone.html", {"message": GONE[reason]}, status=404
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the invitation; POST accepts it: in one click for the invited person signed
    in, with a name and a password for someone without an account."""
    try:
        invitation = invitation_of_token(token)
    except InvitationUnusable as gone:
        return _gone(request, gone.reason)
    user: Any = request.user if request.user.is_authenticated else None
    context: dict[str, Any] = {"invitation": invitation, "org": invitation.organization}
    if user is not None and (user.email or "").strip().lower() != invitation.email:
        context["wrong_email"] = True
        return TemplateResponse(request, "web/invitation_accept.html", context, status=403)
    has_account = user is None and User.objects.filter(email__iexact=invitation.email).exists()
    form = NewAccountForm(request.POST if request.method == "POST" else None)
    context.update(has_account=has_account, form=form)
    if request.method == "POST" and not has_account:
        if user is not None or form.is_valid():
            return _accept(request, token, invitation, user, form, context)
        return TemplateResponse(request, "web/invitation_accept.html", context, status=400)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "web/invitation_accept.html", context, status=status)


def _accept(
    request: HttpRequest,
    token: str,
    invitation: Invitation,
    user: Any,
    form: NewAccountForm,
    context: dict[str, Any],
) -> HttpResponse:
    """Accept for `user`, or for a new account made from `form`; sign the new person in."""
    try:
        if user is not None:
            membership = accept(token=token, user=user)
        else:
            membership = accept(
                token=token,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
            )
    except InvitationUnusable as gone:
        return _gone(request, gone.reason)
    except ValidationError as error:
        apply_errors(form, error)
        return TemplateResponse(request, "web/invitation_accept.html", context, status=400)
    if user is None:
        login(request, membership.user, backend="tenfold.accounts.backends.ModelBackend")
    messages.success(request, _("Welcome to %(org)s.") % {"org": invitation.organization.name})
    return redirect("company", org=invitation.organization.slug)
