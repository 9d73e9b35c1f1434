"""Purpose and minimisation (DOMAIN.md section 10): a location is taken only at check-in and
check-out, never tracked. Every API route (the NinjaAPI's OpenAPI schema) and every page
and back-office screen (Django's URL resolver) is walked; the only ones that accept a
latitude/longitude are in the allow-lists below, each with its reason. A new endpoint that
takes coordinates fails this test until someone adds it here and says why it is not
tracking (and the DPIA, docs/dpia.md, is updated)."""

from __future__ import annotations

import inspect
import re
import types
from collections.abc import Iterator

from django import forms
from django.urls import URLPattern, URLResolver, get_resolver

from sigap.api import api
from sigap.core.models import User

LOCATION = re.compile(r"(?:^|_)(lat|latitude|lng|lon|longitude|coordinates|geolocation|gps)(?:$|_)")

ALLOWED_API = {
    ("post", "/api/v1/attendance/check-ins"): "the check-in and check-out themselves",
    ("post", "/api/v1/rollcalls"): "where a physical roll call assembles (a place, set by HR or "
    "a unit head), not where a person is",
    ("post", "/api/v1/requests"): "the destination of official travel (DL) the employee enters, "
    "to check their check-ins there against it; a place, not a position",
}
ALLOWED_PAGES = {
    "web:rollcall_list": "the place of a new physical roll call (as the API's POST /rollcalls)",
    "web:request_new": "the official-travel destination (as the API's POST /requests)",
}
# The back office (HR) registers places: office geofences, the employee's home (the WFH
# check-in is checked against it), the agency's WFA area, where roll calls assemble. Screens
# that only list (no add or change permission) take nothing.
ALLOWED_ADMIN_MODELS = {
    "org.office": "the office and its geofence",
    "org.employee": "the registered home for WFH check-ins (HR only)",
    "arrangements.wfaregion": "the agency's work-from-anywhere area",
    "rollcall.rollcall": "the place of a roll call",
    "rollcall.rollcallseries": "the place of a recurring roll call",
}


# --- the API ------------------------------------------------------------------------------


def _names(schema: dict, components: dict, seen: frozenset[str] = frozenset()) -> Iterator[str]:
    """Every property name of a JSON schema, following $ref, combinators, arrays, objects."""
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            yield from _names(components[name], components, seen | {name})
        return
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key, []):
            yield from _names(part, components, seen)
    if "items" in schema:
        yield from _names(schema["items"], components, seen)
    for prop, sub in schema.get("properties", {}).items():
        yield prop
        yield from _names(sub, components, seen)


def api_inputs() -> dict[tuple[str, str], set[str]]:
    """(method, path) -> the names of every input: parameters and request body fields."""
    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    found = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", [])}
            for media in operation.get("requestBody", {}).get("content", {}).values():
                names |= set(_names(media.get("schema", {}), components))
            found[(method, path)] = names
    return found


def test_the_walk_sees_the_api():
    inputs = api_inputs()
    assert len(inputs) > 40
    assert {"latitude", "longitude", "selfie"} <= inputs[("post", "/api/v1/attendance/check-ins")]


def test_only_the_allowed_api_routes_accept_a_location():
    taking = {
        route: sorted(n for n in names if LOCATION.search(n.lower()))
        for route, names in api_inputs().items()
    }
    assert {route for route, names in taking.items() if names} == set(ALLOWED_API)


def test_no_api_route_takes_a_location_in_its_query_or_path():
    """A GET with coordinates (where am I, who is near) would be a tracking feed."""
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            located = [
                p["name"]
                for p in operation.get("parameters", [])
                if LOCATION.search(p["name"].lower())
            ]
            assert located == [], f"{method.upper()} {path} takes {located}"


# --- pages and the back office ---------------------------------------------------------------


def patterns(resolvers=None, prefix="", namespace="") -> Iterator[tuple[str, str, object]]:
    """(route, name with namespace, callback) of every URL pattern outside the API."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            route = prefix + str(entry.pattern)
            if route.startswith("api/"):
                continue  # walked through the OpenAPI schema
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry.url_patterns, route, space)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}", entry.callback


def _form_fields(value: object) -> set[str]:
    if inspect.isclass(value) and issubclass(value, forms.BaseForm):
        return set(value.base_fields)
    return set()


def _code_objects(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


def view_inputs(function, depth: int = 4, seen: set | None = None) -> set[str]:
    """The names a page view may read: the string constants it and the sigap functions it
    calls use (request.POST.get("latitude")), and the fields of the forms they build."""
    seen = seen if seen is not None else set()
    function = inspect.unwrap(function)
    code = getattr(function, "__code__", None)
    if code is None or function in seen or depth == 0:
        return set()
    seen.add(function)
    names: set[str] = set()
    for part in _code_objects(code):
        names |= {c for c in part.co_consts if isinstance(c, str) and len(c) < 40}
        for name in part.co_names:
            value = function.__globals__.get(name)
            names |= _form_fields(value)
            if inspect.isfunction(value) and value.__module__.startswith("sigap.web"):
                names |= view_inputs(value, depth - 1, seen)
    return names


def test_the_walk_sees_the_pages():
    found = {name: callback for _route, name, callback in patterns()}
    assert {"web:check_in", "web:rollcall_list", "web:privacy_notice"} <= set(found)
    assert any(name.startswith("admin:") for name in found)
    assert "destination_latitude" in view_inputs(found["web:request_new"])


def test_only_the_allowed_pages_accept_a_location():
    taking = set()
    for _route, name, callback in patterns():
        if name.startswith("admin:") or getattr(callback, "model_admin", None) is not None:
            continue
        if any(LOCATION.search(n.lower()) for n in view_inputs(callback)):
            taking.add(name)
    assert taking == set(ALLOWED_PAGES)


def _writable(admin, request) -> bool:
    from django.contrib.admin.options import InlineModelAdmin

    if isinstance(admin, InlineModelAdmin):
        return admin.has_add_permission(request, None) or admin.has_change_permission(request)
    return admin.has_add_permission(request) or admin.has_change_permission(request)


def test_only_the_allowed_back_office_screens_accept_a_location(rf):
    request = rf.get("/admin/")
    request.user = User(username="root", is_superuser=True, is_staff=True, is_active=True)
    taking = set()
    for _route, _name, callback in patterns():
        model_admin = getattr(callback, "model_admin", None)
        if model_admin is None:
            continue
        admins = [
            model_admin,
            *(inline(model_admin.model, model_admin.admin_site) for inline in model_admin.inlines),
        ]
        for admin in admins:
            if not _writable(admin, request):
                continue
            readonly = set(admin.readonly_fields)
            fields = {f.name for f in admin.model._meta.concrete_fields} - readonly
            if any(LOCATION.search(f) for f in fields):
                taking.add(admin.model._meta.label_lower)
    assert taking == set(ALLOWED_ADMIN_MODELS)
