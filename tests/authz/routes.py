"""The route list, generated from the application itself: every API operation of the
NinjaAPI (its OpenAPI document: path x method) and every URL pattern Django resolves
(walked recursively), as "METHOD /path/{param}/" keys.

A web pattern has no method of its own: the matrix names the methods it serves, and a
pattern is covered when the matrix has at least one entry for it."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver

from sigap.api import api

API_PREFIX = "/api/v1"
METHODS = ("get", "post", "put", "patch", "delete")

# not in the matrix, with the reason:
SKIPPED_PREFIXES = {
    # Django's own admin: staff-only by Django (is_staff), tested by Django itself
    "/admin/": "django admin",
    # set_language: a public POST that only sets the language cookie, no data behind it
    "/i18n/": "language switch",
}

_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def _template(route: str) -> str:
    """Django's "a/<int:x>/" -> "/a/{x}/"; regex patterns are stripped of ^ and $."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    return "/" + _CONVERTER.sub(r"{\1}", route)


def _walk(patterns, prefix: str = "") -> list[str]:
    found: list[str] = []
    for entry in patterns:
        text = str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _walk(entry.url_patterns, prefix + text)
        elif isinstance(entry, URLPattern):
            found.append(_template(prefix + text))
    return found


def url_patterns() -> list[str]:
    """Every path Django resolves, as a template ("/presensi/swafoto/{check_in_id}/")."""
    return sorted(set(_walk(get_resolver().url_patterns)))


def api_operations() -> list[str]:
    """Every API operation: "POST /api/v1/requests/{request_id}/approve"."""
    schema = api.get_openapi_schema()
    return sorted(
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in METHODS
    )


def api_paths() -> set[str]:
    return {key.split(" ", 1)[1] for key in api_operations()}


def web_patterns() -> list[str]:
    """URL patterns that are not API operations and not skipped (pages, files, probes,
    the OpenAPI document itself)."""
    operations = api_paths()
    return [
        path
        for path in url_patterns()
        if path not in operations and not path.startswith(tuple(SKIPPED_PREFIXES))
    ]


def skipped_patterns() -> list[str]:
    return [path for path in url_patterns() if path.startswith(tuple(SKIPPED_PREFIXES))]
