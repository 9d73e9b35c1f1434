"""The roster generator job on a real Celery worker (Redis broker, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from sigap.arrangements.models import EmergencyPolicy, RosterEntry
from sigap.arrangements.tasks import roster_generation_start, roster_job
from tests.attendance.fixtures import MONDAY
from tests.attendance.test_tasks import worker_env
from tests.celery_worker import celery_worker
from tests.factories import EmployeeFactory


@pytest.mark.django_db(transaction=True)
def test_roster_generation_runs_on_a_real_worker(
    postgres, redis_cache, office_worker, settings, freeze
):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    freeze(2026, 11, 20, 9, 0)
    head = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit)
    office_worker.unit.head = head
    office_worker.unit.save(update_fields=["head"])
    for _ in range(2):
        EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit)
    EmergencyPolicy.objects.create(
        agency=office_worker.agency, name="PPKM 3", start=MONDAY, end=MONDAY, wfo_share=50
    )
    with celery_worker({**worker_env(), "SIGAP_FROZEN_TIME": "2026-11-20T09:00"}):
        job_id = roster_generation_start(
            user=head.user, unit=office_worker.unit, start=MONDAY, end=MONDAY
        )
        deadline = time.monotonic() + 90
        while (roster_job(job_id) or {}).get("state") not in ("done", "failed"):
            assert time.monotonic() < deadline, roster_job(job_id)
            time.sleep(0.2)
    job = roster_job(job_id)
    assert (job["state"], job["ok"], job["written"]) == ("done", True, 2), job
    assert RosterEntry.objects.filter(date=MONDAY, mode="WFH").count() == 2
    assert job["done"] == job["total"] == 1
    assert dt.date.fromisoformat(job["start"]) == MONDAY
