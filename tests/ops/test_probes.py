"""/healthz and /readyz (issue 10), and the request id on responses and log lines."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.cache import caches
from django.test import override_settings

from sigap.core import probes
from sigap.core.logging import JsonFormatter, RequestIdFilter
from sigap.core.request_id import incoming_request_id

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
}


def test_healthz_answers_without_login(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_readyz_is_ready_on_a_migrated_database(client) -> None:
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "migrations", "redis"}
    assert all(check["ok"] for check in body["checks"].values())


def test_readyz_reports_a_dead_redis_as_degraded_but_serving(client) -> None:
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0", CACHES=DEAD_REDIS):
        caches._settings = None  # type: ignore[attr-defined]  # rebuild from the override
        try:
            response = client.get("/readyz")
        finally:
            caches._settings = None  # type: ignore[attr-defined]
    body = response.json()
    assert response.status_code == 200  # still serving: check-ins work without Redis
    assert body["status"] == "degraded"
    assert body["checks"]["redis"]["ok"] is False
    assert "error" in body["checks"]["redis"]
    assert body["checks"]["database"]["ok"] is True


def test_readyz_names_unapplied_migrations(client, monkeypatch) -> None:
    class Executor:
        def __init__(self, connection) -> None:
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda s: []})()})()

        def migration_plan(self, targets):
            return [("core", "0099_future")]

    monkeypatch.setattr(probes, "MigrationExecutor", Executor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"]["error"] == "1 migration(s) not applied"


def test_probes_refuse_other_methods(client) -> None:
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("abcdef0123456789", True),
        ("req-2026.11.24_0001", True),
        ("short", False),
        ("has space in it!", False),
        ('quote"injection\nnewline', False),
        ("x" * 65, False),
        (None, False),
    ],
)
def test_incoming_request_ids_are_kept_only_when_safe(incoming, kept) -> None:
    result = incoming_request_id(incoming)
    assert (result == incoming) is kept
    assert 8 <= len(result) <= 64


def test_responses_carry_the_request_id(client) -> None:
    mine = client.get("/healthz", HTTP_X_REQUEST_ID="trace-0001-abcd")
    assert mine["X-Request-ID"] == "trace-0001-abcd"
    fresh = client.get("/healthz", HTTP_X_REQUEST_ID="bad id")
    assert fresh["X-Request-ID"] != "bad id" and len(fresh["X-Request-ID"]) == 32


def test_log_lines_are_json_with_the_request_id_and_extras(client) -> None:
    captured: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            captured.append(record)

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("sigap.request")
    logger.addHandler(handler)
    try:
        with override_settings(SIGAP_SLOW_REQUEST_MS=0):  # every request is "slow"
            client.get("/healthz", HTTP_X_REQUEST_ID="trace-0002-abcd")
    finally:
        logger.removeHandler(handler)
    assert captured, "the slow request was not logged"
    line = json.loads(JsonFormatter().format(captured[-1]))
    assert line["request_id"] == "trace-0002-abcd"
    assert line["message"] == "slow request"
    assert line["path"] == "/healthz" and line["status"] == 200 and line["method"] == "GET"
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "WARNING" and line["time"].endswith("+00:00")
