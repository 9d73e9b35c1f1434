"""Database restart mid-load: the server's PostgreSQL connections are cut while requests
flow (pg_terminate_backend of exactly its backends, which is what the application sees
during a restart; a real `pg_ctlcluster restart` with SIGAP_TEST_REAL_PG_RESTART=1).
No request ever gets a 500: the ones that needed the lost connection get 503 with
Retry-After (API.md's shape on the API, a plain page for pages), and the same server
serves the next requests without any restart."""

from __future__ import annotations

import os
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client

from sigap.attendance.models import CheckIn
from tests.ops.test_faults_support import (
    NETWORK_ERRORS,
    Answer,
    check_in_body,
    free_port,
    multipart,
    office_staff,
    post_check_in,
    send,
    server_env,
    start_server,
    terminate_backends,
    wait_for,
)

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

REAL_RESTART = os.environ.get("SIGAP_TEST_REAL_PG_RESTART") == "1"
PAGES = ("/", "/presensi/")


def _cut_connections(application_name: str, *, wait: bool) -> None:
    if not REAL_RESTART:
        terminate_backends(application_name, wait=wait)
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = str(int(cursor.fetchone()[0]) // 10000)
    connection.close()  # ours dies too
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", major, "main", "restart"],  # noqa: S607
        check=True,
        timeout=120,
    )


@pytest.fixture
def people(postgres, settings):
    """Office workers with API tokens, and a signed-in web session of the first one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    staff = office_staff(24)
    browser = Client()
    browser.force_login(staff.employees[0].user)
    return staff, browser.cookies[settings.SESSION_COOKIE_NAME].value


def _env(tmp_path, settings, name: str, health_checks: str) -> dict[str, str]:
    # the same SECRET_KEY as the tests: the server reads the session made here
    return server_env(
        tmp_path, name, SECRET_KEY=settings.SECRET_KEY, DB_CONN_HEALTH_CHECKS=health_checks
    )


class Traffic:
    """Three clients until stopped: check-ins (each retried with its request_id until a
    2xx), GET /api/v1/me, and the pages of a signed-in user."""

    def __init__(self, port: int, staff, session: str) -> None:
        self.port, self.staff, self.parts = port, staff, multipart()
        self.cookie = {"Cookie": f"sessionid={session}; django_language=en"}
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.answers: list[tuple[str, Answer]] = []  # (kind, answer)
        self.errors: list[str] = []
        self.delivered: dict[uuid.UUID, int] = {}  # request_id -> employee id
        self.threads = [
            threading.Thread(target=target, daemon=True)
            for target in (self._check_ins, self._api, self._pages)
        ]

    def ok_count(self) -> int:
        with self.lock:
            return sum(200 <= answer.status < 300 for _kind, answer in self.answers)

    def _call(self, kind: str, request: Callable[[], Answer]) -> Answer | None:
        try:
            answer = request()
        except NETWORK_ERRORS as exc:
            with self.lock:
                self.errors.append(f"{kind}: {exc!r}")
            return None
        with self.lock:
            self.answers.append((kind, answer))
        return answer

    def _check_ins(self) -> None:
        for index, (employee, token) in enumerate(
            zip(self.staff.employees, self.staff.tokens, strict=True)
        ):
            request_id = uuid.uuid4()
            body = check_in_body(self.parts, request_id, index)
            while True:  # the same request_id until it is stored
                answer = self._call(
                    "check-in",
                    lambda t=token, b=body: post_check_in(self.port, t, self.parts, b),
                )
                if answer is not None and answer.status != 503:
                    self.delivered[request_id] = employee.pk
                    break
                time.sleep(0.2)
            if self.stop.is_set():
                return

    def _api(self) -> None:
        auth = {"Authorization": f"Bearer {self.staff.tokens[-1]}"}
        while not self.stop.is_set():
            self._call("api", lambda: send(self.port, "GET", "/api/v1/me", headers=auth))

    def _pages(self) -> None:
        while not self.stop.is_set():
            for path in PAGES:
                self._call("page", lambda p=path: send(self.port, "GET", p, headers=self.cookie))

    def run(self, cut: Callable[[], None], cuts: int = 3) -> None:
        for thread in self.threads:
            thread.start()
        try:
            assert wait_for(lambda: self.ok_count() >= 8, timeout=120), "no traffic"
            for _ in range(cuts):
                cut()
                time.sleep(1.0)
            after = self.ok_count()
            assert wait_for(lambda: self.ok_count() >= after + 12, timeout=120), "no recovery"
        finally:
            self.stop.set()
            for thread in self.threads:
                thread.join(timeout=180)


def _assert_unavailable_shape(kind: str, answer: Answer) -> None:
    assert answer.headers.get("retry-after") == "5", (kind, answer.headers)
    if kind == "page":  # a plain page (English: the client's language cookie)
        assert answer.headers["content-type"].startswith("text/html")
        assert b"Service unavailable" in answer.body
        return
    body = answer.json()  # API.md's error shape
    assert (body["code"], body["detail"]) == ("service_unavailable", {}), body
    assert isinstance(body["message"], str) and body["message"]


def _assert_serves(port: int, staff, session: str) -> None:
    """Sequential requests on the same server: every one succeeds."""
    cookie = {"Cookie": f"sessionid={session}"}
    auth = {"Authorization": f"Bearer {staff.tokens[-1]}"}
    for _ in range(3):
        assert send(port, "GET", "/api/v1/me", headers=auth).status == 200
        for path in PAGES:
            assert send(port, "GET", path, headers=cookie).status == 200


def test_connections_cut_mid_load_give_503_never_500_and_recover(people, settings, tmp_path):
    staff, session = people
    name = f"sigap_faults_{uuid.uuid4().hex[:8]}"
    port = free_port()
    # the embedded default: no health check, so every idle connection fails once
    server = start_server(tmp_path, _env(tmp_path, settings, name, "0"), port=port, threads=2)
    pid = server.process.pid if server.process else None
    traffic = Traffic(port, staff, session)
    try:
        traffic.run(lambda: _cut_connections(name, wait=False))
        _assert_serves(port, staff, session)
        assert server.process is not None and server.process.pid == pid
        assert server.process.poll() is None, "recovered without a restart"
    finally:
        server.stop()

    statuses = Counter((kind, answer.status) for kind, answer in traffic.answers)
    assert not [key for key in statuses if key[1] >= 500 and key[1] != 503], statuses
    assert not traffic.errors, traffic.errors[:5]
    unavailable = [(kind, a) for kind, a in traffic.answers if a.status == 503]
    assert unavailable, f"no request met a cut connection: {statuses}"
    for kind, answer in unavailable:
        _assert_unavailable_shape(kind, answer)
    assert {status for (_kind, status) in statuses} <= {200, 201, 503}, statuses
    # every check-in that was answered is stored exactly once
    for request_id, employee_id in traffic.delivered.items():
        assert CheckIn.objects.filter(employee_id=employee_id, request_id=request_id).count() == 1


def test_with_health_checks_idle_connections_cut_cost_no_request(people, settings, tmp_path):
    staff, session = people
    name = f"sigap_faults_{uuid.uuid4().hex[:8]}"
    port = free_port()
    env = _env(tmp_path, settings, name, "1")  # the production profile's default
    server = start_server(tmp_path, env, port=port, workers=1, threads=2)
    try:
        _assert_serves(port, staff, session)  # every thread holds a connection now
        _cut_connections(name, wait=True)
        _assert_serves(port, staff, session)  # replaced before use: no 503 at all
    finally:
        server.stop()
