"""The database is unavailable: a 503 the client retries, never a 500.

While PostgreSQL restarts, fails over or drops a connection, a request that needs it
cannot succeed, through no fault of its own or of the code. `database_unavailable`
tells such an error (connection refused or lost, the server shutting down or starting,
too many connections; SQLite busy or unreadable) from a real bug. The API answers it
with API.md's error shape (`sigap.core.api_errors`), pages with a plain 503 page from
`DatabaseUnavailableMiddleware` (no template, no database); both carry Retry-After.

Recovery needs no action: Django marks the connection as errored and closes it at the
end of the request (`close_if_unusable_or_obsolete`), so the next request reconnects.
With CONN_HEALTH_CHECKS (on in the production profile) a persistent connection that
died while idle is replaced before it is used, so it costs no request at all.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error
from kombu.exceptions import OperationalError as BrokerUnavailable

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# SQLSTATE classes of a server that cannot serve now: 08 connection exception,
# 53 insufficient resources (too many connections), 57P0x admin/crash shutdown,
# cannot connect now (starting up / shutting down)
UNAVAILABLE_SQLSTATES = ("08", "53", "57P")
# SQLite: busy, locked, I/O error, cannot open (primary result codes)
UNAVAILABLE_SQLITE_CODES = frozenset({5, 6, 10, 14})


def database_unavailable(exc: BaseException) -> bool:
    """True for an error of the database connection or server, not of the query."""
    if isinstance(exc, InterfaceError):
        return True  # the connection is already closed or unusable
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__ or exc
    sqlite_code = getattr(cause, "sqlite_errorcode", None)
    if sqlite_code is not None:
        return (sqlite_code & 0xFF) in UNAVAILABLE_SQLITE_CODES
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if state is None:
        return True  # no answer from the server at all: refused, reset, closed
    return str(state).startswith(UNAVAILABLE_SQLSTATES)


def dependency_unavailable(exc: BaseException) -> bool:
    """The database (above) or the task broker (Redis) cannot be reached: a request that
    enqueues a job (an export, a roster generation) while Redis is down answers 503 and is
    retried, like one that needs the database during a restart."""
    return database_unavailable(exc) or isinstance(exc, BrokerUnavailable)


def unavailable_message() -> str:
    return _("The service is briefly unavailable. Please try again in a moment.")


def unavailable_page() -> HttpResponse:
    """A plain 503 page: no template and no query, so it renders without the database."""
    title = escape(_("Service unavailable"))
    body = (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><h1>{title}</h1>"
        f"<p>{escape(unavailable_message())}</p></body></html>"
    )
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    return _no_store(response)


def unavailable_json() -> HttpResponse:
    from sigap.core.api_errors import error_body

    response = JsonResponse(error_body("service_unavailable", unavailable_message()), status=503)
    return _no_store(response)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def log_unavailable(request: HttpRequest, exc: BaseException) -> None:
    logger.warning(
        "database or broker unavailable on %s %s: %s: %s",
        request.method,
        request.path,
        exc.__class__.__name__,
        str(exc).strip()[:200],
    )


class DatabaseUnavailableMiddleware:
    """Pages: a view that fails because the database is unavailable answers 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not dependency_unavailable(exc):
            return None
        log_unavailable(request, exc)
        if request.path.startswith("/api/"):
            return unavailable_json()
        return unavailable_page()


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the last resort for an error outside a view (a middleware that hit a
    dead connection). A database outage still answers 503; anything else is Django's 500."""
    exc = sys.exc_info()[1]
    if exc is not None and dependency_unavailable(exc):
        log_unavailable(request, exc)
        return unavailable_json() if request.path.startswith("/api/") else unavailable_page()
    return django_server_error(request)
