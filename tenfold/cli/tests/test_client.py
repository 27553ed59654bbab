"""The HTTP client against a recording server: headers it sends, pages it follows, retries it
makes (and does not make), and failures told in one line without the token."""

from __future__ import annotations

import re
import socket
import uuid

import pytest

from tenfold.cli.client import (
    ApiError,
    Client,
    Exit,
    client_from,
    normalise_base,
    parse_links,
    read_token,
    retry_after_seconds,
    shown,
)

TOKEN = "tf_abcd1234_secret-part"


def client(url: str, **options) -> Client:
    waits: list[float] = []
    made = Client(url, TOKEN, sleep=waits.append, **options)
    made.waits = waits  # type: ignore[attr-defined]
    return made


def test_a_post_carries_an_idempotency_key_and_a_retry_reuses_it(stub):
    stub.reply(503, {"error": {"code": "error", "message": "busy", "fields": {}}})
    stub.reply(201, {"ok": True})
    assert client(stub.url).post("/orgs/acme/week/items", {"text": "x"}) == {"ok": True}
    first, second = stub.requests
    key = first.headers["idempotency-key"]
    assert uuid.UUID(key).version == 4
    assert second.headers["idempotency-key"] == key
    assert first.headers["authorization"] == f"Bearer {TOKEN}"
    assert first.headers["content-type"] == "application/json"
    assert first.body == b'{"text": "x"}'


def test_each_post_has_its_own_key_and_reads_carry_none(stub):
    api = client(stub.url)
    api.post("/a", {})
    api.post("/a", {})
    api.get("/b")
    keys = [r.headers.get("idempotency-key") for r in stub.requests]
    assert keys[0] != keys[1] and None not in keys[:2]
    assert keys[2] is None
    assert stub.requests[2].path == "/api/v1/b"


def test_a_patch_is_not_retried(stub):
    stub.reply(503, {})
    with pytest.raises(ApiError) as failure:
        client(stub.url).patch("/x", {"text": "y"})
    assert failure.value.returncode == Exit.UNREACHABLE
    assert len(stub.requests) == 1


def test_it_follows_next_links_and_reads_a_list_without_them(stub):
    stub.reply(200, [1, 2], Link=f'<{stub.url}/api/v1/rows?offset=2&limit=2>; rel="next"')
    stub.reply(
        200,
        [3],
        Link=f'<{stub.url}/api/v1/rows?offset=0&limit=2>; rel="prev"',
        X_Total_Count="3",
    )
    assert client(stub.url).get_all("/rows", {"limit": 2}) == [1, 2, 3]
    assert [r.path for r in stub.requests] == [
        "/api/v1/rows?limit=2",
        "/api/v1/rows?offset=2&limit=2",
    ]
    stub.requests.clear()
    stub.reply(200, [4])
    assert client(stub.url).get_all("/rows") == [4]
    assert len(stub.requests) == 1


def test_a_next_link_to_another_server_is_not_followed(stub):
    stub.reply(200, [1], Link='<https://elsewhere.example/api/v1/rows?offset=1>; rel="next"')
    with pytest.raises(ApiError, match="another address"):
        client(stub.url).get_all("/rows")
    assert len(stub.requests) == 1


def test_rate_limits_wait_briefly_or_say_when_to_try_again(stub):
    stub.reply(
        429, {"error": {"code": "rate_limited", "message": "slow", "fields": {}}}, Retry_After="1"
    )
    stub.reply(200, {"ok": 1})
    api = client(stub.url)
    assert api.get("/x") == {"ok": 1}
    assert api.waits == [1]
    stub.reply(429, {}, Retry_After="30")
    with pytest.raises(ApiError, match="try again in 30 seconds") as failure:
        api.get("/x")
    assert failure.value.returncode == Exit.RATE_LIMITED


@pytest.mark.parametrize(
    ("status", "body", "words", "code"),
    [
        (
            401,
            {"error": {"code": "unauthenticated", "message": "x", "fields": {}}},
            "The token was refused",
            4,
        ),
        (
            403,
            {"error": {"code": "forbidden", "message": "This token may only read.", "fields": {}}},
            "Not allowed: This token may only read.",
            4,
        ),
        (
            404,
            {"error": {"code": "not_found", "message": "Not found.", "fields": {}}},
            "Not found: /api/v1/x",
            5,
        ),
        (
            409,
            {"error": {"code": "conflict", "message": "Someone changed it.", "fields": {}}},
            "Someone changed it.",
            1,
        ),
        (
            400,
            {
                "error": {
                    "code": "invalid",
                    "message": "Some fields are not valid.",
                    "fields": {"value": ["“lots” is not a number."]},
                }
            },
            "Some fields are not valid. value: “lots” is not a number.",
            1,
        ),
        (500, b"<h1>Server Error</h1>", "failed to answer (HTTP 500)", 3),
    ],
)
def test_errors_become_one_line_and_an_exit_status(stub, status, body, words, code):
    stub.reply(status, body)
    with pytest.raises(ApiError) as failure:
        client(stub.url).get("/x")
    assert words in failure.value.message
    assert "\n" not in failure.value.message
    assert failure.value.returncode == code
    assert TOKEN not in failure.value.message


