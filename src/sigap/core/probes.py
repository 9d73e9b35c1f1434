"""Liveness and readiness for the process manager and the load balancer.

`/healthz`: the process answers (no I/O at all: a stuck database must not get a healthy
worker restarted). `/readyz`: the database answers, every migration is applied and the
cache/broker (Redis, when configured) answers. Without the database or with migrations
missing the instance cannot serve: 503, so the balancer stops sending it traffic. Without
Redis it still serves (check-ins succeed, verification is queued later, the cache misses):
200 with status "degraded" and the failing check named, so monitoring alerts while the
balancer keeps every instance in rotation (all of them share the same Redis: taking them
all out would turn a degraded service into an outage)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database() -> str | None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return None


def _migrations() -> str | None:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return f"{len(plan)} migration(s) not applied"
    return None


def _redis() -> str | None:
    if not settings.REDIS_URL:
        return None  # the embedded profile has no Redis: nothing to wait for
    key = "readyz:probe"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        return "cache did not return what was written"
    return None


CHECKS: dict[str, Callable[[], str | None]] = {
    "database": _database,
    "migrations": _migrations,
    "redis": _redis,
}


# without these the instance cannot serve at all; the others degrade it
REQUIRED = ("database", "migrations")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            problem = check()
        except Exception as exc:
            problem = f"{exc.__class__.__name__}: {str(exc)[:200]}"
        results[name] = {
            "ok": problem is None,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            **({"error": problem} if problem else {}),
        }
    ready = all(results[name]["ok"] for name in REQUIRED)
    status = "not_ready" if not ready else "ready"
    if ready and not all(r["ok"] for r in results.values()):
        status = "degraded"
    return JsonResponse({"status": status, "checks": results}, status=200 if ready else 503)
