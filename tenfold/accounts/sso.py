"""Single sign-on per organization with OpenID Connect: configuring it, finding the one an
email address belongs to, and deciding whether a sign-in through it is admitted."""

from __future__ import annotations

import re
from typing import Any

from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record
from tenfold.organizations.models import Membership, Organization

from .models import SingleSignOn, User

PROVIDER = "openid_connect"
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
WELL_KNOWN = "/.well-known/openid-configuration"


def provider_id_for(organization: Organization) -> str:
    """The allauth provider id of `organization`'s sign-in, as it appears in its URLs."""
    return f"org-{organization.slug}"


def parse_domains(text: str) -> list[str]:
    """Email domains from text separated by spaces, commas or new lines, lower case and
    without duplicates; a malformed one raises ValidationError."""
    found: list[str] = []
    for raw in re.split(r"[\s,;]+", text.strip().lower()):
        domain = raw.lstrip("@")
        if not domain:
            continue
        if not DOMAIN_RE.match(domain):
            raise ValidationError(
                {"domains": _("“%(domain)s” is not an email domain.") % {"domain": raw}}
            )
        if domain not in found:
            found.append(domain)
    return found


def clean_issuer(url: str) -> str:
    """The issuer URL without a trailing slash or discovery suffix; it must be http(s)."""
    url = url.strip()
    if url.endswith(WELL_KNOWN):
        url = url[: -len(WELL_KNOWN)]
    url = url.rstrip("/")
    if not re.match(r"^https?://[^/\s]+", url):
        raise ValidationError({"issuer": _("Enter the issuer URL, starting with https://.")})
    return url


def sso_of(organization: Organization) -> SingleSignOn | None:
    """`organization`'s single sign-on configuration, if it has one."""
    return SingleSignOn.objects.select_related("app").filter(organization=organization).first()


@transaction.atomic
def sso_configure(
    *,
    organization: Organization,
    issuer: str,
    client_id: str,
    client_secret: str,
    domains: str,
    enabled: bool,
    by: Any,
) -> SingleSignOn:
    """Create or change `organization`'s single sign-on. An empty `client_secret` keeps the
    stored one. Another organization's domain is refused, and so is turning it on without a
    domain or a secret."""
    issuer = clean_issuer(issuer)
    client_id = client_id.strip()
    if not client_id:
        raise ValidationError({"client_id": _("Enter the client id.")})
    domain_list = parse_domains(domains)
    taken = [
        d
        for other in SingleSignOn.objects.exclude(organization=organization)
        for d in other.domain_list
        if d in domain_list
    ]
    if taken:
        raise ValidationError(
            {"domains": _("Another organization signs in %(domain)s.") % {"domain": taken[0]}}
        )
    existing = sso_of(organization)
    secret = client_secret.strip() or (existing.app.secret if existing else "")
    if enabled and not domain_list:
        raise ValidationError({"domains": _("Name at least one email domain.")})
    if enabled and not secret:
        raise ValidationError({"client_secret": _("Enter the client secret.")})
    app = existing.app if existing else SocialApp(provider=PROVIDER)
    app.provider_id = provider_id_for(organization)
    app.name = organization.name
    app.client_id = client_id
    app.secret = secret
    app.settings = {"server_url": issuer}
    app.save()
    sso, _created = SingleSignOn.objects.update_or_create(
        organization=organization,
        defaults={"app": app, "domains": " ".join(domain_list), "enabled": enabled},
    )
    audit_record(
        organization=organization,
        actor=by,
        verb="sso.configured",
        obj=sso,
        changes={"issuer": issuer, "domains": domain_list, "enabled": enabled},
    )
    return sso


def sso_for_email(email: str) -> SingleSignOn | None:
    """The switched-on single sign-on covering `email`'s domain, if any."""
    domain = email.strip().lower().rpartition("@")[2]
    if not domain:
        return None
    for sso in SingleSignOn.objects.select_related("app", "organization").filter(enabled=True):
        if domain in sso.domain_list:
            return sso
    return None


def sso_admit(*, provider_id: str, email: str, verified: bool) -> User:
    """The person a sign-in through `provider_id` for `email` signs in as, or ValidationError
    saying why not: the sign-in must be on, the identity provider must vouch for the address,
    and the address must belong to an existing member of the organization. Nobody is made."""
    sso = (
        SingleSignOn.objects.select_related("organization")
        .filter(app__provider_id=provider_id)
        .first()
    )
    if sso is None or not sso.enabled:
        raise ValidationError(_("This single sign-on is switched off."))
    if not email or not verified:
        raise ValidationError(
            _(
                "Your identity provider did not confirm your email address, so you cannot "
                "sign in with it."
            )
        )
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if (
        user is None
        or not Membership.objects.filter(organization=sso.organization, user=user).exists()
    ):
        raise ValidationError(
            _(
                "There is no account for %(email)s in this organization. Ask an admin of "
                "your organization to add you."
            )
            % {"email": email}
        )
    return user
