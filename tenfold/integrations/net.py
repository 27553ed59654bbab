"""Outbound HTTP for webhooks, chat messages and data feeds, with the guard every such request
goes through.

A URL typed by a user must not become a way to reach the machine Tenfold runs on or the private
network around it. So a target is resolved first, and refused when any of its addresses is
loopback, link-local, private, multicast, reserved or unspecified — unless an admin allowed that
host for the organization (`AllowedHost`). The connection then goes to the address that was
checked, never to a second lookup, so a name cannot resolve to something else in between.
Redirects are not followed. Every request has a timeout and a cap on the size of the answer.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 1_000_000
USER_AGENT = "Tenfold"


class OutboundError(Exception):
    """A request that could not be made or did not complete; `str()` is a message for people."""


class UnsafeTarget(OutboundError):
    """The URL points somewhere Tenfold refuses to send requests."""


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed_ms: int
    truncated: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _is_internal(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return bool(
        address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv4Address) and address in _SHARED)
    )


_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT


def _allowed(host: str, addresses: list[Address], allowed: list[str]) -> bool:
    """Whether an admin's allow-list names this host, or covers each of its internal addresses
    with an address or network entry. A network that covers one address of a name does not
    vouch for another one (a name resolving to both 10.1.2.3 and the metadata service)."""
    host = host.lower().rstrip(".")
    networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    for entry in allowed:
        entry = entry.strip().lower().rstrip(".")
        if not entry:
            continue
        if entry == host:
            return True
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue
    internal = [address for address in addresses if _is_internal(address)]
    return all(any(address in network for network in networks) for address in internal)


def allowed_hosts_of(organization: Any) -> list[str]:
    if organization is None:
        return []
    from .models import AllowedHost

    return list(
        AllowedHost.objects.filter(organization=organization).values_list("host", flat=True)
    )


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an http(s) URL, or UnsafeTarget."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise UnsafeTarget(_("This is not a valid address.")) from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget(_("Only http:// and https:// addresses can be used."))
    if parts.username or parts.password:
        raise UnsafeTarget(_("Put credentials in a header or the secret, not in the address."))
    scheme = parts.scheme
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), path


def resolve(host: str, port: int, *, allowed: list[str]) -> str:
    """The address to connect to, after checking every address the host resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise OutboundError(_("The host %(host)s could not be found.") % {"host": host}) from error
    addresses: list[Address] = []
    for info in infos:
        try:
            addresses.append(ipaddress.ip_address(str(info[4][0]).split("%")[0]))
        except ValueError:
            continue
    if not addresses:
        raise OutboundError(_("The host %(host)s could not be found.") % {"host": host})
    if any(_is_internal(address) for address in addresses) and not _allowed(
        host, addresses, allowed
    ):
        raise UnsafeTarget(
            _(
                "%(host)s is on a private or local network. An admin can allow it under "
                "Settings → Integrations."
            )
            % {"host": host}
        )
    return str(addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def request(
    method: str,
    url: str,
    *,
    organization: Any = None,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allowed: list[str] | None = None,
) -> Response:
    """Send one request through the guard. Raises UnsafeTarget for a refused address and
    OutboundError for anything that stops the request (DNS, connection, timeout, TLS, an answer
    larger than `max_bytes` is cut and marked `truncated`). HTTP error statuses are returned,
    not raised: callers decide what a 500 means for them."""
    scheme, host, port, path = check_url(url)
    allow = allowed if allowed is not None else allowed_hosts_of(organization)
    address = resolve(host, port, allowed=allow)
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address, timeout)
    sent_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    started = time.monotonic()
    deadline = started + timeout
    try:
        connection.request(method, path, body=body, headers=sent_headers)
        answer = connection.getresponse()
        chunks: list[bytes] = []
        size = 0
        truncated = False
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError
            chunk = answer.read(min(65536, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                truncated = True
                break
        data = b"".join(chunks)[:max_bytes]
        return Response(
            status=answer.status,
            headers={key.lower(): value for key, value in answer.getheaders()},
            body=data,
            elapsed_ms=int((time.monotonic() - started) * 1000),
            truncated=truncated,
        )
    except TimeoutError as error:
        raise OutboundError(
            _("No answer within %(seconds)s seconds.") % {"seconds": f"{timeout:g}"}
        ) from error
    except ssl.SSLError as error:
        raise OutboundError(
            _("The secure connection failed: %(reason)s") % {"reason": error.reason}
        ) from error
    except (OSError, http.client.HTTPException) as error:
        raise OutboundError(
            _("The request failed: %(reason)s") % {"reason": str(error) or type(error).__name__}
        ) from error
    finally:
        connection.close()
