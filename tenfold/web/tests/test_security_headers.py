"""Security headers: every main page carries a Content-Security-Policy whose nonce is the one
each of its <script> tags carries (also when the page comes from a kept copy), refuses
framing and sniffing, and with the HTTPS profile (BEHIND_TLS_PROXY=1) adds HSTS, Secure
cookies and the redirect to https; `tenfold check --deploy` is clean under that profile."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse

from tenfold.conftest import PASSWORD, not_on_postgresql
from tenfold.okrs.models import KeyResult
from tenfold.organizations.models import Organization, Unit
from tenfold.web import fragments

NOW = "2026-11-16 12:00:00+00:00"
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
NONCE_ATTRIBUTE = re.compile(r'\bnonce="([^"]*)"')
POLICY_NONCE = re.compile(r"'nonce-([^']+)'")


def policy_of(response: HttpResponseBase) -> dict[str, list[str]]:
    """The Content-Security-Policy header as directive -> values."""
    header = response.headers.get("Content-Security-Policy", "")
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def policy_nonce(response: HttpResponseBase) -> str | None:
    """The nonce the policy allows scripts with, if it names one."""
    for value in policy_of(response).get("script-src", []):
        found = POLICY_NONCE.fullmatch(value)
        if found:
            return found[1]
    return None


def body_of(response: HttpResponseBase) -> str:
    assert isinstance(response, HttpResponse)
    return response.content.decode()


def scripts_off_the_policy(response: HttpResponseBase) -> list[str]:
    """The <script> tags of the body whose nonce is missing or not the policy's."""
    allowed = policy_nonce(response)
    wrong = []
    for tag in SCRIPT_TAG.findall(body_of(response)):
        found = NONCE_ATTRIBUTE.search(tag)
        if found is None or allowed is None or found[1] != allowed:
            wrong.append(tag)
    return wrong


def script_count(response: HttpResponseBase) -> int:
    return len(SCRIPT_TAG.findall(body_of(response)))


def main_pages(org: Organization, company: Unit, key_result: KeyResult) -> dict[str, str]:
    """The pages people open most, signed in; every one of them is kept between requests
    except the forms and the ideas board, which carry scripts of their own."""
    slug = org.slug
    return {
        "company": reverse("company", args=[slug]),
        "dashboard": reverse("dashboard", args=[slug]),
        "tree": reverse("tree", args=[slug]),
        "unit": reverse("unit", args=[slug, company.code]),
        "objective": reverse("objective", args=[slug, key_result.objective.code]),
        "my week": reverse("my_week", args=[slug]),
        "new objective": reverse("objective_new", args=[slug]),
        "ideas": reverse("ideas", args=[slug]),
        "api": f"/api/v1/orgs/{slug}/objectives",
    }


@pytest.fixture
def alices_client(alice: Any) -> Client:
    client = Client()
    client.force_login(alice)
    return client


# --- the policy on every page -------------------------------------------------------------------


