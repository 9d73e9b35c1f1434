"""Injection strings in every text field (issue 10): SQL, template syntax, script tags,
expression-language, NUL, 100,000 characters, right-to-left override.

The API's fields are found by walking /api/v1/openapi.json (string fields of request
bodies, query and path parameters), so a new endpoint is covered without editing this
file. Never a 5xx; a NUL is 422 `invalid_input` (PostgreSQL cannot store one); stored
text shows escaped on the pages that display it."""

from __future__ import annotations

import copy
import io
import json
import re
import uuid
import warnings
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from django.core.cache.backends.base import CacheKeyWarning
from django.test import Client

from sigap.org.models import Role
from tests.attendance.fixtures import jpeg_bytes
from tests.factories import PASSWORD, RoleFactory
from tests.security.conftest import API, bearer

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
TEMPLATE = "{{ settings.SECRET_KEY }}"
PAYLOADS = {  # the long one first: it must reach storage (a later one may hit a 409)
    "long": "x" * 100_000,
    "nul": "a\x00b",
    "sql": "'; DROP TABLE attendance_checkin;--",
    "sql-or": "1' OR '1'='1' --",
    "template": TEMPLATE,
    "template-tag": "{% debug %}{% load log %}",
    "el": "${7*7}#{7*7}%{7*7}",
    "rtl": "\u202etxt.exe\u202c \u200f",
    "script": SCRIPT,
}
BOSS_OPERATIONS = re.compile(
    r"approve|reject|return|/review$|decision|confirm|correct|participations|reopen|close"
    r"|recalls|acknowledge|suggestions|^/api/v1/rollcalls$|units/|/recap|access-log"
)
DAY = "2026-11-23"
FORMATS = {  # valid values by format (the clock is frozen at DAY 16:30 WITA)
    "date": lambda: DAY,
    "date-time": lambda: f"{DAY}T16:30:00+08:00",
    "time": lambda: "08:00",
    "uuid": lambda: str(uuid.uuid4()),
}


# --- the schema walk -----------------------------------------------------------------


class Walker:
    def __init__(self, spec: dict, ids: dict[str, int]) -> None:
        self.spec = spec
        self.ids = ids

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            schema = self._ref(schema["$ref"])
        for key in ("anyOf", "oneOf", "allOf"):
            if key in schema:
                options = [self.resolve(s) for s in schema[key] if s.get("type") != "null"]
                if options:
                    return {**options[0], **{k: v for k, v in schema.items() if k != key}}
        return schema

    def _ref(self, ref: str) -> dict:
        node: Any = self.spec
        for part in ref.lstrip("#/").split("/"):
            node = node[part]
        return node

    def sample(self, schema: dict, name: str = "") -> Any:
        options = schema.get("anyOf", [])
        if any(o.get("type") == "null" for o in options) and name not in self.ids:
            return None  # an optional reference (task_id...): none is always valid
        schema = self.resolve(schema)
        if "enum" in schema:
            return schema["enum"][0]
        if "const" in schema:
            return schema["const"]
        kind, fmt = schema.get("type"), schema.get("format")
        if kind == "object" or "properties" in schema:
            props = schema.get("properties", {})
            return {key: self.sample(sub, key) for key, sub in props.items()}
        if kind == "array":
            return [self.sample(schema.get("items", {}), name)]
        if kind == "integer":
            value = self.ids.get(name, 1)
            return value if isinstance(value, int) else 1
        if kind == "number":
            return float(schema.get("minimum", schema.get("exclusiveMinimum", 0)) + 1)
        if kind == "boolean":
            return False
        if fmt in FORMATS:
            return FORMATS[fmt]()
        return self.ids.get(name, "teks biasa")

    def text_slots(self, schema: dict, path: tuple = ()) -> list[tuple]:
        """Paths to every free-text string (no format, no enum) in the schema."""
        schema = self.resolve(schema)
        if schema.get("type") == "object" or "properties" in schema:
            return [
                slot
                for key, sub in schema.get("properties", {}).items()
                for slot in self.text_slots(sub, (*path, key))
            ]
        if schema.get("type") == "array":
            return self.text_slots(schema.get("items", {}), (*path, 0))
        if schema.get("type") == "string" and not {"enum", "const", "format"} & set(schema):
            return [path]
        return []


def _set(obj: Any, path: tuple, value: Any) -> Any:
    obj = copy.deepcopy(obj)
    node = obj
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return obj


