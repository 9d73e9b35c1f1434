"""Bearer-token authentication for the ninja API (fails closed).

A token is bound to the device it was issued to: a request that names its device in the
`X-Device-Id` header must name that one (401 `device_mismatch` otherwise); a request
without the header is judged by the token alone (older clients).

Apps above core may refuse to issue a token (`register_token_check`): verification
refuses a device HR has not approved. Core knows nothing of devices or employees.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer

from sigap.core.exceptions import NotAuthenticated
from sigap.core.models import User
from sigap.core.tokens import token_resolve

DEVICE_HEADER = "X-Device-Id"


class DeviceMismatch(NotAuthenticated):
    code = "device_mismatch"
    default_message = _("This sign-in belongs to another device. Sign in again on this device.")


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        record = token_resolve(token)
        if record is None:
            return None
        claimed = request.headers.get(DEVICE_HEADER)
        if claimed is not None and not hmac.compare_digest(
            claimed.strip().encode(), record.device_id.encode()
        ):
            raise DeviceMismatch()
        # loaded only if a handler needs more than the id (request_user_id() below)
        user = SimpleLazyObject(lambda: User.objects.get(pk=record.user_id))
        request.user = user  # type: ignore[assignment]
        request.api_token = record  # type: ignore[attr-defined]
        return record  # request.auth; truthy without loading the user


def request_user_id(request: HttpRequest) -> int:
    """The caller's user id without loading the user row when a token says it."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return int(token.user_id)
    if request.user.pk is None:
        raise ValueError("an authenticated request has a user id")
    return int(request.user.pk)


# --- checks before a token is issued (registered by apps above core) ------------------

TokenCheck = Callable[..., None]
_token_checks: list[TokenCheck] = []


def register_token_check(check: TokenCheck) -> None:
    """`check(user=, device_id=, device_name=)` runs after the password was accepted and
    before a token is issued; it raises a DomainError to refuse (403 with its code)."""
    if check not in _token_checks:
        _token_checks.append(check)


def token_checks_run(*, user: User, device_id: str, device_name: str) -> None:
    for check in _token_checks:
        check(user=user, device_id=device_id, device_name=device_name)
