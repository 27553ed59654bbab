"""Single sign-on per organization, end to end against a small OpenID Connect provider this
module starts on 127.0.0.1: discovery, authorization (it consents at once for whichever person
the test sets), a token endpoint issuing RS256-signed ID tokens, its key set and userinfo."""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from tenfold.accounts.models import SingleSignOn, User
from tenfold.accounts.sso import sso_configure
from tenfold.conftest import make_user
from tenfold.organizations.models import Organization
from tenfold.organizations.services import organization_create, person_add

pytestmark = pytest.mark.django_db

CLIENT_ID = "tenfold-test"
CLIENT_SECRET = "s3cret-for-the-test-idp"


class Provider:
    """What the identity provider knows: its key, the person it signs in next, and the codes
    it has handed out."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.person: dict[str, Any] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.issuer = ""


def handler_for(idp: Provider) -> type[BaseHTTPRequestHandler]:
    """A request handler serving `idp`'s five endpoints."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output quiet."""

        def _json(self, body: dict[str, Any], status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            """Discovery, key set, userinfo, and authorization that consents at once."""
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            if url.path == "/.well-known/openid-configuration":
                self._json(
                    {
                        "issuer": idp.issuer,
                        "authorization_endpoint": f"{idp.issuer}/authorize",
                        "token_endpoint": f"{idp.issuer}/token",
                        "userinfo_endpoint": f"{idp.issuer}/userinfo",
                        "jwks_uri": f"{idp.issuer}/jwks",
                        "response_types_supported": ["code"],
                        "id_token_signing_alg_values_supported": ["RS256"],
                        "token_endpoint_auth_methods_supported": ["client_secret_post"],
                    }
                )
            elif url.path == "/jwks":
                jwk = jwt.algorithms.RSAAlgorithm.to_jwk(idp.key.public_key(), as_dict=True)
                self._json({"keys": [{**jwk, "kid": "test-key", "alg": "RS256", "use": "sig"}]})
            elif url.path == "/userinfo":
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                if token not in idp.tokens:
                    self._json({"error": "invalid_token"}, 401)
                    return
                self._json(idp.tokens[token])
            elif url.path == "/authorize":
                if query.get("client_id") != CLIENT_ID:
                    self._json({"error": "unauthorized_client"}, 400)
                    return
                code = secrets.token_urlsafe(16)
                idp.codes[code] = {**idp.person, "nonce": query.get("nonce")}
                back = {"code": code, "state": query.get("state", "")}
                self.send_response(302)
                self.send_header(
                    "Location", f"{query['redirect_uri']}?{urllib.parse.urlencode(back)}"
                )
                self.end_headers()
            else:
                self._json({"error": "not_found"}, 404)

        def do_POST(self) -> None:
            """The token endpoint: a code and the client's secret for an ID token."""
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            claims = idp.codes.pop(form.get("code", ""), None)
            if self.path != "/token" or claims is None:
                self._json({"error": "invalid_grant"}, 400)
                return
            if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
                self._json({"error": "invalid_client"}, 401)
                return
            now = int(time.time())
            nonce = claims.pop("nonce")
            body = {**claims, "iss": idp.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300}
            if nonce:
                body["nonce"] = nonce
            access = secrets.token_urlsafe(16)
            idp.tokens[access] = claims
            id_token = jwt.encode(body, idp.key, algorithm="RS256", headers={"kid": "test-key"})
            self._json(
                {
                    "access_token": access,
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": id_token,
                }
            )

    return Handler


@pytest.fixture(scope="module")
def idp() -> Iterator[Provider]:
    """The identity provider, listening on a free port of 127.0.0.1 for the module."""
    provider = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(provider))
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield provider
    server.shutdown()
    server.server_close()


@pytest.fixture
def orgs(idp: Provider, monkeypatch: pytest.MonkeyPatch) -> tuple[Organization, Organization]:
    """Acme (single sign-on for acme.test, with Ann as a member) and Globex (Gus only); both
    sign in through the test identity provider."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    owner = make_user("owner@acme.test", "Olga Owner")
    acme = organization_create(name="Acme", slug="acme", owner=owner)
    globex = organization_create(
        name="Globex", slug="globex", owner=make_user("gus@globex.test", "Gus")
    )
    person_add(organization=acme, email="ann@acme.test", name="Ann", by=owner)
    for org, domain in ((acme, "acme.test"), (globex, "globex.test")):
        sso_configure(
            organization=org,
            issuer=idp.issuer,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            domains=domain,
            enabled=True,
            by=owner,
        )
    return acme, globex


def sign_in_via_sso(client: Client, idp: Provider, email: str, claims: dict[str, Any]) -> Any:
    """Walk the whole flow: the email step, allauth's start, the identity provider (over real
    HTTP), and the callback. The callback's response."""
    idp.person = {"sub": f"sub-{claims['email']}", **claims}
    step = client.post(reverse("sso_start"), {"email": email})
    assert step.status_code == 302, step.content[:300]
    start = client.post(step["Location"])
    assert start.status_code == 302, start.content[:300]
    authorize = start["Location"]
    assert authorize.startswith(f"{idp.issuer}/authorize?")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.ProxyHandler({}))
    try:
        opener.open(authorize)
    except urllib.error.HTTPError as answer:
        back = answer.headers["Location"]
    else:  # pragma: no cover - the provider always redirects
        raise AssertionError("the identity provider did not redirect back")
    parts = urllib.parse.urlsplit(back)
    assert parts.path.startswith("/accounts/oidc/org-")
    assert parts.path.endswith("/login/callback/")
    return client.get(f"{parts.path}?{parts.query}")


