"""The OpenAPI document describes what the API returns: no two schema classes share a
component name (django-ninja names components by class name, and a second class of the
same name silently replaces the first in the document)."""

from __future__ import annotations

from collections import defaultdict

import pydantic

import sigap.api  # noqa: F401 - mounts every router, importing every schema


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def test_schema_class_names_are_unique() -> None:
    modules: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(pydantic.BaseModel):
        if cls.__module__.startswith("sigap."):
            modules[cls.__name__].add(cls.__module__)
    clashes = {name: sorted(mods) for name, mods in modules.items() if len(mods) > 1}
    assert clashes == {}, f"rename one of each: {clashes}"


def test_openapi_document_is_served(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/attendance/check-ins" in document["paths"]