def test_a_redirect_is_reported_not_followed(stub):
    stub.reply(302, b"", Location="https://other.example/api/v1/x")
    with pytest.raises(ApiError, match=re.escape("redirects to https://other.example/api/v1/x")):
        client(stub.url).get("/x")
    assert len(stub.requests) == 1


def test_an_answer_that_is_not_json_is_not_from_tenfold(stub):
    stub.reply(200, b"<html>a login page</html>")
    with pytest.raises(ApiError, match="did not answer like a Tenfold server") as failure:
        client(stub.url).get("/x")
    assert failure.value.returncode == Exit.UNREACHABLE


def test_a_silent_server_times_out_and_is_asked_once_more():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)  # accepts connections, never answers
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        api = client(url, timeout=0.2)
        with pytest.raises(ApiError, match=r"No answer from .* within 0\.2 seconds") as failure:
            api.get("/x")
    assert failure.value.returncode == Exit.UNREACHABLE
    assert len(api.waits) == 1  # one retry, then the error


def test_the_token_is_never_shown():
    api = Client("https://okrs.example.com", TOKEN)
    assert TOKEN not in repr(api) and TOKEN not in str(vars(api).get("host"))
    with pytest.raises(ApiError) as failure:
        Client("https://okrs.example.com", "tf_abc\nX-Evil: 1")
    assert "X-Evil" not in failure.value.message


def test_addresses_are_normalised_and_printed_without_credentials():
    assert normalise_base("https://okrs.example.com/api/v1/") == "https://okrs.example.com"
    assert normalise_base("http://localhost:8000/") == "http://localhost:8000"
    assert shown("https://me:pw@okrs.example.com/x?q=1") == "https://okrs.example.com/x"
    with pytest.raises(ApiError, match="not a web address"):
        normalise_base("okrs.example.com")


def test_token_sources_in_order(tmp_path):
    path = tmp_path / "token"
    path.write_text("tf_from_file\n")
    env = {"TENFOLD_TOKEN": "tf_from_env", "TENFOLD_TOKEN_FILE": str(path)}
    assert read_token("tf_given", env) == ("tf_given", "--token")
    assert read_token(None, env) == ("tf_from_env", "TENFOLD_TOKEN")
    assert read_token(None, {"TENFOLD_TOKEN_FILE": str(path)}) == (
        "tf_from_file",
        "TENFOLD_TOKEN_FILE",
    )
    assert read_token(None, {}) is None
    with pytest.raises(ApiError, match="Cannot read the token file") as failure:
        read_token(None, {"TENFOLD_TOKEN_FILE": str(tmp_path / "missing")})
    assert failure.value.returncode == Exit.AUTH


def test_remote_mode_needs_a_url_and_a_token():
    assert client_from({}, {}) is None
    assert client_from({"local": True}, {"TENFOLD_URL": "https://x.example"}) is None
    with pytest.raises(ApiError, match=re.escape("No token for https://x.example")):
        client_from({}, {"TENFOLD_URL": "https://x.example"})
    made = client_from(
        {}, {"TENFOLD_URL": "https://x.example", "TENFOLD_TOKEN": "tf_a", "TENFOLD_TIMEOUT": "3"}
    )
    assert made is not None and made.timeout == 3
    with pytest.raises(ApiError, match="TENFOLD_TIMEOUT"):
        client_from(
            {},
            {"TENFOLD_URL": "https://x.example", "TENFOLD_TOKEN": "t", "TENFOLD_TIMEOUT": "soon"},
        )


def test_link_and_retry_after_headers_are_read():
    assert parse_links('<https://a/x?o=2>; rel="next", <https://a/x?o=0>; rel="prev"') == {
        "next": "https://a/x?o=2",
        "prev": "https://a/x?o=0",
    }
    assert parse_links(None) == {} and parse_links("garbage") == {}
    assert retry_after_seconds("12") == 12
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert retry_after_seconds("soon") is None