def refusal(response: Any) -> str:
    """The error message a refused sign-in leaves for the sign-in page."""
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_member_signs_in_and_lands_in_their_organization(idp: Provider, orgs: Any) -> None:
    client = Client()
    done = sign_in_via_sso(
        client, idp, "ann@acme.test", {"email": "ann@acme.test", "email_verified": True}
    )
    assert done.status_code == 302, done.content[:500]
    landing = client.get(done["Location"], follow=True)
    assert getattr(landing.wsgi_request.user, "email", "") == "ann@acme.test"
    assert landing.wsgi_request.path.startswith("/acme/")
    assert SocialAccount.objects.get(provider="org-acme").user.email == "ann@acme.test"
    # A second sign-in goes through the account now tied to Ann.
    again = Client()
    done = sign_in_via_sso(
        again, idp, "ann@acme.test", {"email": "ann@acme.test", "email_verified": True}
    )
    assert done.status_code == 302 and done["Location"] != reverse("account_login")
    assert SocialAccount.objects.count() == 1


def test_unknown_email_is_refused_and_no_account_is_made(idp: Provider, orgs: Any) -> None:
    users = User.objects.count()
    done = sign_in_via_sso(
        Client(), idp, "nobody@acme.test", {"email": "nobody@acme.test", "email_verified": True}
    )
    assert "There is no account for nobody@acme.test in this organization" in refusal(done)
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()
    assert "_auth_user_id" not in done.wsgi_request.session


def test_unverified_email_is_refused(idp: Provider, orgs: Any) -> None:
    done = sign_in_via_sso(
        Client(), idp, "ann@acme.test", {"email": "ann@acme.test", "email_verified": False}
    )
    assert "did not confirm your email address" in refusal(done)
    assert not SocialAccount.objects.exists()


def test_one_organizations_sign_on_cannot_reach_a_member_of_another(
    idp: Provider, orgs: Any
) -> None:
    """Acme's identity provider vouches for Gus, who is only in Globex: refused."""
    done = sign_in_via_sso(
        Client(), idp, "ann@acme.test", {"email": "gus@globex.test", "email_verified": True}
    )
    assert "There is no account for gus@globex.test in this organization" in refusal(done)
    assert not SocialAccount.objects.exists()


def test_switched_off_sign_on_is_refused(idp: Provider, orgs: Any) -> None:
    acme, _globex = orgs
    SingleSignOn.objects.filter(organization=acme).update(enabled=False)
    step = Client().post(reverse("sso_start"), {"email": "ann@acme.test"})
    assert step.status_code == 400
    assert "No organization signs in this email domain" in step.content.decode()


def test_admin_configures_and_the_secret_stays_masked(alice: User, org: Organization) -> None:
    client = Client()
    client.force_login(alice)
    url = reverse("settings_sso", kwargs={"org": org.slug})
    form = {
        "issuer": "https://id.example.org/.well-known/openid-configuration",
        "client_id": "acme-okr",
        "client_secret": "very-secret-value-1234",
        "domains": "Example.org, example.net",
        "enabled": "on",
    }
    assert client.post(url, form).status_code == 302
    sso = SingleSignOn.objects.get(organization=org)
    assert sso.app.settings == {"server_url": "https://id.example.org"}
    assert sso.domain_list == ["example.org", "example.net"]
    page = client.get(url).content.decode()
    assert "very-secret-value-1234" not in page and "1234" in page
    # An empty secret keeps the stored one; a bad domain changes nothing.
    assert client.post(url, {**form, "client_secret": ""}).status_code == 302
    assert SingleSignOn.objects.get(organization=org).app.secret == "very-secret-value-1234"
    bad = client.post(url, {**form, "domains": "not a domain!"})
    assert bad.status_code == 400
    assert SingleSignOn.objects.get(organization=org).domain_list == ["example.org", "example.net"]


def test_only_admins_open_the_sso_settings(alice: User, bob: User, org: Organization) -> None:
    person_add(organization=org, email=bob.email, by=alice)
    client = Client()
    client.force_login(bob)
    assert client.get(reverse("settings_sso", kwargs={"org": org.slug})).status_code == 403


def test_sign_in_page_offers_single_sign_on_without_listing_organizations(
    idp: Provider, orgs: Any
) -> None:
    page = Client().get(reverse("account_login")).content.decode()
    assert reverse("sso_start") in page
    assert "org-acme" not in page and "Globex" not in page
    assert Client().get(reverse("sso_start")).status_code == 200
