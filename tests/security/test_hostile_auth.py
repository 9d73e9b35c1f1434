"""Hostile authentication (issue 10): forged, expired, revoked and misplaced tokens,
malformed Authorization headers, CSRF on every web form and on the session-authenticated
API, and sign-in brute force (per account, per address, sprayed across accounts)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from sigap.core import clock
from sigap.core.tokens import token_issue
from tests.factories import PASSWORD, EmployeeFactory
from tests.security.conftest import API, assert_error_shape

pytestmark = pytest.mark.django_db

# --- tokens ----------------------------------------------------------------------------


@pytest.fixture
def token(office_worker) -> str:
    return token_issue(user=office_worker.user, device_id="hp-1", device_name="HP").token


def _me(client, header: str | None, **extra):
    headers = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    return client.get(f"{API}/me", **headers, **extra)


def test_valid_token_is_accepted(client, token):
    assert _me(client, f"Bearer {token}").status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer sgp_forgedforgedforgedforgedforgedforgedforg",
        "Bearer not-even-our-prefix",
        "Bearer " + "sgp_" + "A" * 10_000,
        "Basic dXNlcjpwYXNzd29yZA==",
        "Token sgp_abc",
        "Bearer sgp_a sgp_b",
        "Bearer sgp_' OR '1'='1",
        "Bearer\tsgp_abc",
    ],
    ids=lambda h: (h or repr(h))[:24],
)
def test_forged_or_malformed_authorization_is_401(client, token, header):
    assert_error_shape(_me(client, header), 401, "not_authenticated")


def test_tampered_token_is_401(client, token):
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert_error_shape(_me(client, f"Bearer {tampered}"), 401, "not_authenticated")


def test_expired_token_is_401(client, office_worker, settings):
    issued = token_issue(user=office_worker.user, device_id="hp-1", device_name="HP")
    assert _me(client, f"Bearer {issued.token}").status_code == 200
    with clock.freeze(issued.expires_at + dt.timedelta(seconds=1)):
        assert_error_shape(_me(client, f"Bearer {issued.token}"), 401, "not_authenticated")


def test_revoked_token_is_401(client, token):
    assert (
        client.delete(f"{API}/auth/token", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 204
    )
    assert_error_shape(_me(client, f"Bearer {token}"), 401, "not_authenticated")


def test_token_of_a_deactivated_user_is_401(client, token, office_worker):
    office_worker.user.is_active = False
    office_worker.user.save(update_fields=["is_active"])
    from django.core.cache import cache

    cache.clear()  # the resolved token is cached for minutes; deactivation clears it in HR's flow
    assert_error_shape(_me(client, f"Bearer {token}"), 401, "not_authenticated")


def test_token_for_another_device_is_401(client, token):
    """The token is bound to its device: another X-Device-Id is 401 (`device_mismatch`,
    a refinement of `not_authenticated` that tells the app to sign in again)."""
    assert _me(client, f"Bearer {token}", HTTP_X_DEVICE_ID="hp-1").status_code == 200
    response = _me(client, f"Bearer {token}", HTTP_X_DEVICE_ID="hp-attacker")
    assert_error_shape(response, 401, "device_mismatch")


# --- CSRF ------------------------------------------------------------------------------

SAMPLE_ARGS = {"int": "1", "string": "x", "isodate": "2026-11-23", "path": "1", "slug": "x"}
CSRF_EXEMPT: set[str] = set()  # a view exempt from CSRF must be listed here, with a reason


def _web_routes(resolver: URLResolver | None = None, prefix: str = ""):
    """(url, callback) of every URL outside the API, with sample values for its params."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "api":
                continue  # the API: bearer tokens, or ninja's own CSRF check (below)
            yield from _web_routes(entry, prefix + _sample(entry))
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + _sample(entry), entry.callback


def _regex_sample(match: re.Match) -> str:
    first = match.group(1).split("|")[0]
    return first if re.fullmatch(r"[\w-]+", first) else "x"


def _sample(entry) -> str:
    pattern = entry.pattern
    route = str(pattern)
    if isinstance(pattern, RegexPattern):
        route = re.sub(r"\(\?P<\w+>((?:[^()]|\([^()]*\))*)\)", _regex_sample, route)
        return route.lstrip("^").removesuffix("\\Z").rstrip("$")
    for name, converter in pattern.converters.items():
        kind = type(converter).__name__.removesuffix("Converter").lower()
        route = re.sub(rf"<(?:\w+:)?{name}>", SAMPLE_ARGS.get(kind, "1"), route)
    return route


@pytest.fixture
def csrf_client(office_worker) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    client.force_login(office_worker.user)
    return client


def _is_csrf_refusal(response) -> bool:
    return response.status_code == 403 and b"CSRF verification failed" in response.content


