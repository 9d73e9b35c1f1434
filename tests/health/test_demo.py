"""The demo health watch: settings, a week of declarations with one flag, a positive test
with a pending WFH suggestion, an overdue front-line employee; idempotent."""

from __future__ import annotations

import datetime as dt

import pytest

from sigap.health.demo import seed_health_demo
from sigap.health.models import Declaration, HealthTest, WfhSuggestion
from sigap.health.selectors import overdue_staff
from sigap.health.settings import health_settings
from sigap.org.demo import seed_org
from sigap.org.models import Employee

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_demo_health_watch(freeze):
    freeze(2026, 11, 24, 7, 20)  # a Tuesday
    agency = seed_org(employees=400).agency
    today = dt.date(2026, 11, 24)
    result = seed_health_demo(agency=agency, today=today)
    assert result.declarations > 10 and result.tests > 2
    agency.refresh_from_db()
    assert health_settings(agency).declaration == "required"
    flagged = Declaration.objects.filter(flagged=True)
    assert flagged.count() == 1 and flagged.get().date == today
    assert Declaration.objects.filter(date__lt=today).values("date").distinct().count() == 5
    pegawai = Employee.objects.get(user__username="pegawai")
    assert not Declaration.objects.filter(employee=pegawai, date=today).exists()
    assert HealthTest.objects.filter(result="positive").count() == 1
    assert WfhSuggestion.objects.filter(status="pending").count() == 2  # the flag, the positive
    overdue = overdue_staff(
        agency=agency, employees=Employee.objects.filter(agency=agency), today=today
    )
    assert len(overdue) == 1
    again = seed_health_demo(agency=agency, today=today)
    assert (again.declarations, again.tests) == (0, 0)
    assert WfhSuggestion.objects.count() == 2
