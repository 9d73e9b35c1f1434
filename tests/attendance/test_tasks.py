"""The nightly job on a real Celery worker (Redis broker, PostgreSQL), as in production."""

import datetime as dt
import os

import pytest
from django.db import connection

from sigap.attendance.models import AttendanceDay
from sigap.attendance.tasks import close_due_days
from tests.celery_worker import celery_worker


def worker_env() -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SIGAP_DEMO": "1",
        # 01:00 WITA on Tuesday: Monday 23 November is over
        "SIGAP_FROZEN_TIME": "2026-11-24T01:00",
        "TIME_ZONE": "Asia/Makassar",
    }


@pytest.mark.django_db(transaction=True)
def test_close_due_days_runs_on_a_real_worker(postgres, redis_cache, office_worker, settings):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    with celery_worker(worker_env()):
        outcome = close_due_days.apply_async().get(timeout=90)
    assert outcome["2026-11-23"] == 1
    day = AttendanceDay.objects.get(employee=office_worker, date=dt.date(2026, 11, 23))
    assert day.status == "TK"
    assert day.final
