"""Which addresses the feed reader may connect to, checked on the address actually dialled.

A feed URL is chosen by an admin, and every page it links to by whoever writes the feed: left
alone, the bot would fetch whatever they name, internal services included (SSRF). So the
connection itself is guarded: `GuardedBackend` resolves the host once, refuses every address
outside the public internet, and connects to the address it checked (no second lookup that
DNS rebinding could answer differently). Link-local addresses (169.254.169.254 is the cloud
metadata service), multicast, unspecified and reserved ranges are refused always; private and
loopback ranges only unless `allow_private` (a feed server on the LAN, or the tests).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from typing import Any

import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

__all__ = ["AddressRefused", "GuardedBackend", "address_problem", "host_problem"]


class AddressRefused(Exception):
    """The host resolves only to addresses the reader must not connect to."""


def address_problem(address: IPAddress, *, allow_private: bool) -> str | None:
    """Why the reader may not connect to `address` (None when it may)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if address.is_link_local:
        return "a link-local address (never a feed; 169.254.169.254 is the cloud metadata service)"
    private = "a private or loopback address (set FEEDS_ALLOW_PRIVATE=true to allow feeds on the local network)"
    if address.is_loopback:  # before `is_reserved`, which ::1 also is
        return None if allow_private else private
    if address.is_multicast or address.is_unspecified or address.is_reserved:
        return "a multicast, unspecified or reserved address"
    if address.is_private or not address.is_global:
        return None if allow_private else private
    return None


def host_problem(host: str, *, allow_private: bool) -> str | None:
    """Why a feed on `host` would never be read, known without a DNS lookup: an address written
    in the URL (`127.0.0.1`, `[::1]`) or `localhost` that `address_problem` refuses. Checked when a
    feed is followed, so that it is refused then rather than failing at every poll; any other
    name is checked where it is dialled.
    """
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        name = "127.0.0.1"
    try:
        address: IPAddress = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        if not _IPV4_SPELLING.fullmatch(name):
            return None
        try:  # `2130706433`, `0x7f000001`, `127.1`, `0177.0.0.1`: 127.0.0.1 to the resolver
            address = ipaddress.IPv4Address(socket.inet_aton(name))
        except OSError:
            return None
    return address_problem(address, allow_private=allow_private)


# What the resolver reads as an IPv4 address besides dotted decimal (inet_aton's forms: 1 to 4
# parts, each decimal, octal with a 0 or hex with 0x); a DNS name never is all digits.
_IPV4_SPELLING = re.compile(r"(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+)){0,3}")


def _addresses(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror}") from exc
    seen: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in seen:
            seen.append(address)
    return seen


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses `address_problem` accepts."""

    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        """Resolve `host`, keep the allowed addresses, connect to the first that answers."""
        problems: list[str] = []
        last: Exception | None = None
        for address in _addresses(host, port):
            problem = address_problem(address, allow_private=self.allow_private)
            if problem:
                problems.append(f"{address} is {problem}")
                continue
            try:
                return super().connect_tcp(str(address), port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        if last is not None:
            raise last
        raise AddressRefused(f"{host}: refused, " + "; ".join(problems[:3]))
