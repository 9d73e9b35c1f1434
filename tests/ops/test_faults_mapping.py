"""Unit tests of the fault handling: which database errors mean "unavailable" (503), the
API's and the pages' answer to them, the cache that ignores a dead Redis, the login
throttle's in-memory fallback, and the settings that switch these on."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import contextmanager

import psycopg
import pytest
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.test import RequestFactory, override_settings

from sigap.core import db_errors, throttle
from sigap.core.exceptions import RateLimited
from sigap.core.tokens import token_issue
from sigap.org.services import InvalidCredentials, user_sign_in
from tests.factories import EmployeeFactory
from tests.ops.test_faults_support import free_port

pytestmark = pytest.mark.faults


def _django(cause: BaseException, kind: type[Exception] = OperationalError) -> Exception:
    exc = kind(str(cause))
    exc.__cause__ = cause
    return exc


def _sqlite_error(tmp_path, sql: str) -> sqlite3.OperationalError:
    path = tmp_path / "x.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE IF NOT EXISTS t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0)
    try:
        other.execute(sql)
    except sqlite3.OperationalError as exc:
        return exc
    finally:
        other.close()
        holder.close()
    raise AssertionError("no error")


@pytest.mark.parametrize(
    ("cause", "unavailable"),
    [
        (psycopg.errors.AdminShutdown("terminating connection"), True),  # 57P01
        (psycopg.errors.CannotConnectNow("the database system is starting up"), True),
        (psycopg.errors.TooManyConnections("too many clients"), True),  # 53300
        (psycopg.OperationalError("server closed the connection unexpectedly"), True),
        (psycopg.errors.LockNotAvailable("could not obtain lock"), False),  # 55P03
        (psycopg.errors.QueryCanceled("statement timeout"), False),  # 57014
    ],
)
def test_only_connection_level_postgres_errors_are_unavailable(cause, unavailable):
    assert db_errors.database_unavailable(_django(cause)) is unavailable


def test_sqlite_busy_is_unavailable_a_missing_table_is_not(tmp_path):
    busy = _sqlite_error(tmp_path, "SELECT * FROM t")
    missing = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.OperationalError) as no_table:
        missing.execute("SELECT * FROM nowhere")
    assert db_errors.database_unavailable(_django(busy))
    assert not db_errors.database_unavailable(_django(no_table.value))


def test_interface_errors_are_unavailable_other_errors_are_not():
    closed = _django(psycopg.InterfaceError("connection already closed"), InterfaceError)
    assert db_errors.database_unavailable(closed)
    assert not db_errors.database_unavailable(ValueError("bug"))


@contextmanager
def _database_fails(cause: BaseException):
    """Every query of this thread's connection fails as `cause` would."""

    def fail(execute, sql, params, many, context):
        raise _django(cause) from cause

    with connection.execute_wrapper(fail):
        yield


@pytest.fixture
def worker(db):
    employee = EmployeeFactory()
    token = token_issue(user=employee.user, device_id="hp", device_name="HP").token
    return employee, {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_api_answers_503_in_the_error_shape_and_recovers(client, worker):
    _employee, auth = worker
    with _database_fails(psycopg.errors.AdminShutdown("terminating connection")):
        response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en", **auth)
    assert response.status_code == 503
    assert response["Retry-After"] == str(db_errors.RETRY_AFTER_SECONDS)
    assert response.json() == {
        "code": "service_unavailable",
        "message": "The service is briefly unavailable. Please try again in a moment.",
        "detail": {},
    }
    assert client.get("/api/v1/me", **auth).status_code == 200


def test_api_other_database_errors_stay_500(client, worker):
    _employee, auth = worker
    with _database_fails(psycopg.errors.LockNotAvailable("could not obtain lock")):
        response = client.get("/api/v1/me", **auth)
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"


def test_pages_answer_a_plain_503(client, worker):
    employee, _auth = worker
    client.force_login(employee.user)
    client.cookies["django_language"] = "en"
    with _database_fails(psycopg.OperationalError("server closed the connection")):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(db_errors.RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    assert b"<h1>Service unavailable</h1>" in response.content
    assert client.get("/").status_code == 200


def test_handler500_turns_an_outage_outside_a_view_into_503():
    request = RequestFactory().get("/presensi/")
    try:
        raise _django(psycopg.errors.AdminShutdown("terminating connection"))
    except OperationalError:
        assert db_errors.server_error(request).status_code == 503
    api_request = RequestFactory().get("/api/v1/me")
    try:
        raise _django(psycopg.OperationalError("connection refused"))
    except OperationalError:
        response = db_errors.server_error(api_request)
    assert response.status_code == 503
    assert b'"service_unavailable"' in response.content
    try:
        raise ValueError("a bug")
    except ValueError:
        assert db_errors.server_error(request).status_code == 500


# --- Redis down --------------------------------------------------------------------------


def _dead_redis(ignore: bool) -> dict:
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        "OPTIONS": {"IGNORE_EXCEPTIONS": ignore, "SOCKET_CONNECT_TIMEOUT": 1},
    }


LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "faults"}


