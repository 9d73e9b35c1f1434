"""The trusted-proxy middleware: REMOTE_ADDR from nginx's X-Forwarded-For, never from
anyone else's (issue 10, "Run it for real")."""

from __future__ import annotations

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from sigap.core.proxy import TrustedProxyMiddleware, forwarded_client, trusted_networks

NGINX = "127.0.0.1"
TRUSTED = ["127.0.0.1", "10.20.0.0/16", "::1"]


def _seen_address(remote: str, forwarded: str | None, trusted: list[str]) -> tuple[str, dict]:
    seen: dict = {}

    def view(request):
        seen.update(request.META)
        return HttpResponse("ok")

    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(SIGAP_TRUSTED_PROXIES=trusted):
        TrustedProxyMiddleware(view)(RequestFactory().get("/", **meta))
    return seen["REMOTE_ADDR"], seen


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # nginx on the same host: the address nginx saw is the last hop
        (NGINX, "198.51.100.7", "198.51.100.7"),
        # the client sent its own X-Forwarded-For; nginx appended the real address
        (NGINX, "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        # a proxy inside a trusted network, IPv6 clients
        ("10.20.3.4", "2001:db8::5", "2001:db8::5"),
        ("::1", " 198.51.100.9 ", "198.51.100.9"),
    ],
)
def test_a_trusted_proxy_gives_the_client_address(remote, forwarded, expected) -> None:
    address, meta = _seen_address(remote, forwarded, TRUSTED)
    assert address == expected
    assert meta["SIGAP_PROXY_ADDR"] == remote


@pytest.mark.parametrize(
    ("remote", "forwarded"),
    [
        # spoofed: a peer that is not a trusted proxy claims to be someone else
        ("203.0.113.50", "127.0.0.1"),
        ("203.0.113.50", "198.51.100.7"),
        ("10.21.0.1", "198.51.100.7"),  # just outside 10.20.0.0/16
        # malformed last hops from a trusted proxy are ignored
        (NGINX, "not-an-ip"),
        (NGINX, "198.51.100.7, "),
        (NGINX, "198.51.100.7:4431"),
        (NGINX, "[2001:db8::5]"),
        (NGINX, "198.51.100.7\r\nX-Evil: 1"),
        (NGINX, ""),
        (NGINX, None),
    ],
)
def test_spoofed_or_malformed_headers_are_ignored(remote, forwarded) -> None:
    address, meta = _seen_address(remote, forwarded, TRUSTED)
    assert address == remote
    assert "SIGAP_PROXY_ADDR" not in meta


def test_nobody_is_trusted_by_default() -> None:
    from django.conf import settings

    assert settings.SIGAP_TRUSTED_PROXIES == []
    address, _ = _seen_address(NGINX, "198.51.100.7", [])
    assert address == NGINX


def test_the_middleware_runs_right_after_the_request_id() -> None:
    from django.conf import settings

    position = settings.MIDDLEWARE.index("sigap.core.proxy.TrustedProxyMiddleware")
    assert settings.MIDDLEWARE[position - 1] == "sigap.core.request_id.RequestIdMiddleware"


def test_a_bad_setting_is_refused_when_the_app_starts() -> None:
    with (
        override_settings(SIGAP_TRUSTED_PROXIES=["127.0.0.1", "nginx.local"]),
        pytest.raises(ImproperlyConfigured, match="nginx.local"),
    ):
        TrustedProxyMiddleware(lambda request: HttpResponse())


def test_networks_are_parsed_once_and_loosely() -> None:
    networks = trusted_networks(("10.20.1.7/16", "::1"))
    assert networks == (ipaddress.ip_network("10.20.0.0/16"), ipaddress.ip_network("::1/128"))
    assert (
        forwarded_client(remote_addr="10.20.9.9", forwarded_for="192.0.2.1", trusted=networks)
        == "192.0.2.1"
    )
    # an IPv4 peer is never "inside" an IPv6 network and the other way round
    assert (
        forwarded_client(remote_addr="::ffff:10.20.0.1", forwarded_for="192.0.2.1", trusted=())
        == "::ffff:10.20.0.1"
    )


@pytest.mark.django_db
def test_sign_in_lock_out_counts_the_forwarded_client(client) -> None:
    """Behind nginx two people are throttled apart; without trust everyone is "nginx"."""
    body = {"username": "nobody", "password": "wrong", "device_id": "d-1"}

    def sign_in(forwarded: str) -> int:
        return client.post(
            "/api/v1/auth/token",
            body,
            content_type="application/json",
            REMOTE_ADDR=NGINX,
            HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code

    with override_settings(
        SIGAP_TRUSTED_PROXIES=[NGINX],
        SIGAP_LOGIN_MAX_FAILURES_IP=2,
        SIGAP_LOGIN_MAX_FAILURES_ACCOUNT=100,
    ):
        assert [sign_in("198.51.100.7") for _ in range(3)] == [401, 401, 429]
        assert sign_in("198.51.100.8") == 401  # another person behind the same proxy
        # a client that claims someone else's address in its own header gets nothing:
        # nginx appends the real address, and only that last hop counts
        assert sign_in("198.51.100.8, 198.51.100.7") == 429
    with override_settings(
        SIGAP_TRUSTED_PROXIES=[],
        SIGAP_LOGIN_MAX_FAILURES_IP=2,
        SIGAP_LOGIN_MAX_FAILURES_ACCOUNT=100,
    ):
        assert [sign_in("192.0.2.1"), sign_in("192.0.2.2"), sign_in("192.0.2.3")] == [
            401,
            401,
            429,
        ]
