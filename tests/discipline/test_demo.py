"""The demo discipline: a stored table, statements of this and last month, and one alert
for atasan.kominfo about a colleague of `pegawai`; a second run adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from sigap.attendance.demo import seed_attendance_history
from sigap.discipline.demo import seed_discipline_demo
from sigap.discipline.models import DisciplineAlert, TppStatement, TppTableVersion
from sigap.org.demo import seed_org
from sigap.worktime.services import seed_worktime_demo

pytestmark = pytest.mark.django_db
TUESDAY = dt.date(2026, 11, 24)


def test_demo_discipline(freeze):
    freeze(2026, 11, 24, 9, 0)
    agency = seed_org(employees=400).agency
    seed_worktime_demo(agency=agency, year=2026, today=TUESDAY)
    seed_attendance_history(agency=agency, today=TUESDAY, days=8)
    result = seed_discipline_demo(agency=agency, today=TUESDAY)
    assert TppTableVersion.objects.filter(agency=agency).count() == 1
    assert TppStatement.objects.filter(year=2026, month=11).count() == 400
    alert = DisciplineAlert.objects.get()
    assert alert.supervisor is not None and alert.supervisor.unit.code.startswith("DISKOMINFO")
    assert result.examiner == alert.supervisor.name
    assert alert.employee.name == result.absentee and alert.sanction == "verbal_warning"
    statement = TppStatement.objects.get(employee=alert.employee, month=11)
    assert statement.counts.get("TK") == 3
    again = seed_discipline_demo(agency=agency, today=TUESDAY)
    assert again.alerts == 0 and DisciplineAlert.objects.count() == 1
    assert TppTableVersion.objects.count() == 1
