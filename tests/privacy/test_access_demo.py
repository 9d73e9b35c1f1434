"""The demo access log: the supervisor viewed pegawai's selfie, the inspector the map of
that day and the flagged check-ins, the HR admin pegawai's record; pegawai's own page and
the HR search show them; seeded once."""

from __future__ import annotations

import datetime as dt

import pytest

from sigap.attendance.demo import seed_attendance_history
from sigap.core.models import User
from sigap.org.demo import seed_org
from sigap.privacy.models import AccessLog, DataCategory
from sigap.verification.demo import seed_verification_demo
from sigap.web.privacy_views.demo import seed_access_demo
from sigap.worktime.services import seed_worktime_demo

pytestmark = pytest.mark.django_db
TUESDAY = dt.date(2026, 11, 24)


def test_demo_access_log(freeze, client):
    freeze(2026, 11, 24, 9, 0)
    agency = seed_org(employees=400).agency
    seed_worktime_demo(agency=agency, year=2026, today=TUESDAY)
    seed_attendance_history(agency=agency, today=TUESDAY, days=3)
    seed_verification_demo(agency=agency, today=TUESDAY)
    written = seed_access_demo(agency=agency, today=TUESDAY)
    pegawai = User.objects.get(username="pegawai").employee
    mine = AccessLog.objects.filter(subject=pegawai)
    assert {(r.actor.username, r.category) for r in mine} == {
        ("atasan.kominfo", DataCategory.SELFIE),
        ("inspektur", DataCategory.LOCATION),
        ("admin", DataCategory.LOCATION),
    }
    assert written == AccessLog.objects.count() > 5  # the map and queue show several people
    assert AccessLog.objects.filter(path="/verifikasi/").count() == 4  # the flagged people
    assert all(r.at <= dt.datetime(2026, 11, 24, 1, 0, tzinfo=dt.UTC) for r in mine)
    assert seed_access_demo(agency=agency, today=TUESDAY) == 0  # once
    client.force_login(pegawai.user)
    assert len(client.get("/privasi/akses-saya/").context["rows"]) == 3
    client.force_login(User.objects.get(username="inspektur"))
    assert client.get("/privasi/akses/").context["page"].paginator.count == written
