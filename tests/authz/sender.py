"""Sends one matrix case: fills the path from the world, signs the role in (a bearer token
for the API, a session for pages; anonymous: nothing) and sends the route's body."""

from __future__ import annotations

import io
import json
import re
from typing import Any

from django.test import Client

from tests.authz.routes import API_PREFIX
from tests.authz.world import World
from tests.factories import PASSWORD

_PARAM = re.compile(r"{(\w+)}")


def path_for(key: str, world: World, overrides: dict[str, Any] | None = None) -> str:
    template = key.split(" ", 1)[1]
    values = {**world.params, **(overrides or {})}
    return _PARAM.sub(lambda m: str(values[m.group(1)]), template)


def filled(value: Any, values: dict[str, Any]) -> Any:
    """A body with "{name}" placeholders replaced by the world's values ("{report_id}"
    alone keeps the value's type: an id stays an int)."""
    if isinstance(value, dict):
        return {k: filled(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [filled(v, values) for v in value]
    if isinstance(value, str):
        whole = _PARAM.fullmatch(value)
        if whole:
            return values[whole.group(1)]
        return _PARAM.sub(lambda m: str(values[m.group(1)]), value)
    return value


def _files(data: dict[str, Any]) -> dict[str, Any]:
    """Form values; bytes become an uploaded file named after the field."""
    out: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, bytes):
            handle = io.BytesIO(value)
            handle.name = f"{name}.pdf" if value.startswith(b"%PDF") else f"{name}.jpg"
            out[name] = handle
        else:
            out[name] = value
    return out


def send(
    client: Client,
    world: World,
    key: str,
    role: str,
    *,
    body: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
):
    """The response of `role` to the route `key` ("POST /api/v1/requests")."""
    method = key.split(" ", 1)[0].lower()
    person = world.people["self" if role == "anon" else role]
    values = {**world.params, "username": person.user.username}
    values.update(filled(params or {}, values))
    body = filled(body or {}, {**values, "password": PASSWORD})
    path = path_for(key, world, values)
    query = body.get("query")
    if query:
        path = f"{path}?{'&'.join(f'{k}={v}' for k, v in query.items())}"
    extra: dict[str, Any] = {}
    if path.startswith(API_PREFIX + "/"):
        if role != "anon":
            extra["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[role]}"
    elif role != "anon":
        client.force_login(world.people[role].user)
    call = getattr(client, method)
    if "json" in body:
        return call(path, json.dumps(body["json"]), content_type="application/json", **extra)
    if method != "post":  # GET, and DELETE without a body
        return call(path, **extra)
    return call(path, _files(body.get("form", {})), **extra)
