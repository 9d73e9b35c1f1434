"""The demo verification: a kiosk secret for Kominfo's office and four flagged check-ins
(fake GPS, shared coordinates twice, a shared phone) waiting for the inspector; once."""

from __future__ import annotations

import datetime as dt

import pytest

from sigap.attendance.demo import seed_attendance_history
from sigap.attendance.models import CheckIn
from sigap.org.demo import seed_org
from sigap.org.models import Office
from sigap.verification.demo import seed_verification_demo
from sigap.verification.models import CheckVerification
from sigap.worktime.services import seed_worktime_demo

pytestmark = pytest.mark.django_db
TUESDAY = dt.date(2026, 11, 24)


def test_demo_verification(freeze):
    freeze(2026, 11, 24, 9, 0)
    agency = seed_org(employees=400).agency
    seed_worktime_demo(agency=agency, year=2026, today=TUESDAY)
    seed_attendance_history(agency=agency, today=TUESDAY, days=3)
    assert seed_verification_demo(agency=agency, today=TUESDAY) == 4
    flagged = CheckIn.objects.filter(review="pending", risk_score__gte=50)
    assert flagged.count() == 4
    codes = sorted(c for row in flagged.values_list("risk_reasons", flat=True) for c in row)
    assert codes == ["mock_location", "shared_coordinates", "shared_coordinates", "shared_device"]
    pair = [e for e in flagged if e.risk_reasons == ["shared_coordinates"]]
    assert len(pair) == 2 and len({(e.latitude, e.longitude) for e in pair}) == 1
    assert Office.objects.filter(units__code="DISKOMINFO").exclude(qr_secret="").exists()
    assert seed_verification_demo(agency=agency, today=TUESDAY) == 0
    assert CheckVerification.objects.count() == 4
