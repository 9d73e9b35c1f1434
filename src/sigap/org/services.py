"""Organisation use cases: sign-in with lock-out, and validated saves."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sigap.core import throttle
from sigap.core.exceptions import DomainError, RateLimited
from sigap.core.models import User


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"
    default_message = _("The NIP/username or password is wrong.")


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _account_key(login: str) -> str:
    """One failure counter per account, however it is spelt (NIP, username, any case);
    an unknown login counts under its own text."""
    login = login.strip()
    found = (
        User.objects.filter(employee__nip=login).values_list("pk", flat=True).first()
        if len(login) == 18 and login.isdigit()
        else None
    )
    if found is None:
        found = User.objects.filter(username__iexact=login).values_list("pk", flat=True).first()
    return f"user:{found}" if found is not None else login.lower()


def user_sign_in(*, request: HttpRequest | None, login: str, password: str, ip: str) -> User:
    """Check credentials, throttled per account and per IP (fails closed).

    Raises RateLimited while the account or the address is locked out, and
    InvalidCredentials for a wrong login; both count as failures.
    """
    window = settings.SIGAP_LOGIN_LOCKOUT_SECONDS
    account = _account_key(login)
    if (
        throttle.failures("login-account", account) >= settings.SIGAP_LOGIN_MAX_FAILURES_ACCOUNT
        or throttle.failures("login-ip", ip) >= settings.SIGAP_LOGIN_MAX_FAILURES_IP
    ):
        raise RateLimited(
            _("Too many failed sign-ins. Try again in %(minutes)d minutes.")
            % {"minutes": max(1, window // 60)},
            retry_after=window,
        )
    user = authenticate(request, username=login, password=password)
    if user is None:
        throttle.record_failure("login-account", account, window_seconds=window)
        throttle.record_failure("login-ip", ip, window_seconds=window)
        raise InvalidCredentials()
    throttle.reset("login-account", account)
    return user