def _cases(walker: Walker):
    """(label, method, path, params, body kind, body, slot location, slot path) per slot."""
    for url, operations in walker.spec["paths"].items():
        for method, op in operations.items():
            path_values, query, slots = {}, {}, []
            for param in op.get("parameters", []):
                schema = walker.resolve(param.get("schema", {}))
                value = walker.sample(schema, param["name"])
                (path_values if param["in"] == "path" else query)[param["name"]] = value
                if walker.text_slots(schema):
                    slots.append((param["in"], (param["name"],)))
            content = op.get("requestBody", {}).get("content", {})
            kind = next((k for k in content if k == "application/json"), next(iter(content), ""))
            body = walker.sample(content[kind]["schema"]) if kind else None
            if kind:
                slots += [("body", slot) for slot in walker.text_slots(content[kind]["schema"])]
            for where, slot in slots:
                yield (
                    f"{method.upper()} {url} {where}:{'.'.join(map(str, slot))}",
                    method,
                    url,
                    path_values,
                    query,
                    kind,
                    body,
                    where,
                    slot,
                )


def _send(client: Client, case: tuple, payload: str, headers: dict):
    _label, method, url, path_values, query, kind, body, where, slot = case
    if where == "path":
        path_values = _set(path_values, slot, payload)
    elif where == "query":
        query = _set(query, slot, payload)
    elif where == "body":
        body = _set(body, slot, payload)
    target = url.format(**{k: quote(str(v), safe="") for k, v in path_values.items()})
    target += "?" + urlencode(query) if query else ""
    if kind == "application/json":
        data, content_type = json.dumps(body), kind
    elif kind == "application/x-www-form-urlencoded":
        data, content_type = urlencode(_flat(body)), kind
    elif kind == "multipart/form-data":
        return client.generic_multipart(method, target, _files(_flat(body)), headers)
    else:
        data, content_type = "", "application/octet-stream"
    return client.generic(method.upper(), target, data, content_type=content_type, **headers)


def _flat(body: dict | None) -> dict:
    """Form fields: nested values as JSON, absent optional values left out."""
    return {
        key: json.dumps(value) if isinstance(value, dict | list) else value
        for key, value in (body or {}).items()
        if value is not None
    }


def _files(fields: dict) -> dict:
    out = {}
    for key, value in fields.items():
        if value == "teks biasa" and key in ("selfie", "file", "attachment", "document"):
            handle = io.BytesIO(jpeg_bytes())
            handle.name = "foto.jpg"
            value = handle
        out[key] = value
    return out


class ApiClient(Client):
    def generic_multipart(self, method: str, path: str, data: dict, headers: dict):
        return getattr(self, method.lower())(path, data, **headers)


@pytest.fixture
def world(office_worker, boss, freeze, django_capture_on_commit_callbacks):
    """An employee and his boss (supervisor, unit head and HR admin) with a request, a
    daily report and a check-in to act on; the ids fill the schema's path parameters."""
    freeze(2026, 11, 23, 16, 30)
    RoleFactory(user=boss.user, agency=boss.agency, role=Role.HR_ADMIN)
    tokens = {"employee": bearer(office_worker), "boss": bearer(boss, "hp-boss")}
    client = ApiClient()
    request_id = _created(
        client.post(
            f"{API}/requests",
            json.dumps({"type": "IZIN", "start": "2026-11-25", "end": "2026-11-25", "reason": "r"}),
            content_type="application/json",
            **tokens["employee"],
        )
    )
    report = {
        "activities": [
            {
                "description": "d",
                "output_qty": 1,
                "output_unit": "dokumen",
                "minutes": 60,
                "evidence_url": None,
                "task_id": None,
            }
        ]
    }
    report_id = _created(
        client.put(
            f"{API}/daily-reports/{DAY}",
            json.dumps(report),
            content_type="application/json",
            **tokens["employee"],
        )
    )
    ids = {
        "request_id": request_id,
        "report_id": report_id,
        "unit_id": office_worker.unit_id,
        "employee_id": office_worker.pk,
        "year": 2026,
        # valid values of free-text fields by name, so that the base request passes
        "nip": office_worker.nip,
        "employee": office_worker.nip,
        "subject": office_worker.nip,
        "month": "2026-11",
        "category": "selfie",
        "evidence_url": "https://example.org/b",
        "username": office_worker.user.username,
        "password": PASSWORD,
    }
    return {"client": client, "tokens": tokens, "ids": ids}


def _created(response) -> int:
    assert response.status_code in (200, 201), response.content[:300]
    return int(response.json()["id"])


