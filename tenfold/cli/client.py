"""A small client for Tenfold's REST API, on the standard library only.

The commands use it when a server address is given (``--url`` or ``TENFOLD_URL``). It reads the
token from ``--token``, ``TENFOLD_TOKEN`` or the file named by ``TENFOLD_TOKEN_FILE`` and never
prints it; every failure becomes one line of text and an exit status (see ``Exit``).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

API_PREFIX = "/api/v1"
DEFAULT_TIMEOUT = 20.0
MAX_PAGES = 1000
# A short wait the client takes on the caller's behalf; a longer one is reported instead.
MAX_RETRY_AFTER = 5


class Exit:
    """Exit statuses of the commands in remote mode (documented in docs/cli.md)."""

    REFUSED = 1  # the server refused the input (400, 409, other 4xx)
    UNREACHABLE = 3  # no answer, a network error or a server error (5xx)
    AUTH = 4  # no token, a refused token, or not allowed (401, 403)
    NOT_FOUND = 5  # 404
    RATE_LIMITED = 6  # 429


class ApiError(CommandError):
    """A failed request as one line of text, with the exit status the command ends with."""

    def __init__(
        self,
        message: str,
        *,
        exit_code: int,
        status: int | None = None,
        code: str = "",
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message, returncode=exit_code)
        self.message = message
        self.status = status
        self.code = code
        self.fields = fields or {}


@dataclass
class Response:
    status: int
    headers: Message
    data: Any
    links: dict[str, str] = field(default_factory=dict)


def parse_links(header: str | None) -> dict[str, str]:
    """``<url>; rel="next", <url>; rel="prev"`` as {"next": url, "prev": url}."""
    found: dict[str, str] = {}
    if not header:
        return found
    for part in header.split(","):
        pieces = part.strip().split(";")
        target = pieces[0].strip()
        if not (target.startswith("<") and target.endswith(">")):
            continue
        for param in pieces[1:]:
            name, _sep, value = param.strip().partition("=")
            if name.strip().lower() == "rel":
                for rel in value.strip().strip('"').split():
                    found[rel.lower()] = target[1:-1]
    return found


def retry_after_seconds(value: str | None) -> int | None:
    """Retry-After as whole seconds (the header may also be an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0, round(moment.timestamp() - time.time()))


def normalise_base(url: str) -> str:
    """The site's address without a trailing slash or the API prefix, so both
    ``https://okrs.example.com`` and ``https://okrs.example.com/api/v1/`` work."""
    url = url.strip()
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ApiError(
            _("“%(url)s” is not a web address; give the server as https://host (TENFOLD_URL).")
            % {"url": shown(url)},
            exit_code=Exit.UNREACHABLE,
        )
    path = parsed.path.rstrip("/")
    if path.endswith(API_PREFIX):
        path = path[: -len(API_PREFIX)]
    return urllib.parse.urlunsplit((parsed.scheme, parsed.netloc, path, "", ""))


def shown(url: str) -> str:
    """An address fit to print: never with a user or password in it."""
    parsed = urllib.parse.urlsplit(url)
    host = parsed.hostname or ""
    if parsed.port:
        host = f"{host}:{parsed.port}"
    return urllib.parse.urlunsplit((parsed.scheme, host, parsed.path, "", "")) or url


