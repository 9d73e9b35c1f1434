"""Every request gets an id (the proxy's X-Request-ID when it is a sane token, else a new
one), put on the log lines written while it is served and echoed in the response; a
request slower than SIGAP_SLOW_REQUEST_MS is logged with its method, path, status and time."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from sigap.core.logging import request_id_var

logger = logging.getLogger("sigap.request")
HEADER = "X-Request-ID"
_SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def incoming_request_id(value: str | None) -> str:
    """The proxy's id when it is safe to log (no spaces, quotes or newlines), else a new one."""
    if value and _SANE.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = incoming_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        # Not reset on the way out: Django's own "django.request" line (a 4xx/5xx) is
        # written after the middleware returns; the next request sets its own id.
        request_id_var.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response[HEADER] = request_id
        if elapsed_ms >= settings.SIGAP_SLOW_REQUEST_MS:
            logger.warning(
                "slow request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(elapsed_ms, 1),
                },
            )
        return response
