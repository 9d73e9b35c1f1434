"""Bearer-token authentication for the ninja API (fails closed)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from ninja.security import HttpBearer

from sigap.core.models import User
from sigap.core.tokens import token_resolve


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        record = token_resolve(token)
        if record is None:
            return None
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