def test_every_api_text_field_survives_injection_strings(world, postgres_or_sqlite):
    client, tokens = world["client"], world["tokens"]
    spec = client.get(f"{API}/openapi.json").json()
    walker = Walker(spec, world["ids"])
    cases = list(_cases(walker))
    assert len(cases) > 40  # the walk found the API's text fields
    server_errors, nul_accepted, accepted = [], [], 0
    # CacheKeyWarning (a RuntimeWarning, an error under pytest's filterwarnings) is only a
    # warning in production, where Redis takes any key: job ids with spaces look it up.
    warnings.simplefilter("ignore", CacheKeyWarning)
    for case in cases:
        names = {*case[4], *(case[6] or {})}  # query and body fields
        naming_someone = bool(names & {"employee", "nip"})
        role = "boss" if BOSS_OPERATIONS.search(case[2]) or naming_someone else "employee"
        for name, payload in PAYLOADS.items():
            response = _send(client, case, payload, tokens[role])
            accepted += response.status_code < 300
            if response.status_code >= 500:
                server_errors.append((case[0], name, response.status_code))
            elif name == "nul" and response.status_code != 422:
                nul_accepted.append((case[0], response.status_code))
    assert server_errors == []
    assert nul_accepted == []
    print(f"{len(cases)} text fields, {accepted} accepted of {len(cases) * len(PAYLOADS)}")
    assert accepted > len(cases)  # the walk reached the handlers, not only validation


@pytest.fixture
def postgres_or_sqlite(db):
    """Runs on both; on PostgreSQL a NUL or an over-long value would be a database error."""
    return django_settings.DATABASES["default"]["ENGINE"]


# --- stored text on pages ----------------------------------------------------------------


def _page_client(person) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(person.user)
    return client


def _escaped(content: bytes) -> bool:
    """The hostile text is on the page, escaped and unevaluated (never raw)."""
    text = content.decode()
    assert SCRIPT not in text
    assert django_settings.SECRET_KEY not in text
    return "&lt;script&gt;alert(1)&lt;/script&gt;" in text and TEMPLATE in text


def test_injected_text_is_escaped_where_it_is_shown(world, office_worker, boss):
    client, tokens = world["client"], world["tokens"]
    hostile = f"{SCRIPT} {TEMPLATE}"
    created = client.post(
        f"{API}/requests",
        json.dumps({"type": "IZIN", "start": "2026-11-26", "end": "2026-11-26", "reason": hostile}),
        content_type="application/json",
        **tokens["employee"],
    )
    request_id = _created(created)
    report = {
        "activities": [
            {
                "description": hostile,
                "output_qty": 1,
                "output_unit": hostile,
                "minutes": 60,
                "evidence_url": None,
                "task_id": None,
            }
        ]
    }
    report_id = _created(
        client.put(
            f"{API}/daily-reports/2026-11-20",
            json.dumps(report),
            content_type="application/json",
            **tokens["employee"],
        )
    )
    returned = client.post(
        f"{API}/daily-reports/{report_id}/return",
        json.dumps({"note": hostile}),
        content_type="application/json",
        **tokens["boss"],
    )
    assert returned.status_code == 200, returned.content[:300]
    employee_pages = [f"/pengajuan/{request_id}/", f"/kinerja/laporan/{report_id}/"]
    boss_pages = [f"/pengajuan/{request_id}/", "/pengajuan/persetujuan/"]
    shown = []
    for person, pages in ((office_worker, employee_pages), (boss, boss_pages)):
        page_client = _page_client(person)
        for url in pages:
            response = page_client.get(url)
            assert response.status_code == 200, url
            shown.append((person.name, url, _escaped(response.content)))
    assert all(escaped for _who, _url, escaped in shown), shown


@pytest.mark.parametrize("name", [n for n in PAYLOADS if n != "nul"])
def test_web_forms_survive_injection_strings(name, world, office_worker, boss):
    """The main web forms: a new request, the request decision, the report decision."""
    payload = PAYLOADS[name]
    employee, manager = _page_client(office_worker), _page_client(boss)
    responses = [
        employee.post(
            "/pengajuan/baru/",
            {
                "type": "IZIN",
                "start": "2026-11-27",
                "end": "2026-11-27",
                "reason": payload,
                "reference": payload,
                "destination": payload,
            },
        ),
        manager.post(
            f"/pengajuan/{world['ids']['request_id']}/putusan/",
            {"decision": "reject", "note": payload},
        ),
        manager.post(
            f"/kinerja/laporan/{world['ids']['report_id']}/putusan/",
            {"decision": "return", "note": payload},
        ),
        manager.get("/pengajuan/persetujuan/", {"q": payload}),
        employee.get("/pengajuan/", {"status": payload}),
    ]
    assert [r.status_code for r in responses if r.status_code >= 500] == []
