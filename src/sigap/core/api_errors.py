"""One error handler: everything the API refuses has API.md's shape
`{"code", "message", "detail"}`, in the request's language."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from sigap.core import db_errors
from sigap.core.exceptions import DomainError, RateLimited

logger = logging.getLogger(__name__)

STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "invalid_input",
    429: "rate_limited",
    503: "service_unavailable",
}


def error_body(code: str, message: Any, detail: dict | None = None) -> dict:
    return {"code": code, "message": str(message), "detail": detail or {}}


def _field_errors(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for err in errors:
        loc = [
            str(part)
            for part in err.get("loc", ())
            if part not in ("body", "query", "path", "form", "file", "payload")
        ]
        name = ".".join(loc) or "__all__"
        fields.setdefault(name, []).append(str(err.get("msg", "invalid")))
    return fields


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        response = respond(request, exc.status, error_body(exc.code, exc.message, exc.detail))
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        body = error_body(
            "invalid_input", _("The input is not valid."), {"fields": _field_errors(exc.errors)}
        )
        return respond(request, 422, body)

    @api.exception_handler(DjangoValidationError)
    def model_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        detail = {"fields": exc.message_dict} if hasattr(exc, "error_dict") else {}
        message = " ".join(exc.messages) if exc.messages else _("The input is not valid.")
        return respond(request, 422, error_body("invalid_input", message, detail))

    @api.exception_handler(MultiPartParserError)
    def unreadable_body(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        # a multipart body without a boundary, truncated or malformed: the client's fault
        body = error_body(
            "invalid_input",
            _("The request body could not be read as multipart form data."),
            {"fields": {"__all__": [str(exc)[:200]]}},
        )
        return respond(request, 422, body)

    def out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
        # a number too big for the database (an id of 10**30), a value the column refuses:
        # the client sent it, nothing was stored (the transaction rolled back)
        logger.info("Refused out-of-range input on %s %s: %s", request.method, request.path, exc)
        body = error_body("invalid_input", _("A value is out of the allowed range."))
        return respond(request, 422, body)

    api.exception_handler(OverflowError)(out_of_range)
    api.exception_handler(DataError)(out_of_range)

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        body = error_body("not_authenticated", _("Authentication is required."))
        return respond(request, 401, body)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, error_body("forbidden", _("You are not allowed to do this.")))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not_found", _("Not found.")))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = STATUS_CODES.get(exc.status_code, "error")
        return respond(request, exc.status_code, error_body(code, exc.message))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled API error on %s %s", request.method, request.path)
        body = error_body("internal_error", _("Something went wrong on the server."))
        return respond(request, 500, body)

    def database_error(request: HttpRequest, exc: Any) -> HttpResponse:
        """The database restarts or dropped the connection, or the broker (Redis) is down:
        503, retry later (the check-in is idempotent by request_id); any other database
        error is a 500."""
        if not db_errors.dependency_unavailable(exc):
            return server_error(request, exc)
        db_errors.log_unavailable(request, exc)
        body = error_body("service_unavailable", db_errors.unavailable_message())
        response = respond(request, 503, body)
        response["Retry-After"] = str(db_errors.RETRY_AFTER_SECONDS)
        return response

    api.add_exception_handler(OperationalError, database_error)
    api.add_exception_handler(InterfaceError, database_error)
    api.add_exception_handler(db_errors.BrokerUnavailable, database_error)
