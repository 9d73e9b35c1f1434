"""A small hand-counted agency for the recap tests (Monday 23 November 2026, WITA).

OPD "A" (office in WITA) with its own staff and a sub-unit "A1"; a shift-based hospital "H";
OPD "B" with its head (another OPD). Every status and mode is there:

| who | unit | day row (status, mode) | roster | on the day (10:00) | after it |
|---|---|---|---|---|---|
| hadir | A | HADIR WFO, in 07:20 | | HADIR, WFO | |
| late | A | TL1 WFH, in 07:45 | WFH | TL1, WFH | |
| early | A | PSW2 WFA | WFA | PSW2, WFA | |
| absent | A | TK (no mode) | WFH | TK, WFH | |
| travel | A | DL DL | DL | DL | |
| leave | A | CT | OFF | CT | |
| waiting | A | none | | BELUM, WFO | TK |
| head_a | A | none | | BELUM, WFO | TK |
| sub_hadir | A1 | HADIR WFO | | HADIR, WFO | |
| sub_waiting | A1 | none | WFA | BELUM, WFA | TK |
| nurse_off | H | none, no shift | | LIBUR | |
| nurse_on | H | none, 07:00-14:00 | | BELUM, WFO | TK |
| gone | A | inactive: not counted | | | |
| head_b | B | none | | BELUM | TK |
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sigap.arrangements.models import Mode
from sigap.attendance.models import AttendanceDay
from sigap.core.tokens import token_issue
from sigap.org.models import Role
from sigap.worktime.models import Shift, ShiftAssignment
from sigap.worktime.services import holidays_seed
from tests.arrangements.conftest import plan
from tests.factories import (
    AgencyFactory,
    EmployeeFactory,
    OfficeFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)

MONDAY = dt.date(2026, 11, 23)
WITA = ZoneInfo("Asia/Makassar")
STAMP = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)


def bearer(user) -> dict:
    token = token_issue(user=user, device_id="hp", device_name="HP").token
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def day_row(employee, status, mode="", day=MONDAY, check_in=None):
    return AttendanceDay.objects.create(
        employee=employee,
        date=day,
        status=status,
        codes=[status],
        mode=mode,
        check_in=check_in,
        rule_version="t",
        updated_at=STAMP,
    )


def at(hour: int, minute: int, day: dt.date = MONDAY, tz=WITA) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def _people(agency, units) -> dict:
    a, a1, h, b = units
    people = {
        name: EmployeeFactory(agency=agency, unit=unit, name=name.replace("_", " ").title())
        for name, unit in [
            ("hadir", a), ("late", a), ("early", a), ("absent", a), ("travel", a),
            ("leave", a), ("waiting", a), ("head_a", a), ("sub_hadir", a1),
            ("sub_waiting", a1), ("nurse_off", h), ("nurse_on", h), ("head_b", b),
        ]
    }  # fmt: skip
    EmployeeFactory(agency=agency, unit=a, active=False, name="Gone")
    a.head, b.head = people["head_a"], people["head_b"]
    a.save(update_fields=["head"])
    b.save(update_fields=["head"])
    return people


def _days(p: dict, agency) -> None:
    day_row(p["hadir"], "HADIR", "WFO", check_in=at(7, 20))
    day_row(p["late"], "TL1", "WFH", check_in=at(7, 45))
    day_row(p["early"], "PSW2", "WFA", check_in=at(7, 25))
    day_row(p["absent"], "TK")
    day_row(p["travel"], "DL", "DL")
    day_row(p["leave"], "CT")
    day_row(p["sub_hadir"], "HADIR", "WFO", check_in=at(7, 10))
    for who, mode in [("late", Mode.WFH), ("early", Mode.WFA), ("absent", Mode.WFH)]:
        plan(p[who], MONDAY, mode)
    plan(p["travel"], MONDAY, Mode.DL)
    plan(p["leave"], MONDAY, Mode.OFF, absence_code="CT")
    plan(p["sub_waiting"], MONDAY, Mode.WFA)
    shift = Shift.objects.create(
        agency=agency, code="P", name="Pagi", start=dt.time(7), end=dt.time(14)
    )
    ShiftAssignment.objects.create(employee=p["nurse_on"], date=MONDAY, shift=shift)


@pytest.fixture
def small_agency(db):
    return build_small_agency()


def build_small_agency() -> dict:
    agency = AgencyFactory(time_zone="Asia/Makassar")
    holidays_seed(agency=agency, year=2026)
    a = UnitFactory(agency=agency, code="A", name="Dinas A")
    a1 = UnitFactory(agency=agency, code="A1", name="Bidang A1", parent=a)
    h = UnitFactory(agency=agency, code="H", name="RSUD", shift_based=True)
    b = UnitFactory(agency=agency, code="B", name="Dinas B")
    office = OfficeFactory(agency=agency, time_zone="Asia/Makassar")
    office.units.add(a, h, b)
    people = _people(agency, (a, a1, h, b))
    _days(people, agency)
    hr = UserFactory()
    RoleFactory(user=hr, agency=agency, role=Role.HR_ADMIN)
    return {"agency": agency, "a": a, "a1": a1, "h": h, "b": b, "hr": hr, **people}
