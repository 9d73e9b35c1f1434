"""Shared fixtures. The database is whatever DATABASE_URL says (PostgreSQL in CI)."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from sigap.core import clock, generations

# shared fixtures of the attendance tests (an office worker, check-in helpers)
pytest_plugins = ["tests.attendance.fixtures"]

WITA = ZoneInfo("Asia/Makassar")
REQUIRE_SERVICES = os.environ.get("SIGAP_REQUIRE_SERVICES") == "1"


def pytest_configure(config: pytest.Config) -> None:
    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI the suite must run on PostgreSQL and Redis: refuse to pass otherwise."""
    if not REQUIRE_SERVICES:
        return
    engine = settings.DATABASES["default"]["ENGINE"]
    backend = settings.CACHES["default"]["BACKEND"]
    problems = []
    if "postgresql" not in engine:
        problems.append(f"database engine is {engine}, not PostgreSQL")
    if "redis" not in backend.lower():
        problems.append(f"cache backend is {backend}, not Redis")
    if problems:
        raise pytest.UsageError("SIGAP_REQUIRE_SERVICES=1 but " + "; ".join(problems))


def requires(service: str, available: bool, reason: str) -> None:
    """Skip locally when a service is missing; fail when CI requires it."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{service} is required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _clean_cache():
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()
    generations.forget_local()
    yield


@pytest.fixture(autouse=True)
def _verification_off(request):
    """Check-ins are verified in the background (dlib, ~0.2 s each): off in tests unless
    a test is marked `verification` (the verification tests turn it on themselves)."""
    wanted = request.node.get_closest_marker("verification") is not None
    with override_settings(SIGAP_VERIFICATION=wanted):
        yield


@pytest.fixture
def postgres(db):
    requires("PostgreSQL", connection.vendor == "postgresql", "needs DATABASE_URL=postgres://...")


@pytest.fixture
def redis_cache():
    requires("Redis", bool(settings.REDIS_URL), "needs REDIS_URL=redis://...")


@pytest.fixture
def freeze():
    """freeze(2026, 11, 23, 7, 20) fixes the clock at that WITA time for the test."""
    stack = []

    def _freeze(*args: int, tz: ZoneInfo = WITA) -> dt.datetime:
        at = dt.datetime(*args, tzinfo=tz)
        ctx = clock.freeze(at)
        ctx.__enter__()
        stack.append(ctx)
        return at

    yield _freeze
    while stack:
        stack.pop().__exit__(None, None, None)


@pytest.fixture
def celery_eager():
    """Run Celery tasks in-process for page tests (CI has a Redis broker but no worker
    there; the real-worker path is covered by tests that start one)."""
    from sigap.config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
