"""Bearer-token authentication for the ninja API (fails closed)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from sigap.core.tokens import token_resolve


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        record = token_resolve(token)
        if record is None:
            return None
        request.user = record.user
        request.api_token = record  # type: ignore[attr-defined]
        return record.user
