"""Hostile request bodies, refused at the edge before any view runs.

- A body larger than SIGAP_MAX_REQUEST_BYTES (by its Content-Length) is 413 before a byte
  of it is read; nginx's `client_max_body_size` refuses it even earlier in production.
  A body without a Content-Length (chunked) is never read by Django under WSGI: it
  reaches the view as an empty body. Slow bodies are bounded by nginx's
  `client_body_timeout` (docs/deploy.md), which buffers the body before the app sees it.
- Past DATA_UPLOAD_MAX_MEMORY_SIZE (non-file fields), DATA_UPLOAD_MAX_NUMBER_FIELDS or
  DATA_UPLOAD_MAX_NUMBER_FILES Django raises while parsing; that is 413 too (API.md's
  `payload_too_large`), for the API and for pages, instead of a 400 or a 500.
- A NUL character in the path, the query, a form field or a JSON string is 422: no text
  in SIGAP holds one, and PostgreSQL refuses to store it (a server error otherwise).

The API side answers in API.md's error shape; pages get a short text answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.parser import Parser

from sigap.core.exceptions import InvalidInput

API_PREFIX = "/api/"
NUL = "\x00"
TOO_MUCH = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
_BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# `\u0000` in JSON text that is not itself an escaped backslash (`\\u0000` is text)
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


class NulCharacter(InvalidInput):
    def __init__(self, field: str = "__all__") -> None:
        message = _("The input contains a NUL character.")
        super().__init__(message, detail={"fields": {field: [message]}})


# --- the middleware -------------------------------------------------------------------


class RequestLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return _refusal(request) or self.get_response(request)


def _refusal(request: HttpRequest) -> HttpResponse | None:
    is_api = request.path.startswith(API_PREFIX)
    if _declared_length(request) > settings.SIGAP_MAX_REQUEST_BYTES:
        return too_large_response(is_api=is_api)
    try:
        field = _nul_field(request, is_api=is_api)
    except TOO_MUCH:
        return too_large_response(is_api=is_api)
    if field is not None:
        return _nul_response(field, is_api=is_api)
    return None


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _nul_field(request: HttpRequest, *, is_api: bool) -> str | None:
    """The first field holding a NUL (path, query, body), or None. Reads the body the way
    the view would: form fields for pages (CSRF reads them anyway) and JSON for the API;
    the API's multipart fields are checked by `StrictParser` when the view parses them."""
    if NUL in request.path:
        return "path"
    found = nul_in_querydict(request.GET)
    if found is not None or request.method not in _BODY_METHODS:
        return found
    if request.content_type in _FORM_TYPES:
        if is_api and request.content_type == "multipart/form-data":
            return None
        return nul_in_querydict(request.POST)
    if is_api and (b"\x00" in request.body or _JSON_NUL.search(request.body)):
        return "__all__"
    return None


def nul_in_querydict(data: MultiValueDict) -> str | None:
    for key, values in data.lists():
        if NUL in key or any(isinstance(v, str) and NUL in v for v in values):
            return key.replace(NUL, "")
    return None


def nul_in_value(value: Any, path: str = "__all__") -> str | None:
    """The path of the first string (or key) holding a NUL in parsed JSON, or None."""
    if isinstance(value, str):
        return path if NUL in value else None
    if isinstance(value, dict):
        return _first(
            (key if NUL in key else nul_in_value(item, key)) for key, item in value.items()
        )
    if isinstance(value, list | tuple):
        return _first(nul_in_value(item, path) for item in value)
    return None


def _first(found: Iterable[str | None]) -> str | None:
    return next((item for item in found if item is not None), None)


def refuse_nul(value: Any) -> None:
    """For handlers that parse a body themselves: NulCharacter (422) on a NUL anywhere."""
    field = nul_in_value(value)
    if field is not None:
        raise NulCharacter(field.replace(NUL, ""))


# --- responses ------------------------------------------------------------------------


def too_large_response(*, is_api: bool) -> HttpResponse:
    message = _("The request is too large.")
    if is_api:
        body = {"code": "payload_too_large", "message": message, "detail": {}}
        return JsonResponse(body, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


def _nul_response(field: str, *, is_api: bool) -> HttpResponse:
    exc = NulCharacter(field)
    if is_api:
        body = {"code": exc.code, "message": str(exc.message), "detail": exc.detail}
        return JsonResponse(body, status=422)
    return HttpResponse(str(exc.message), status=422, content_type="text/plain; charset=utf-8")


# --- the ninja side -------------------------------------------------------------------


class StrictParser(Parser):
    """ninja's parser, refusing a NUL in a JSON string or a form/query field (422)."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        refuse_nul(data)
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        field = nul_in_querydict(data)  # file values are not text: only their keys count
        if field is not None:
            raise NulCharacter(field)
        return super().parse_querydict(data, list_fields, request)


def install_request_limits(api: NinjaAPI) -> None:
    """413 for bodies Django refuses to parse; 422 for a form body sent to a JSON
    endpoint after the form was parsed (RawPostDataException); the strict parser."""
    api.parser = StrictParser()

    def too_large(request: HttpRequest, exc: Any) -> HttpResponse:
        return too_large_response(is_api=True)

    def unreadable(request: HttpRequest, exc: Any) -> HttpResponse:
        message = _("The input is not valid.")
        body = {"code": "invalid_input", "message": message, "detail": {}}
        return JsonResponse(body, status=422)

    for exc_class in TOO_MUCH:
        api.add_exception_handler(exc_class, too_large)
    api.add_exception_handler(RawPostDataException, unreadable)