def test_the_policy_allows_scripts_only_from_the_site_and_with_the_nonce(
    client: Client,
) -> None:
    response = client.get(reverse("account_login"))
    policy = policy_of(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'" and len(policy["script-src"]) == 2
    assert policy_nonce(response) is not None
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in header


@time_machine.travel(NOW, tick=False)
def test_every_main_page_carries_the_policy_and_its_nonce_on_every_script(
    alices_client: Client, org: Organization, company: Unit, key_result: KeyResult
) -> None:
    pages = main_pages(org, company, key_result)
    alices_client.get(pages["dashboard"])  # signing in wrote: later copies stay valid
    nonces: set[str | None] = set()
    counted = scripts = 0
    # Twice each: the second answer of a kept page comes from its kept copy.
    for _round in range(2):
        for name, url in pages.items():
            response = alices_client.get(url)
            assert response.status_code == 200, (name, response.content[:200])
            assert "Content-Security-Policy" in response.headers, name
            assert scripts_off_the_policy(response) == [], name
            if name == "api":
                assert script_count(response) == 0
            else:
                assert script_count(response) >= 1, name  # htmx at least
                nonces.add(policy_nonce(response))
                counted += 1
                scripts += script_count(response)
    assert None not in nonces and len(nonces) == counted  # a new nonce for every answer
    print(f"CSP: {counted} page answers, {scripts} script tags, all with their answer's nonce")


def test_the_sign_in_page_carries_the_nonce_on_its_scripts(client: Client) -> None:
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert script_count(response) >= 1
    assert scripts_off_the_policy(response) == []


@time_machine.travel(NOW, tick=False)
def test_every_page_refuses_framing_and_sniffing_and_keeps_its_referrer_at_home(
    alices_client: Client, client: Client, org: Organization, company: Unit, key_result: KeyResult
) -> None:
    answers = [alices_client.get(url) for url in main_pages(org, company, key_result).values()]
    answers.append(client.get(reverse("account_login")))
    for response in answers:
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        # Plain http (the test client's default) gets no HSTS, whatever the profile.
        assert "Strict-Transport-Security" not in response.headers


def test_htmx_is_told_not_to_eval_nor_to_inject_styles(client: Client) -> None:
    html = client.get(reverse("account_login")).content.decode()
    found = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', html)
    assert found is not None
    assert json.loads(found[1]) == {"allowEval": False, "includeIndicatorStyles": False}
    # No attribute asks htmx to evaluate code (hx-on, js: values, filtered triggers).
    templates = Path(__file__).resolve().parents[2]
    for path in templates.glob("*/templates/**/*.html"):
        text = path.read_text()
        assert not re.search(r"hx-on|hx-vars|js:|hx-trigger=\"[^\"]*\[", text), path


# --- kept copies --------------------------------------------------------------------------------


@pytest.fixture
def kept_names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the fragments kept during the test, in order."""
    names: list[str] = []
    put = fragments.Fragment.put

    def recording(self: fragments.Fragment, value: Any) -> None:
        names.append(self.name)
        put(self, value)

    monkeypatch.setattr(fragments.Fragment, "put", recording)
    return names


def unit_page_twice(client: Client, org: Organization, company: Unit) -> list[HttpResponseBase]:
    url = reverse("unit", args=[org.slug, company.code])
    client.get(reverse("dashboard", args=[org.slug]))  # signing in wrote: settle first
    return [client.get(url), client.get(url)]


@time_machine.travel(NOW, tick=False)
def test_two_answers_from_one_kept_copy_each_carry_their_own_nonce(
    alices_client: Client, org: Organization, company: Unit, kept_names: list[str]
) -> None:
    first, second = unit_page_twice(alices_client, org, company)
    assert kept_names.count("unit") == 1  # the second answer came from the kept copy
    # The unit's calendar card, inside the kept part, loads a script of its own.
    assert "calendars/copy" in body_of(second)
    for response in (first, second):
        assert scripts_off_the_policy(response) == []
    stale = policy_nonce(first)
    assert stale is not None and stale != policy_nonce(second)
    assert stale not in body_of(second)


@time_machine.travel(NOW, tick=False)
def test_without_the_nonce_mark_a_kept_copy_would_carry_a_stale_nonce(
    alices_client: Client,
    org: Organization,
    company: Unit,
    kept_names: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The check above catches the trap: a copy kept with the nonce of the answer it was
    drawn for serves that nonce again, which the next answer's policy does not allow."""
    monkeypatch.setattr(fragments, "to_keep", lambda html, request: html)
    _first, second = unit_page_twice(alices_client, org, company)
    assert kept_names.count("unit") == 1
    stale = scripts_off_the_policy(second)
    assert len(stale) == 1 and "calendars/copy" in stale[0]


def test_a_kept_copy_holds_a_mark_and_each_answer_gets_its_own_nonce(rf: Any) -> None:
    from django.utils.csp import LazyNonce

    drawn_for = rf.get("/")
    drawn_for._csp_nonce = LazyNonce()
    html = f'<script src="/a.js" nonce="{drawn_for._csp_nonce}"></script>'
    kept = fragments.to_keep(html, drawn_for)
    assert str(drawn_for._csp_nonce) not in kept
    later = rf.get("/")
    later._csp_nonce = LazyNonce()
    assert not later._csp_nonce  # not drawn yet: the policy header would leave it out
    served = fragments.to_serve(kept, later)
    assert served == f'<script src="/a.js" nonce="{later._csp_nonce}"></script>'
    assert later._csp_nonce  # drawn by serving the copy, so the header names it


# --- the HTTPS profile --------------------------------------------------------------------------


def clean_environment(tmp_path: Path, **variables: str) -> dict[str, str]:
    """A process environment with none of this machine's Tenfold settings: only the
    variables given, a data directory of its own and no .env file."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "TENFOLD_DATA_DIR": str(tmp_path),
        "TENFOLD_ENV_FILE": str(tmp_path / "no.env"),
        **variables,
    }


# What the operator of a server behind a TLS proxy sets (README "Running it for real").
PRODUCTION = {
    "BEHIND_TLS_PROXY": "1",
    "ALLOWED_HOSTS": "okr.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://okr.example.com",
    "SITE_URL": "https://okr.example.com",
    "EMAIL_HOST": "smtp.example.com",
    "SECRET_KEY": secrets.token_urlsafe(48),
}
SECURITY_SETTINGS = [
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
]


def settings_under(tmp_path: Path, **variables: str) -> dict[str, Any]:
    """The security settings Tenfold reads from these environment variables alone."""
    names = json.dumps(SECURITY_SETTINGS)
    code = (
        "import json, tenfold.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {names}}}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=clean_environment(tmp_path, **variables),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    found: dict[str, Any] = json.loads(done.stdout)
    return found


@not_on_postgresql
def test_the_https_profile_turns_on_secure_cookies_hsts_and_the_redirect(
    tmp_path: Path,
) -> None:
    profile = settings_under(tmp_path, BEHIND_TLS_PROXY="1")
    assert profile["SESSION_COOKIE_SECURE"] is True and profile["CSRF_COOKIE_SECURE"] is True
    assert profile["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert profile["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert profile["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert profile["SECURE_HSTS_PRELOAD"] is False
    assert profile["SECURE_SSL_REDIRECT"] is True
    plain = settings_under(tmp_path)
    assert plain["SESSION_COOKIE_SECURE"] is False and plain["SECURE_PROXY_SSL_HEADER"] is None
    assert plain["SECURE_HSTS_SECONDS"] == 0 and plain["SECURE_SSL_REDIRECT"] is False
    tuned = settings_under(
        tmp_path,
        BEHIND_TLS_PROXY="1",
        TENFOLD_HSTS_SECONDS="600",
        TENFOLD_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
    )
    assert tuned["SECURE_HSTS_SECONDS"] == 600 and tuned["SECURE_SSL_REDIRECT"] is False
    assert tuned["SESSION_COOKIE_SECURE"] is False


@pytest.fixture
def https_profile(settings: Any) -> None:
    """This process's settings as BEHIND_TLS_PROXY=1 makes them (checked just above)."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = True


HTTPS = {"X-Forwarded-Proto": "https"}


def test_with_the_https_profile_pages_carry_hsts_and_cookies_are_secure(
    https_profile: None, client: Client, alice: Any
) -> None:
    login = client.get(reverse("account_login"), headers=HTTPS)
    assert login.status_code == 200
    assert login.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert login.cookies["csrftoken"]["secure"] is True
    signed_in = client.post(
        reverse("account_login"),
        {"login": alice.email, "password": PASSWORD},
        headers=HTTPS,
    )
    assert signed_in.status_code == 302
    assert signed_in.cookies["sessionid"]["secure"] is True
    assert signed_in.cookies["sessionid"]["httponly"] is True
    assert "Strict-Transport-Security" in signed_in.headers


def test_with_the_https_profile_plain_http_is_redirected_but_the_probe_is_not(
    https_profile: None, client: Client, db: None
) -> None:
    login = client.get(reverse("account_login"))
    assert login.status_code == 301
    assert login.headers["Location"] == "https://testserver" + reverse("account_login")
    probe = client.get(reverse("healthz"))
    assert probe.status_code == 200


@not_on_postgresql
def test_the_deploy_checks_are_clean_with_the_production_settings(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "tenfold", "check", "--deploy", "--fail-level", "WARNING"]
    done = subprocess.run(
        command,
        env=clean_environment(tmp_path, **PRODUCTION),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    # The same checks without the profile and without a mail server say what is missing.
    bare = {k: v for k, v in PRODUCTION.items() if k not in {"BEHIND_TLS_PROXY", "EMAIL_HOST"}}
    refused = subprocess.run(
        command,
        env=clean_environment(tmp_path, **bare),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 1
    found = set(re.findall(r"\((\w+\.[EW]\d+)\)", refused.stderr))
    expected = {
        "mail.E001",
        "security.W004",
        "security.W008",
        "security.W012",
        "security.W016",
    }
    assert found == expected
