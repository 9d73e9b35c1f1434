"""Backups restore (issue 10, docs/operations.md): a database seeded by the real `sigap`
command is dumped with `pg_dump -Fc`, restored with `pg_restore` into a fresh database,
and the system starts on it under gunicorn with the production profile: migrations are
all applied, /readyz answers 200, the sign-in page loads and every row survived.

PostgreSQL only: skipped on SQLite locally, a failure in CI (SIGAP_REQUIRE_SERVICES=1)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from tests.conftest import requires

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOST = "sigap.example.go.id"
# rows that must come back exactly: people, the org tree, attendance, history
TABLES = [
    "core_user",
    "org_unit",
    "org_office",
    "org_employee",
    "attendance_checkin",
    "attendance_attendanceday",
    "arrangements_rosterentry",
    "django_migrations",
]
BASE_ENV = {
    k: v for k, v in os.environ.items() if not k.startswith(("SIGAP_", "DJANGO_")) and k != "DEBUG"
}


def _database_url(name: str) -> str:
    parts = urlsplit(settings.DATABASE_URL)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def _connect(name: str):
    import psycopg

    return psycopg.connect(_database_url(name), autocommit=True, connect_timeout=10)


@pytest.fixture
def scratch_databases() -> Iterator[tuple[str, str]]:
    """Two fresh, uniquely named databases on the test server; dropped even on failure."""
    requires(
        "PostgreSQL",
        "postgresql" in settings.DATABASES["default"]["ENGINE"],
        "the restore test needs DATABASE_URL=postgres://...",
    )
    for tool in ("pg_dump", "pg_restore"):
        requires(tool, shutil.which(tool) is not None, f"{tool} is not installed")
    suffix = uuid.uuid4().hex[:10]
    names = (f"sigap_backup_src_{suffix}", f"sigap_backup_dst_{suffix}")
    with _connect("postgres") as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield names
    finally:
        with _connect("postgres") as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(database: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **BASE_ENV,
        "DJANGO_SETTINGS_MODULE": "sigap.config.settings",
        "DATABASE_URL": _database_url(database),
        "REDIS_URL": settings.REDIS_URL,
        "SIGAP_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "SIGAP_VERIFICATION": "0",
        **extra,
    }
    return env


def _sigap(args: list[str], env: dict[str, str], timeout: int = 300) -> str:
    result = subprocess.run(
        [str(BIN / "sigap"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"sigap {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"{cmd[0]}: {result.stderr}"


def _snapshot(database: str) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row's text, per table."""
    found = {}
    with _connect(database) as conn:
        for table in TABLES:
            count, digest = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
                f"FROM {table} t"
            ).fetchone()
            found[table] = (count, digest)
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": HOST, "X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _wait_until_healthy(
    port: int, env: dict[str, str], server: subprocess.Popen, error_log: Path
) -> None:
    """The container HEALTHCHECK script (deploy/healthcheck.py) answers 0 once gunicorn is up."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited: " + error_log.read_text()[-3000:]
        probe = subprocess.run(
            [sys.executable, str(ROOT / "deploy" / "healthcheck.py"), "/healthz"],
            env=env,
            capture_output=True,
            timeout=30,
            check=False,
        )
        if probe.returncode == 0:
            return
        time.sleep(0.5)
    pytest.fail("gunicorn did not answer /healthz within 90 s")


def test_a_dump_restores_into_a_fresh_database_and_the_system_starts_on_it(
    scratch_databases, tmp_path
) -> None:
    source, target = scratch_databases
    demo = {"SIGAP_DEMO": "1", "SIGAP_FROZEN_TIME": "2026-11-23T07:20"}

    # 1. a live system: migrated, the demo agency with a day of check-ins
    _sigap(["migrate", "--noinput", "-v", "0"], _env(source, tmp_path))
    _sigap(
        ["seed_demo", "--employees", "400", "--history-days", "1", "--no-progress"],
        _env(source, tmp_path, **demo),
    )
    before = _snapshot(source)
    assert before["org_employee"][0] >= 400
    assert before["attendance_checkin"][0] > 0, "the seed made no check-ins to back up"

    # 2. the nightly backup and the restore of docs/operations.md
    dump = tmp_path / "sigap.dump"
    _run(["pg_dump", "--format=custom", "--file", str(dump), _database_url(source)])
    assert dump.stat().st_size > 0
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--dbname",
            _database_url(target),
            str(dump),
        ]
    )
    assert _snapshot(target) == before

    # 3. the system starts on the restored database, as in production
    port = _free_port()
    env = _env(
        target,
        tmp_path,
        SIGAP_PROFILE="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_ACCESSLOG="-",
    )
    _sigap(["migrate", "--check"], env)  # exits non-zero if a migration is missing
    _sigap(["collectstatic", "--noinput", "-v", "0"], env)
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    with access_log.open("wb") as out, error_log.open("wb") as err:
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--config",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
                "sigap.config.wsgi:application",
            ],
            env=env,
            stdout=out,
            stderr=err,
        )
    try:
        _wait_until_healthy(port, env, server, error_log)
        status, body = _get(port, "/readyz")
        assert status == 200, body
        checks = json.loads(body)["checks"]
        assert all(check["ok"] for check in checks.values()), checks
        status, body = _get(port, "/masuk/")
        assert status == 200
        assert b'name="password"' in body
    finally:
        server.terminate()
        try:
            server.wait(timeout=45)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    access_lines = [
        json.loads(line) for line in access_log.read_text().splitlines() if line.startswith("{")
    ]
    assert any(line["path"] == "/readyz" and line["status"] == 200 for line in access_lines)
    # nothing was lost or changed by starting on it either
    assert _snapshot(target) == before