@pytest.fixture
def local_counters():
    throttle.local.clear()
    yield throttle.local
    throttle.local.clear()


def test_a_dead_redis_is_a_cache_miss_and_pages_load(client, db):
    with override_settings(CACHES={"default": _dead_redis(ignore=True)}):
        cache.set("k", 1)
        assert cache.get("k") is None
        assert cache.get("k", 7) == 7
        assert client.get("/masuk/").status_code == 200


def test_throttle_falls_back_to_memory_and_still_locks_out(db, settings, local_counters, caplog):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SIGAP_LOGIN_MAX_FAILURES_ACCOUNT = 3
    user = EmployeeFactory().user
    caches = {"default": _dead_redis(ignore=True), "throttle": _dead_redis(ignore=False)}
    with override_settings(CACHES=caches):
        for _ in range(3):
            with pytest.raises(InvalidCredentials):
                user_sign_in(request=None, login=user.username, password="wrong", ip="10.9.8.7")
        with pytest.raises(RateLimited):  # not open: locked out from memory
            user_sign_in(request=None, login=user.username, password="wrong", ip="10.9.8.7")
    assert "counting in this process" in caplog.text
    # Redis is back (empty): the lock-out earned meanwhile still holds for its window
    with override_settings(CACHES={"default": LOCMEM}), pytest.raises(RateLimited):
        user_sign_in(request=None, login=user.username, password="wrong", ip="10.9.8.7")


def test_throttle_counts_in_the_shared_cache_when_it_answers(db, local_counters):
    with override_settings(CACHES={"default": LOCMEM}):
        assert throttle.record_failure("login-ip", "10.1.1.1", window_seconds=60) == 1
        assert throttle.record_failure("login-ip", "10.1.1.1", window_seconds=60) == 2
        assert throttle.failures("login-ip", "10.1.1.1") == 2
        throttle.reset("login-ip", "10.1.1.1")
        assert throttle.failures("login-ip", "10.1.1.1") == 0
    assert local_counters.get(throttle._key("login-ip", "10.1.1.1")) == 0


def test_local_counters_expire_with_their_window(local_counters, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(throttle.time, "monotonic", lambda: clock[0])
    assert local_counters.incr("k", 60) == 1
    assert local_counters.incr("k", 60) == 2
    clock[0] += 61
    assert local_counters.get("k") == 0
    assert local_counters.incr("k", 60) == 1


# --- the settings --------------------------------------------------------------------------

PRINT = (
    "import django; django.setup(); from django.conf import settings as s; "
    "c = s.CACHES; print(s.DATABASES['default']['CONN_HEALTH_CHECKS'], "
    "c['default'].get('OPTIONS', {}).get('IGNORE_EXCEPTIONS'), "
    "c.get('throttle', {}).get('OPTIONS', {}).get('IGNORE_EXCEPTIONS'), "
    "'sigap.core.db_errors.DatabaseUnavailableMiddleware' == s.MIDDLEWARE[-1])"
)


def _settings_of(tmp_path, **env: str) -> list[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SIGAP_", "DJANGO_"))}
    base.pop("DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-c", PRINT],
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "sigap.config.settings",
            "SIGAP_VAR_DIR": str(tmp_path / "var"),
            "STATIC_ROOT": str(tmp_path / "static"),
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/sigap",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_settings_health_checks_in_production_and_redis_errors_ignored(tmp_path):
    production = {"SIGAP_PROFILE": "production", "SECRET_KEY": "x" * 50}
    redis = {"REDIS_URL": "redis://127.0.0.1:6379/9"}
    assert _settings_of(tmp_path, **production, **redis) == ["True", "True", "False", "True"]
    assert _settings_of(tmp_path, **production, DB_CONN_HEALTH_CHECKS="0", REDIS_URL="") == [
        "False",
        "None",
        "None",
        "True",
    ]
    assert _settings_of(tmp_path, REDIS_URL="")[0] == "False"  # embedded: off
