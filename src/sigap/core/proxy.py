"""The client's address behind a reverse proxy.

Behind nginx every request reaches the app from the proxy's address, so the access log
(`privacy.access.client_ip`) and the sign-in throttle (`org.services.client_ip`) would see
one address for everybody. When REMOTE_ADDR is one of SIGAP_TRUSTED_PROXIES (IPs or CIDRs;
empty = trust nobody), REMOTE_ADDR becomes the last hop of X-Forwarded-For: the address
the proxy itself saw (nginx appends it with `$proxy_add_x_forwarded_for`). Earlier hops
were written by the client and are never believed; a header from any other peer, or a
last hop that is not an IP address, is ignored."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """`("127.0.0.1", "10.0.0.0/8")` as networks; ImproperlyConfigured on a bad entry."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"SIGAP_TRUSTED_PROXIES: {entry!r} is not an IP address or network"
            ) from exc
    return tuple(networks)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def forwarded_client(
    *, remote_addr: str, forwarded_for: str | None, trusted: Iterable[Network]
) -> str:
    """The address to treat as the client's: X-Forwarded-For's last hop when the peer is a
    trusted proxy and that hop is a valid IP address, else the peer's own address."""
    peer = _address(remote_addr)
    if peer is None or not forwarded_for:
        return remote_addr
    if not any(peer.version == net.version and peer in net for net in trusted):
        return remote_addr
    last_hop = _address(forwarded_for.split(",")[-1])
    if last_hop is None:
        return remote_addr
    return str(last_hop)


class TrustedProxyMiddleware:
    """Sets REMOTE_ADDR from the trusted proxy's X-Forwarded-For (the proxy's own address
    is kept in META["SIGAP_PROXY_ADDR"])."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        trusted_networks(tuple(settings.SIGAP_TRUSTED_PROXIES))  # refuse a bad setting early

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trusted = trusted_networks(tuple(settings.SIGAP_TRUSTED_PROXIES))
        if trusted:
            remote = request.META.get("REMOTE_ADDR", "")
            client = forwarded_client(
                remote_addr=remote,
                forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR"),
                trusted=trusted,
            )
            if client != remote:
                request.META["SIGAP_PROXY_ADDR"] = remote
                request.META["REMOTE_ADDR"] = client
        return self.get_response(request)
