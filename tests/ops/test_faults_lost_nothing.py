"""Lost nothing: a burst of concurrent check-ins against a real gunicorn; the whole server
(master and workers) is SIGKILLed mid-burst and restarted; every client retries what
failed or got no answer with the same request_id until it gets a 2xx. Afterwards every
check-in is stored exactly once and a retry answers what the first attempt did."""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from dataclasses import dataclass, field

import pytest
from django.db.models import Count

from sigap.attendance.models import CheckIn
from tests.ops.test_faults_support import (
    NETWORK_ERRORS,
    Answer,
    check_in_body,
    free_port,
    multipart,
    office_staff,
    post_check_in,
    server_env,
    start_server,
    wait_for,
)

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

EMPLOYEES = 40
CLIENTS = 8
DEADLINE_S = 150  # the whole burst, retries included, on a loaded machine


@dataclass
class Planned:
    token: str
    employee_id: int
    request_id: uuid.UUID
    body: bytes
    attempts: list[str] = field(default_factory=list)  # status codes or error names
    answer: Answer | None = None  # the first 2xx
    answered_at: float = 0.0


class Burst:
    """CLIENTS threads share the planned check-ins; each retries until a 2xx."""

    def __init__(self, port: int, parts, plan: list[Planned]) -> None:
        self.port = port
        self.parts = parts
        self.plan = plan
        self.lock = threading.Lock()
        self.next = 0
        self.done = 0
        self.deadline = time.monotonic() + DEADLINE_S
        self.threads = [threading.Thread(target=self._client, daemon=True) for _ in range(CLIENTS)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=max(1.0, self.deadline - time.monotonic() + 30))

    def _take(self) -> Planned | None:
        with self.lock:
            if self.next >= len(self.plan):
                return None
            self.next += 1
            return self.plan[self.next - 1]

    def _client(self) -> None:
        while (item := self._take()) is not None:
            self._deliver(item)

    def _deliver(self, item: Planned) -> None:
        while time.monotonic() < self.deadline:
            try:
                answer = post_check_in(self.port, item.token, self.parts, item.body)
            except NETWORK_ERRORS as exc:  # killed mid-request, or down: retry the same id
                item.attempts.append(exc.__class__.__name__)
                time.sleep(0.2)
                continue
            item.attempts.append(str(answer.status))
            if 200 <= answer.status < 300:
                item.answer, item.answered_at = answer, time.monotonic()
                with self.lock:
                    self.done += 1
                return
            if answer.status not in (502, 503):
                return  # a refusal: reported by the assertions below
            time.sleep(0.2)


def _plan(staff, parts) -> list[Planned]:
    plan = []
    for index, (employee, token) in enumerate(zip(staff.employees, staff.tokens, strict=True)):
        request_id = uuid.uuid4()
        body = check_in_body(parts, request_id, index)
        plan.append(Planned(token, employee.pk, request_id, body))
    return plan


def _kill_whole_server(server) -> list[int]:
    """SIGKILL the master and its workers at once (their process group)."""
    assert server.process is not None
    workers = server.worker_pids()
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=30)
    assert wait_for(lambda: not any(os.path.exists(f"/proc/{pid}") for pid in workers), 30)
    server.stop()  # closes the log; the process is already gone
    return workers


def test_sigkill_mid_burst_loses_nothing_and_stores_nothing_twice(postgres, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast setup
    staff = office_staff(EMPLOYEES)
    parts = multipart()
    plan = _plan(staff, parts)
    port = free_port()
    env = server_env(tmp_path, f"sigap_faults_{uuid.uuid4().hex[:8]}")
    server = start_server(tmp_path, env, port=port, workers=2, threads=4)
    burst = Burst(port, parts, plan)
    try:
        burst.start()
        assert wait_for(lambda: burst.done >= EMPLOYEES // 4, timeout=90), "no progress"
        killed_at = time.monotonic()
        workers = _kill_whole_server(server)
        time.sleep(0.5)  # clients meet a dead port for a while
        server = start_server(tmp_path, env, port=port, workers=2, threads=4)
        burst.join()
        # a client that lost the answer of a check-in that did succeed sends it again
        early = [item for item in plan if item.answer and item.answered_at < killed_at]
        resent = {
            item.request_id: post_check_in(port, item.token, parts, item.body) for item in early
        }
    finally:
        server.stop()

    assert len(workers) == 2
    unanswered = [(str(item.request_id), item.attempts) for item in plan if item.answer is None]
    assert not unanswered, unanswered
    retried = [item for item in plan if len(item.attempts) > 1]
    assert retried, "the kill must have hit the burst"
    assert any(attempt.isalpha() for item in retried for attempt in item.attempts)

    stored = {
        (row.employee_id, row.request_id): row
        for row in CheckIn.objects.filter(employee_id__in=[e.pk for e in staff.employees])
    }
    assert len(stored) == CheckIn.objects.count() == EMPLOYEES  # nothing extra, nothing lost
    duplicates = (
        CheckIn.objects.values("employee_id", "request_id").annotate(n=Count("id")).filter(n__gt=1)
    )
    assert not duplicates.exists()
    for item in plan:
        assert item.answer is not None
        row = stored[(item.employee_id, item.request_id)]
        assert item.answer.json()["id"] == row.pk
        assert item.answer.json()["request_id"] == str(item.request_id)
    assert early, "some check-ins were answered before the kill"
    for item in early:
        again = resent[item.request_id]
        assert again.status == 200, again.body  # a replay, not a second check-in
        assert item.answer is not None
        assert again.json() == item.answer.json()