def test_every_web_form_refuses_a_post_without_csrf_token(csrf_client):
    """Built from the URL resolver: a new view that accepts a POST without CSRF fails."""
    routes = list(_web_routes())
    assert len(routes) > 100
    unprotected = []
    for url, _callback in routes:
        if "<" in url or "(?P" in url:
            raise AssertionError(f"no sample value for {url}")
        response = csrf_client.post(url, {"note": "x", "action": "approve"})
        if not _is_csrf_refusal(response):
            unprotected.append((url, response.status_code))
    exempt = {url for url, cb in routes if getattr(cb, "csrf_exempt", False)}
    assert exempt <= CSRF_EXEMPT
    assert unprotected == []


def test_sign_in_form_needs_csrf_too(db):
    """Login CSRF: an attacker's page must not sign the victim into the attacker's account."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    response = client.post("/masuk/", {"username": "x", "password": "y"})
    assert _is_csrf_refusal(response)


def test_a_post_with_the_token_passes_csrf(csrf_client):
    """The control: the same client with its CSRF token is let through (logout: 302)."""
    csrf_client.get("/profil/")
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post("/keluar/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def _request_body() -> str:
    return json.dumps({"type": "IZIN", "start": "2026-11-24", "end": "2026-11-24", "reason": "r"})


def test_api_with_session_cookie_needs_csrf(csrf_client, freeze):
    freeze(2026, 11, 23, 7, 20)
    response = csrf_client.post(f"{API}/requests", _request_body(), content_type="application/json")
    assert_error_shape(response, 403, "forbidden")
    csrf_client.get("/profil/")
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(
        f"{API}/requests", _request_body(), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201, response.content


def test_api_with_bearer_token_needs_no_csrf(office_worker, token, freeze):
    freeze(2026, 11, 23, 7, 20)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"{API}/requests",
        _request_body(),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content


# --- sign-in brute force ---------------------------------------------------------------


@pytest.fixture
def limits(settings):
    settings.SIGAP_LOGIN_MAX_FAILURES_ACCOUNT = 3
    settings.SIGAP_LOGIN_MAX_FAILURES_IP = 6
    settings.SIGAP_LOGIN_LOCKOUT_SECONDS = 900
    return settings


def _api_sign_in(client, username: str, password: str, ip: str):
    body = {"username": username, "password": password, "device_id": "d", "device_name": "n"}
    return client.post(
        f"{API}/auth/token", json.dumps(body), content_type="application/json", REMOTE_ADDR=ip
    )


def _web_sign_in(client, username: str, password: str, ip: str):
    client.logout()
    return client.post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR=ip)


SIGN_INS = {"api": _api_sign_in, "web": _web_sign_in}


def _assert_throttled(response, channel: str) -> None:
    assert response.status_code == 429, response.content[:200]
    assert int(response["Retry-After"]) > 0
    if channel == "api":
        assert_error_shape(response, 429, "rate_limited")


@pytest.mark.parametrize("channel", sorted(SIGN_INS))
def test_failures_on_one_account_lock_it_from_any_address(channel, client, limits, office_worker):
    sign_in = SIGN_INS[channel]
    login = office_worker.user.username
    for attempt in range(3):
        response = sign_in(client, login, "wrong", f"10.0.0.{attempt}")
        assert response.status_code == 401 if channel == "api" else 200
    # locked: even the right password, even from a fresh address
    _assert_throttled(sign_in(client, login, PASSWORD, "10.9.9.9"), channel)


@pytest.mark.parametrize("channel", sorted(SIGN_INS))
def test_spraying_accounts_from_one_address_is_throttled(channel, client, limits, office_worker):
    """One address trying one password on many accounts (never 3 on the same one); a
    success with the attacker's own account on the way does not reset the address."""
    sign_in = SIGN_INS[channel]
    victims = [f"korban{i}" for i in range(6)]
    for victim in victims[:5]:
        sign_in(client, victim, "Password123!", "203.0.113.7")
    ok = sign_in(client, office_worker.user.username, PASSWORD, "203.0.113.7")
    assert ok.status_code == (200 if channel == "api" else 302)
    sign_in(client, victims[5], "Password123!", "203.0.113.7")  # the 6th failure
    _assert_throttled(sign_in(client, "korban-lain", "x", "203.0.113.7"), channel)
    # another address is not affected
    other = sign_in(client, office_worker.user.username, PASSWORD, "198.51.100.1")
    assert other.status_code == (200 if channel == "api" else 302)


def test_nip_and_username_share_the_account_lock(client, limits):
    """The same account by its NIP and by its username: failures on both count together
    (otherwise each spelling would give the attacker its own allowance)."""
    person = EmployeeFactory()
    for login in (person.nip, person.user.username, person.nip):
        _api_sign_in(client, login, "wrong", "10.1.1.1")
    _assert_throttled(
        _api_sign_in(client, person.user.username.upper(), PASSWORD, "10.2.2.2"), "api"
    )
