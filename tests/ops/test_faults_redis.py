"""Redis down: a real gunicorn whose Redis (a private redis-server on a spare port) is
killed. Check-ins still succeed, pages still load, the login throttle neither fails nor
fails open (it counts in memory), and a check-in made meanwhile is verified after Redis
returns (the `verification.sweep` beat job enqueues what the publisher could not)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sigap.attendance.models import CheckIn
from sigap.verification.models import CheckVerification
from tests.celery_worker import celery_worker
from tests.conftest import requires
from tests.factories import PASSWORD
from tests.ops.test_faults_support import (
    check_in_body,
    free_port,
    multipart,
    office_staff,
    post_check_in,
    send,
    server_env,
    start_server,
    wait_for,
)

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

MAX_FAILURES = 3


class PrivateRedis:
    """A throw-away redis-server on a spare port, which the test may kill and restart."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1", "--save", ""),
                *("--appendonly", "no", "--dir", str(self.workdir)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self.answers, timeout=30), "redis-server did not start"

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.process = None


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    requires("redis-server", bool(shutil.which("redis-server")), "needs the redis-server binary")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.kill()


def _sign_in_page(port: int, username: str) -> tuple[int, str]:
    """The login form as a browser sends it: the CSRF cookie and field, then the POST."""
    page = send(port, "GET", "/masuk/", headers={"Cookie": "django_language=en"})
    assert page.status == 200
    csrf = re.search(r"csrftoken=([^;]+)", page.headers.get("set-cookie", "")).group(1)
    field = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
    body = f"csrfmiddlewaretoken={field.decode()}&username={username}&password={PASSWORD}"
    answer = send(
        port,
        "POST",
        "/masuk/",
        body=body.encode(),
        headers={
            "Cookie": f"csrftoken={csrf}; django_language=en",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}/masuk/",
        },
    )
    session = re.search(r"sessionid=([^;]+)", answer.headers.get("set-cookie", ""))
    return answer.status, session.group(1) if session else ""


def _token_attempt(port: int, username: str, password: str) -> int:
    body = (f'{{"username": "{username}", "password": "{password}", "device_id": "hp-x"}}').encode()
    headers = {"Content-Type": "application/json"}
    return send(port, "POST", "/api/v1/auth/token", body=body, headers=headers).status


def _sweep(env: dict[str, str]) -> None:
    """What beat does every minute: `verification.sweep`, sent to the broker."""
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "sigap.config.celery", "call", "verification.sweep"],
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
    )


def test_redis_down_check_ins_and_pages_work_and_verification_follows(
    postgres, private_redis, settings, tmp_path
):
    staff = office_staff(2)
    walker, locked = (employee.user.username for employee in staff.employees)
    name = f"sigap_faults_{uuid.uuid4().hex[:8]}"
    env = server_env(
        tmp_path,
        name,
        REDIS_URL=private_redis.url,
        SIGAP_VERIFICATION="1",
        SIGAP_LOGIN_MAX_FAILURES_ACCOUNT=str(MAX_FAILURES),
    )
    port = free_port()
    # one worker: the throttle's in-memory fallback is per process
    server = start_server(tmp_path, env, port=port, workers=1, threads=4)
    parts = multipart()
    request_id = uuid.uuid4()
    try:
        private_redis.kill()

        created = post_check_in(port, staff.tokens[0], parts, check_in_body(parts, request_id))
        assert created.status == 201, created.body
        assert send(port, "GET", "/api/v1/me", headers=_bearer(staff.tokens[0])).status == 200
        # a job cannot be queued without the broker: 503 to retry later, not 500
        export = send(port, "POST", "/api/v1/me/data-export", headers=_bearer(staff.tokens[0]))
        assert export.status == 503, export.body
        assert export.json()["code"] == "service_unavailable"
        status, session = _sign_in_page(port, walker)
        assert (status, bool(session)) == (302, True)
        for path in ("/", "/presensi/"):
            assert send(port, "GET", path, headers={"Cookie": f"sessionid={session}"}).status == 200
        # the throttle still locks out (in this process's memory), it neither 500s nor opens
        wrong = [_token_attempt(port, locked, "wrong-password") for _ in range(MAX_FAILURES)]
        assert wrong == [401] * MAX_FAILURES
        assert _token_attempt(port, locked, PASSWORD) == 429
        ready = send(port, "GET", "/readyz")  # monitoring is told; the balancer keeps it
        assert ready.status == 200 and ready.json()["status"] == "degraded"

        check_in_id = created.json()["id"]
        log = tmp_path / "gunicorn.log"
        lost = f"verification of check-in {check_in_id} not enqueued"
        assert wait_for(lambda: lost in log.read_text(errors="replace"), timeout=90), (
            server.log_tail()
        )
        assert not CheckVerification.objects.filter(check_in_id=check_in_id).exists()

        private_redis.start()  # Redis returns, empty
        assert _token_attempt(port, locked, PASSWORD) == 429  # the lock-out held
        # the worker's clock is 5 minutes later: the sweep takes check-ins 2+ minutes old
        worker_env = {**env, "SIGAP_FROZEN_TIME": "2026-11-23T07:25"}
        with celery_worker(worker_env):
            _sweep(worker_env)
            verified = wait_for(
                lambda: CheckVerification.objects.filter(check_in_id=check_in_id).exists(),
                timeout=120,
                interval=0.5,
            )
        assert verified, "the sweep did not get the check-in verified"
        assert CheckIn.objects.get(pk=check_in_id).verification != "pending"
    finally:
        server.stop()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
