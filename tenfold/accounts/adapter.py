from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class AccountAdapter(DefaultAccountAdapter):
    """Self-service sign-up is off unless the operator turns it on: people are normally
    invited into an organization."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(getattr(settings, "ACCOUNT_ALLOW_REGISTRATION", False))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on never makes accounts: a sign-in through an organization's identity
    provider is admitted only for a verified email address that already belongs to a member of
    that organization (tenfold.accounts.sso.sso_admit), and is then tied to that person."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Refuse the sign-in with a message on the sign-in page, or tie it to the member."""
        from .services import addresses_verified
        from .sso import sso_admit

        provider_id = sociallogin.account.provider
        addresses = sociallogin.email_addresses
        email = addresses[0].email if addresses else ""
        verified = bool(addresses and addresses[0].verified)
        try:
            user = sso_admit(provider_id=provider_id, email=email, verified=verified)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            raise ImmediateHttpResponse(redirect("account_login")) from None
        # The identity provider vouched for the address, which is this member's own.
        addresses_verified([user])
        if sociallogin.is_existing:
            if sociallogin.user.pk != user.pk:
                messages.error(request, _("This sign-in belongs to another account."))
                raise ImmediateHttpResponse(redirect("account_login"))
            return
        sociallogin.connect(request, user)
