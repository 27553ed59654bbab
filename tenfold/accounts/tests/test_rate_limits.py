"""Failed sign-ins are counted in a cache every server process shares.

Two `tenfold serve` processes on one committed database take turns answering the sign-in
form, addressed by one host name as behind a proxy (allauth counts per site and email).
Per-process memory would count three failures in each and let the sixth attempt in; the
shared database cache counts all five, so the sixth is refused even with the right password.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.cache import cache

from tenfold.bench.server import Server
from tenfold.db.tests.served import Reply, child_env, hidden_value, scratch_database

EMAIL = "locked@example.com"
PASSWORD = "the-right-horse-battery"  # nosec B105  # a test account on a scratch database
WRONG = "not-the-right-password"  # nosec B105
NOT_CORRECT = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."


def test_the_default_cache_is_the_shared_database_table() -> None:
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/300s/key"


@pytest.mark.django_db
def test_the_cache_table_exists_after_migrating() -> None:
    cache.set("probe", 41)
    assert cache.incr("probe") == 42


def seed_main() -> None:
    """(child) One person with a password, on the scratch database."""
    from tenfold.accounts.models import User

    User.objects.create_user(email=EMAIL, password=PASSWORD, name="Locked Out")
    print(json.dumps({"ok": True}))


def _seed(env: dict[str, str]) -> None:
    code = (
        "import django; django.setup(); "
        "from tenfold.accounts.tests.test_rate_limits import seed_main; seed_main()"
    )
    done = subprocess.run(  # nosec B603  # this Python, fixed code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]


def request(port: int, method: str, cookies: dict[str, str], form: dict[str, str]) -> Reply:
    """One request to the sign-in page, with the host name both servers share."""
    headers = {"Host": "localhost", "Connection": "close"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in cookies.items())
    body = urlencode(form).encode() if form else None
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, "/accounts/login/", body=body, headers=headers)
        response = connection.getresponse()
        jar: SimpleCookie = SimpleCookie()
        for line in response.headers.get_all("Set-Cookie") or []:
            jar.load(line)
        return Reply(
            status=response.status,
            body=response.read(),
            cookies={key: morsel.value for key, morsel in jar.items()},
        )
    finally:
        connection.close()


def attempt(port: int, password: str) -> tuple[int, str, bool]:
    """Open the sign-in page and post it: the status, the page, whether a session began."""
    page = request(port, "GET", {}, {})
    assert page.status == 200, page.text[:500]
    form = {
        "login": EMAIL,
        "password": password,
        "csrfmiddlewaretoken": hidden_value(page.text, "csrfmiddlewaretoken"),
    }
    reply = request(port, "POST", page.cookies, form)
    return reply.status, reply.text, "sessionid" in reply.cookies


@pytest.mark.django_db(transaction=True)
def test_failed_sign_ins_on_two_servers_are_counted_together(
    tmp_path: Path, tmp_path_factory: Any
) -> None:
    started = time.monotonic()
    with scratch_database(tmp_path) as url:
        env = child_env(tmp_path, url, tmp_path_factory.getbasetemp() / "served-static")
        _seed(env)
        with (
            Server(env, tmp_path / "one.log", workers=1) as one,
            Server(env, tmp_path / "two.log", workers=1) as two,
        ):
            assert one.worker_pids() != two.worker_pids()
            ports = [one.port, two.port]
            # The right password works before anything failed (so the refusal below is the
            # limit's doing); then sign out is not needed: a new attempt has no cookies.
            status, _, began = attempt(ports[0], PASSWORD)
            assert (status, began) == (302, True)
            answers = [attempt(ports[n % 2], WRONG) for n in range(5)]
            assert [(status, NOT_CORRECT in text) for status, text, _ in answers] == [
                (200, True)
            ] * 5
            status, text, began = attempt(ports[1], PASSWORD)
            assert status == 200 and TOO_MANY in text and not began
            status, text, began = attempt(ports[0], PASSWORD)
            assert status == 200 and TOO_MANY in text and not began
    print(f"\n5 failures over 2 server processes, 6th refused; {time.monotonic() - started:.1f} s")
