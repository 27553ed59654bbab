"""The outbound guard: every address a user can type that leads back to the machine, its
private network or the cloud metadata service is refused before a connection is opened, in
every spelling the resolver accepts; redirects are returned, never followed; an admin's
allow-list opens exactly the hosts and networks it names."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tenfold.integrations import net
from tenfold.integrations.models import AllowedHost
from tenfold.notifications.testing import Answer, Receiver

AddrInfo = tuple[Any, ...]


def _infos(*addresses: str) -> list[AddrInfo]:
    """What `socket.getaddrinfo` answers for a name with these addresses."""
    rows: list[AddrInfo] = []
    for address in addresses:
        if ":" in address:
            rows.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, 80, 0, 0)))
        else:
            rows.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 80)))
    return rows


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """A resolver whose names are set by the test; numeric hosts resolve as usual, any other
    name is unknown. Nothing reaches a real DNS server."""
    names: dict[str, list[str]] = {}
    real: Callable[..., list[AddrInfo]] = socket.getaddrinfo

    def fake(host: str, port: Any, *args: Any, **kwargs: Any) -> list[AddrInfo]:
        if host in names:
            return _infos(*names[host])
        try:
            return real(host, port, *args, **{**kwargs, "flags": socket.AI_NUMERICHOST})
        except socket.gaierror:
            raise socket.gaierror(socket.EAI_NONAME, "unknown name") from None

    monkeypatch.setattr(net.socket, "getaddrinfo", fake)
    return names


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, int]]]:
    """Every connection the guard opens, recorded and refused: a test that expects a refusal
    also proves that nothing was sent."""
    opened: list[tuple[str, int]] = []

    def record(address: tuple[str, int], *args: Any, **kwargs: Any) -> Any:
        opened.append(address)
        raise ConnectionRefusedError("recorded, not connected")

    monkeypatch.setattr(net.socket, "create_connection", record)
    yield opened


INTERNAL = [
    # loopback
    "http://127.0.0.1/",
    "http://127.8.9.10:8080/admin",
    "http://[::1]/",
    # private
    "http://10.0.0.1/",
    "http://10.255.255.254/",
    "http://172.16.0.1/",
    "http://172.31.255.254/",
    "http://192.168.0.1/",
    "http://192.168.255.254/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    # link-local, the cloud metadata service among them
    "http://169.254.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/",
    # carrier-grade NAT
    "http://100.64.0.1/",
    "http://100.127.255.254/",
    # unspecified: Linux connects 0.0.0.0 to the machine itself
    "http://0.0.0.0/",
    "http://0.0.0.0:8000/",
    "http://[::]/",
    # IPv4 inside IPv6
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:10.0.0.1]/",
    # the same loopback address in the spellings the C resolver accepts
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://0x7f.0.0.1/",
    "http://0x7f000001/",
    "http://017700000001/",
    "http://127.1/",
    "http://0xa9fea9fe/",  # 169.254.169.254
    # multicast and reserved
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "https://255.255.255.255/",
]


@pytest.mark.parametrize("url", INTERNAL)
def test_an_internal_address_is_refused_before_connecting(
    url: str, dns: dict[str, list[str]], connections: list[tuple[str, int]]
) -> None:
    with pytest.raises(net.UnsafeTarget, match="private or local network"):
        net.request("GET", url, allowed=[])
    assert connections == []


def test_a_public_address_passes_the_check(
    dns: dict[str, list[str]], connections: list[tuple[str, int]]
) -> None:
    """The other side of the refusals above: the same call reaches the connection step (here
    recorded and refused) for an address on the internet."""
    with pytest.raises(net.OutboundError, match="recorded, not connected"):
        net.request("GET", "http://93.184.215.14/", allowed=[])
    assert connections == [("93.184.215.14", 80)]


@pytest.mark.parametrize(
    "addresses",
    [
        ["10.1.2.3"],
        ["169.254.169.254"],
        ["::1"],
        ["fd00::5"],
        ["::ffff:192.168.1.1"],
        # one internal address among public ones is enough to refuse the name
        ["93.184.215.14", "127.0.0.1"],
        ["2606:2800::1", "fe80::1"],
    ],
)
def test_a_name_that_resolves_to_an_internal_address_is_refused(
    addresses: list[str], dns: dict[str, list[str]], connections: list[tuple[str, int]]
) -> None:
    dns["hooks.example.com"] = addresses
    with pytest.raises(net.UnsafeTarget) as refused:
        net.request("POST", "https://hooks.example.com/in", body=b"{}", allowed=[])
    assert str(refused.value) == (
        "hooks.example.com is on a private or local network. An admin can allow it under "
        "Settings → Integrations."
    )
    assert connections == []


def test_the_connection_goes_to_the_address_that_was_checked(
    dns: dict[str, list[str]], connections: list[tuple[str, int]]
) -> None:
    """A second lookup could answer differently (DNS rebinding); the guard connects to the
    address it checked."""
    dns["feed.example.com"] = ["93.184.215.14"]
    with pytest.raises(net.OutboundError):
        net.request("GET", "http://feed.example.com:8080/data", allowed=[])
    dns["feed.example.com"] = ["127.0.0.1"]  # too late: the request above already connected
    assert connections == [("93.184.215.14", 8080)]


def test_an_unknown_name_is_a_clear_error(dns: dict[str, list[str]]) -> None:
    with pytest.raises(net.OutboundError) as failed:
        net.request("GET", "http://nowhere.invalid/", allowed=[])
    assert str(failed.value) == "The host nowhere.invalid could not be found."


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/", "Only http:// and https://"),
        ("file:///etc/passwd", "Only http:// and https://"),
        ("gopher://127.0.0.1:6379/_INFO", "Only http:// and https://"),
        ("javascript:alert(1)", "Only http:// and https://"),
        ("http:///nohost", "Only http:// and https://"),
        ("http://user:secret@example.com/", "credentials"),
        ("http://example.com:99999/", "not a valid address"),
        ("http://[::1/", "not a valid address"),
    ],
)
def test_an_address_that_is_not_plain_http_is_refused(url: str, message: str) -> None:
    with pytest.raises(net.UnsafeTarget, match=message):
        net.check_url(url)


# --- the allow-list ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("allowed", "addresses"),
    [
        (["db.internal"], ["10.1.2.3"]),
        (["DB.Internal."], ["10.1.2.3"]),  # case and a trailing dot do not matter
        (["10.1.2.3"], ["10.1.2.3"]),
        (["10.1.0.0/16"], ["10.1.2.3"]),
        (["10.0.0.0/8", "fd00::/8"], ["10.1.2.3", "fd00::7"]),
    ],
)
def test_an_allowed_host_or_network_opens_the_way(
    allowed: list[str],
    addresses: list[str],
    dns: dict[str, list[str]],
    connections: list[tuple[str, int]],
) -> None:
    dns["db.internal"] = addresses
    with pytest.raises(net.OutboundError, match="recorded, not connected"):
        net.request("GET", "http://db.internal/", allowed=allowed)
    assert connections == [(addresses[0], 80)]


@pytest.mark.parametrize(
    ("allowed", "addresses"),
    [
        ([], ["10.1.2.3"]),
        (["other.internal"], ["10.1.2.3"]),
        (["10.2.0.0/16"], ["10.1.2.3"]),
        (["not a network", ""], ["10.1.2.3"]),
        (["127.0.0.1"], ["::1"]),
        # a network that covers one of the name's addresses does not vouch for another one:
        # the name could otherwise lead to the metadata service through the allowed network
        (["10.0.0.0/8"], ["169.254.169.254", "10.1.2.3"]),
        (["10.0.0.0/8"], ["10.1.2.3", "127.0.0.1"]),
    ],
)
def test_an_allow_list_that_does_not_cover_every_internal_address_refuses(
    allowed: list[str],
    addresses: list[str],
    dns: dict[str, list[str]],
    connections: list[tuple[str, int]],
) -> None:
    dns["db.internal"] = addresses
    with pytest.raises(net.UnsafeTarget):
        net.request("GET", "http://db.internal/", allowed=allowed)
    assert connections == []


def test_the_organization_allow_list_is_read_from_its_rows(
    db: Any, org: Any, other_org: Any, receiver: Receiver
) -> None:
    with pytest.raises(net.UnsafeTarget):
        net.request("GET", receiver.url("/x"), organization=org)
    AllowedHost.objects.create(organization=other_org, host="127.0.0.1")
    with pytest.raises(net.UnsafeTarget):
        net.request("GET", receiver.url("/x"), organization=org)
    assert receiver.requests == []
    AllowedHost.objects.create(organization=org, host="127.0.0.0/8")
    assert net.request("GET", receiver.url("/x"), organization=org).status == 200
    assert len(receiver.requests) == 1


# --- redirects --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:1/",
        "http://[::1]/admin",
        "file:///etc/passwd",
    ],
)
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_returned_not_followed(
    status: int, location: str, receiver: Receiver
) -> None:
    """The receiver here is allowed (it runs on loopback); the place it redirects to is not,
    and the guard must not go there on its own."""
    receiver.answers["/hook"] = Answer(status=status, headers={"Location": location})
    answer = net.request("POST", receiver.url("/hook"), body=b"{}", allowed=["127.0.0.1"])
    assert answer.status == status
    assert answer.headers["location"] == location
    assert [r.path for r in receiver.requests] == ["/hook"]
