"""What the fault tests share (no tests here): a real gunicorn on the pytest-django test
database (PostgreSQL, committed data: transactional tests), check-ins sent as real
multipart bodies over HTTP, and the selfies. The server's connections carry their own
`application_name`, so a test can terminate exactly those backends."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import socket
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from sigap.attendance.bench.payload import Multipart, make_selfie
from sigap.attendance.bench.server import Server, ServerConfig
from sigap.core.tokens import token_issue
from sigap.worktime.services import holidays_seed
from tests.attendance.fixtures import OFFICE_LAT, OFFICE_LON
from tests.factories import EmployeeFactory, OfficeFactory, UnitFactory

FROZEN = "2026-11-23T07:20"  # Monday, inside the office check-in window (WITA)
CAPTURED_AT = "2026-11-23T07:20:00+08:00"
REQUEST_TIMEOUT = 60.0  # seconds: generous on a loaded 2-core machine
NETWORK_ERRORS = (OSError, http.client.HTTPException)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url_for(application_name: str) -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "postgres")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db["HOST"] or "127.0.0.1"
    return (
        f"postgres://{user}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
        f"?application_name={application_name}"
    )


def server_env(tmp_path: Path, application_name: str, **extra: str) -> dict[str, str]:
    """The environment of gunicorn (and of a Celery worker) on the test database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "sigap.config.settings",
            "SIGAP_PROFILE": "embedded",  # plain HTTP on 127.0.0.1
            "DATABASE_URL": database_url_for(application_name),
            "CONN_MAX_AGE": "600",
            "REDIS_URL": "",
            "CACHE_KEY_PREFIX": f"faults-{uuid.uuid4().hex[:8]}",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "0",
            "SIGAP_DEMO": "1",
            "SIGAP_FROZEN_TIME": FROZEN,
            "TIME_ZONE": "Asia/Makassar",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "SIGAP_VAR_DIR": str(tmp_path / "var"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            "SIGAP_VERIFICATION": "0",
        }
    )
    env.update(extra)
    return env


def start_server(
    tmp_path: Path, env: dict[str, str], *, port: int, workers: int = 2, threads: int = 4
) -> Server:
    config = ServerConfig(port=port, workers=workers, threads=threads, timeout=120)
    server = Server(config, env, tmp_path / "gunicorn.log")
    server.start()
    try:
        server.wait_ready(timeout=120)
    except BaseException:
        server.stop()
        raise
    return server


# --- people and bodies -----------------------------------------------------------------


@dataclass
class Staff:
    employees: list = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)


def office_staff(count: int) -> Staff:
    """`count` office workers of one unit, inside the office geofence, with API tokens."""
    unit = UnitFactory()
    office = OfficeFactory(
        agency=unit.agency, latitude=OFFICE_LAT, longitude=OFFICE_LON, radius_m=100
    )
    office.units.add(unit)
    holidays_seed(agency=unit.agency, year=2026)
    staff = Staff()
    for _ in range(count):
        employee = EmployeeFactory(agency=unit.agency, unit=unit)
        staff.employees.append(employee)
        staff.tokens.append(token_issue(user=employee.user, device_id="hp", device_name="HP").token)
    return staff


_SELFIES: list[bytes] = []


def multipart() -> Multipart:
    """Real ~60 kB portrait JPEGs (made once per test run)."""
    if not _SELFIES:
        _SELFIES.extend(make_selfie(seed) for seed in (11, 12, 13))
    return Multipart.build(_SELFIES)


def check_in_body(parts: Multipart, request_id: uuid.UUID, index: int = 0) -> bytes:
    head = parts.employee_head(latitude=OFFICE_LAT, longitude=OFFICE_LON, captured_at=CAPTURED_AT)
    return parts.body(head, request_id, index % len(parts.selfie_parts))


# --- HTTP ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


def send(
    port: int,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One request on a fresh connection; raises OSError/HTTPException on no answer."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    finally:
        conn.close()


def post_check_in(port: int, token: str, parts: Multipart, body: bytes) -> Answer:
    return send(
        port,
        "POST",
        "/api/v1/attendance/check-ins",
        body=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": parts.content_type},
    )


def wait_for(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def terminate_backends(application_name: str, *, wait: bool = True) -> int:
    """pg_terminate_backend for every connection of the server (what the application
    sees while PostgreSQL restarts); with `wait`, until they are gone (an idle server)."""
    query = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s"
    with connection.cursor() as cursor:
        cursor.execute(query, [application_name])
        killed = len(cursor.fetchall())

    def gone() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                [application_name],
            )
            return cursor.fetchone()[0] == 0

    if wait:
        assert wait_for(gone, timeout=30), "the server's backends did not end"
    return killed