def read_token(
    given: str | None, environ: Mapping[str, str] | None = None
) -> tuple[str, str] | None:
    """The token and where it came from: --token, then TENFOLD_TOKEN, then the file named by
    TENFOLD_TOKEN_FILE. None when there is none."""
    environ = os.environ if environ is None else environ
    if given:
        return given.strip(), "--token"
    if environ.get("TENFOLD_TOKEN", "").strip():
        return environ["TENFOLD_TOKEN"].strip(), "TENFOLD_TOKEN"
    path = environ.get("TENFOLD_TOKEN_FILE", "").strip()
    if path:
        try:
            with open(os.path.expanduser(path), encoding="utf-8") as handle:
                text = handle.read().strip()
        except OSError as error:
            raise ApiError(
                _("Cannot read the token file named by TENFOLD_TOKEN_FILE (%(path)s): %(reason)s")
                % {"path": path, "reason": error.strerror or error},
                exit_code=Exit.AUTH,
            ) from None
        if text:
            return text.splitlines()[0].strip(), "TENFOLD_TOKEN_FILE"
    return None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are reported, never followed: following one would send the token to
    whatever address the answer names."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Client:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = 1,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base = normalise_base(base_url)
        if not token or any(ord(ch) < 33 or ord(ch) > 126 for ch in token):
            # The header would be refused, and the error would quote the token.
            raise ApiError(
                _("The token has characters a token never has; copy it again."),
                exit_code=Exit.AUTH,
            )
        self._token = token
        self.timeout = timeout
        self.retries = max(0, retries)
        self.sleep = sleep
        self.opener = urllib.request.build_opener(_NoRedirects())
        self.host = shown(self.base)

    def __repr__(self) -> str:  # never the token
        return f"<Client {self.host}>"

    # --- requests ---------------------------------------------------------------------------

    def url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        if path.startswith(("http://", "https://")):
            return path
        query = ""
        if params:
            clean = {k: v for k, v in params.items() if v is not None and v != ""}
            query = "?" + urllib.parse.urlencode(clean, doseq=True) if clean else ""
        return f"{self.base}{API_PREFIX}{path}{query}"

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.request("GET", path, params=params).data

    def get_all(self, path: str, params: Mapping[str, Any] | None = None) -> list[Any]:
        """Every row of a list, following ``Link: <…>; rel="next"`` from page to page (a list
        without the header is one page)."""
        rows: list[Any] = []
        url: str | None = self.url(path, params)
        for _page in range(MAX_PAGES):
            if url is None:
                break
            response = self.request("GET", url)
            if not isinstance(response.data, list):
                raise self._not_tenfold(url)
            rows.extend(response.data)
            url = response.links.get("next")
            if url is not None:
                url = urllib.parse.urljoin(self.base + "/", url)
                if not self._same_origin(url):
                    raise ApiError(
                        _("The server pointed the next page to another address (%(url)s).")
                        % {"url": shown(url)},
                        exit_code=Exit.UNREACHABLE,
                    )
        return rows

    def post(self, path: str, body: Any = None) -> Any:
        # One key for every attempt: a check-in retried after a lost answer is recorded once.
        key = str(uuid.uuid4())
        return self.request("POST", path, body=body, idempotency_key=key).data

    def patch(self, path: str, body: Any) -> Any:
        return self.request("PATCH", path, body=body).data

    def delete(self, path: str) -> Any:
        return self.request("DELETE", path).data

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        idempotency_key: str | None = None,
    ) -> Response:
        url = self.url(path, params)
        headers = {
            "Authorization": f"Bearer {self._token}",
            "Accept": "application/json",
            "User-Agent": user_agent(),
        }
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        # Only requests that cannot do a thing twice are tried again: reads, and creations
        # that carry an Idempotency-Key.
        repeatable = method == "GET" or idempotency_key is not None
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._send(method, url, data, headers)
            except _Retry as retry:
                if not repeatable or attempt > self.retries:
                    raise retry.error from None
                self.sleep(retry.wait if retry.wait is not None else 0.5 * attempt)

    def _send(self, method: str, url: str, data: bytes | None, headers: dict[str, str]) -> Response:
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=self.timeout) as answer:
                return self._read(url, answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as answer:
            with answer:
                body = answer.read()
            return self._failed(url, answer.code, answer.headers, body)
        except TimeoutError:
            raise _Retry(
                ApiError(
                    _("No answer from %(host)s within %(seconds)s seconds (--timeout).")
                    % {"host": self.host, "seconds": f"{self.timeout:g}"},
                    exit_code=Exit.UNREACHABLE,
                )
            ) from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise _Retry(
                    ApiError(
                        _("No answer from %(host)s within %(seconds)s seconds (--timeout).")
                        % {"host": self.host, "seconds": f"{self.timeout:g}"},
                        exit_code=Exit.UNREACHABLE,
                    )
                ) from None
            raise self._unreachable(reason) from None
        except (ConnectionResetError, ConnectionAbortedError, http.client.HTTPException) as error:
            raise _Retry(self._unreachable(error)) from None

    def _unreachable(self, reason: Any) -> ApiError:
        if isinstance(reason, ConnectionRefusedError):
            text = _("connection refused")
        elif isinstance(reason, ssl.SSLError):
            text = getattr(reason, "reason", None) or str(reason)
        elif isinstance(reason, socket.gaierror):
            text = _("the host name is not known")
        else:
            text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
        return ApiError(
            _("Cannot reach %(host)s: %(reason)s. Is TENFOLD_URL right and the server running?")
            % {"host": self.host, "reason": text},
            exit_code=Exit.UNREACHABLE,
        )

    def _read(self, url: str, status: int, headers: Message, body: bytes) -> Response:
        if 300 <= status < 400:
            location = headers.get("Location", "")
            raise ApiError(
                _("%(host)s redirects to %(location)s; give that address as TENFOLD_URL.")
                % {"host": self.host, "location": shown(location) if location else "?"},
                exit_code=Exit.UNREACHABLE,
            )
        data = None
        if body.strip():
            try:
                data = json.loads(body)
            except ValueError:
                raise self._not_tenfold(url) from None
        return Response(status, headers, data, parse_links(headers.get("Link")))

    def _failed(self, url: str, status: int, headers: Message, body: bytes) -> Response:
        if 300 <= status < 400:
            return self._read(url, status, headers, body)
        error: dict[str, Any] = {}
        try:
            parsed = json.loads(body) if body.strip() else {}
            if isinstance(parsed, dict) and isinstance(parsed.get("error"), dict):
                error = parsed["error"]
        except ValueError:
            pass
        message = str(error.get("message") or "").strip()
        fields = error.get("fields") or {}
        code = str(error.get("code") or "")
        if status == 401:
            raise ApiError(
                _(
                    "The token was refused by %(host)s: it is mistyped, revoked or for another "
                    "server. Make a new one on the page “Your API tokens”."
                )
                % {"host": self.host},
                exit_code=Exit.AUTH,
                status=status,
                code=code,
            )
        if status == 403:
            raise ApiError(
                _("Not allowed: %(message)s") % {"message": message or _("you may not do that.")},
                exit_code=Exit.AUTH,
                status=status,
                code=code,
            )
        if status == 404:
            raise ApiError(
                _("Not found: %(path)s") % {"path": urllib.parse.urlsplit(url).path},
                exit_code=Exit.NOT_FOUND,
                status=status,
                code=code,
            )
        if status == 429:
            seconds = retry_after_seconds(headers.get("Retry-After"))
            failure = ApiError(
                _("Too many requests with this token; try again in %(seconds)s seconds.")
                % {"seconds": seconds}
                if seconds is not None
                else _("Too many requests with this token; try again in a minute."),
                exit_code=Exit.RATE_LIMITED,
                status=status,
                code=code,
            )
            wait = seconds if seconds is not None and seconds <= MAX_RETRY_AFTER else None
            if wait is not None:
                raise _Retry(failure, wait=wait)
            raise failure
        if status >= 500:
            failure = ApiError(
                _("%(host)s failed to answer (HTTP %(status)s); try again later.")
                % {"host": self.host, "status": status},
                exit_code=Exit.UNREACHABLE,
                status=status,
            )
            if status in (502, 503, 504):
                raise _Retry(failure)
            raise failure
        raise ApiError(
            one_line(message, fields)
            or _("The server refused the request (HTTP %(status)s).") % {"status": status},
            exit_code=Exit.REFUSED,
            status=status,
            code=code,
            fields=fields,
        )

    def _not_tenfold(self, url: str) -> ApiError:
        return ApiError(
            _(
                "%(host)s did not answer like a Tenfold server; give the site's address as "
                "TENFOLD_URL, such as https://okrs.example.com."
            )
            % {"host": self.host},
            exit_code=Exit.UNREACHABLE,
        )

    def _same_origin(self, url: str) -> bool:
        mine = urllib.parse.urlsplit(self.base)
        theirs = urllib.parse.urlsplit(url)
        return (mine.scheme, mine.netloc) == (theirs.scheme, theirs.netloc)


class _Retry(Exception):
    def __init__(self, error: ApiError, wait: float | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.wait = wait


def one_line(message: str, fields: Mapping[str, list[str]]) -> str:
    """The error shape as one line: the message, then "field: problem" for each field."""
    parts = [message] if message else []
    for name, problems in fields.items():
        prefix = "" if name == "__all__" else f"{name}: "
        parts.extend(prefix + str(problem) for problem in problems)
    return " ".join(parts)


def user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("tenfold")
    except PackageNotFoundError:
        number = "dev"
    return f"tenfold-cli/{number}"


# --- the options every remote-capable command takes ---------------------------------------------


def add_remote_arguments(parser: Any) -> None:
    group = parser.add_argument_group(_("server (remote use)"))
    group.add_argument(
        "--url",
        metavar="URL",
        help="The Tenfold server to use instead of the local database (default: $TENFOLD_URL).",
    )
    group.add_argument(
        "--token",
        metavar="TOKEN",
        help="An API token (default: $TENFOLD_TOKEN, or the file named by $TENFOLD_TOKEN_FILE).",
    )
    group.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help=f"How long to wait for the server (default: $TENFOLD_TIMEOUT or {DEFAULT_TIMEOUT:g}).",
    )
    group.add_argument(
        "--local",
        action="store_true",
        help="Use the local database even when TENFOLD_URL is set.",
    )


def remote_url(options: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> str:
    """The server to use, or "" for the local database."""
    environ = os.environ if environ is None else environ
    if options.get("local"):
        return ""
    return (options.get("url") or environ.get("TENFOLD_URL", "")).strip()


def client_from(
    options: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> Client | None:
    """A client when a server is given (``--url`` or ``TENFOLD_URL``), else None (local)."""
    environ = os.environ if environ is None else environ
    url = remote_url(options, environ)
    if not url:
        return None
    found = read_token(options.get("token"), environ)
    if found is None:
        raise ApiError(
            _(
                "No token for %(host)s: set TENFOLD_TOKEN (or TENFOLD_TOKEN_FILE, or --token). "
                "Make one on the page “Your API tokens”."
            )
            % {"host": shown(url)},
            exit_code=Exit.AUTH,
        )
    timeout = options.get("timeout")
    if timeout is None:
        raw = environ.get("TENFOLD_TIMEOUT", "").strip()
        try:
            timeout = float(raw) if raw else DEFAULT_TIMEOUT
        except ValueError:
            raise ApiError(
                _("TENFOLD_TIMEOUT must be a number of seconds, not “%(raw)s”.") % {"raw": raw},
                exit_code=Exit.REFUSED,
            ) from None
    if timeout <= 0:
        raise ApiError(_("--timeout must be more than 0 seconds."), exit_code=Exit.REFUSED)
    return Client(url, found[0], timeout=timeout)
