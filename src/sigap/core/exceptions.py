"""Domain errors with stable codes; the API handler turns them into API.md's error shape."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refusal the caller can understand: a stable `code`, a human `message`, `detail`."""

    status = 400
    code = "bad_request"
    default_message: Any = _("The request cannot be processed.")

    def __init__(
        self,
        message: Any = None,
        *,
        code: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.detail = detail or {}
        super().__init__(str(self.message))


class InvalidInput(DomainError):
    status = 422
    code = "invalid_input"
    default_message = _("The input is not valid.")


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    default_message = _("Authentication is required.")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_message = _("You are not allowed to do this.")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _("Not found.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _("This conflicts with the current state.")


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"
    default_message = _("The upload is too large.")


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    default_message = _("Too many attempts. Try again later.")

    def __init__(self, message: Any = None, *, retry_after: int, **kwargs: Any) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(message, **kwargs)
