"""The demo roll call: the latest Monday's session with real numbers, a few OPDs confirmed
(Kominfo left for kepala.kominfo), the next session ahead; a second run changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from sigap.attendance.demo import seed_attendance_history
from sigap.org.demo import seed_org
from sigap.rollcall.demo import CONFIRMED_OPDS, seed_rollcall_demo
from sigap.rollcall.models import Rollcall, UnitReport
from sigap.worktime.services import seed_worktime_demo

pytestmark = pytest.mark.django_db
WEDNESDAY = dt.date(2026, 11, 25)


def test_demo_roll_call(freeze):
    freeze(2026, 11, 25, 7, 20)
    agency = seed_org(employees=400).agency
    seed_worktime_demo(agency=agency, year=2026, today=WEDNESDAY)
    seed_attendance_history(agency=agency, today=WEDNESDAY, days=3)
    rollcall = seed_rollcall_demo(agency=agency, today=WEDNESDAY)
    assert rollcall.date == dt.date(2026, 11, 23)
    reports = UnitReport.objects.filter(rollcall=rollcall)
    assert reports.filter(confirmed_at__isnull=False).count() == CONFIRMED_OPDS
    assert not reports.filter(unit__code="DISKOMINFO", confirmed_at__isnull=False).exists()
    assert sum(r.present for r in reports) > 0
    assert Rollcall.objects.filter(agency=agency, date=dt.date(2026, 11, 30)).exists()
    assert seed_rollcall_demo(agency=agency, today=WEDNESDAY) == rollcall
    assert Rollcall.objects.filter(agency=agency).count() == 2
