"""A small WITA agency on Monday 2026-11-23 with every roll-call case: two OPDs (one with a
division), offices, employees with each day code, and check-ins in and out of the window."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sigap.attendance.models import AttendanceDay, CheckIn, Review
from sigap.org.models import Agency, Employee, Role, Unit, UnitKind
from sigap.rollcall.models import Rollcall
from sigap.rollcall.services import SessionSpec, rollcall_create
from sigap.worktime.services import holidays_seed
from tests.factories import (
    AgencyFactory,
    EmployeeFactory,
    OfficeFactory,
    RoleFactory,
    UnitFactory,
)

WITA = ZoneInfo("Asia/Makassar")
MONDAY = dt.date(2026, 11, 23)
OFFICE_A = (-2.68, 118.89)
OFFICE_B = (-2.69, 118.90)


def at(hour: int, minute: int = 0, date: dt.date = MONDAY) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(hour, minute), tzinfo=WITA)


def day(employee: Employee, status: str, date: dt.date = MONDAY) -> AttendanceDay:
    return AttendanceDay.objects.create(
        employee=employee,
        date=date,
        status=status,
        codes=[status],
        rule_version="test",
        updated_at=at(7, 0, date),
    )


def check_in(
    employee: Employee,
    when: dt.datetime,
    *,
    point=OFFICE_A,
    inside: bool = True,
    review: str = Review.NONE,
    place_kind: str = "office",
) -> CheckIn:
    return CheckIn.objects.create(
        employee=employee,
        request_id=uuid.uuid4(),
        kind="in",
        recorded_at=when,
        captured_at=when,
        work_date=when.astimezone(WITA).date(),
        time_zone="Asia/Makassar",
        mode="WFO",
        latitude=point[0],
        longitude=point[1],
        accuracy_m=10,
        place_kind=place_kind,
        place_name="Kantor",
        place_latitude=point[0],
        place_longitude=point[1],
        place_radius_m=100,
        distance_m=5 if inside else 900,
        inside=inside,
        review=review,
        rule_version="test",
    )


@dataclass
class SmallAgency:
    agency: Agency
    opd_a: Unit
    opd_b: Unit
    head_a: Employee
    head_b: Employee
    people: dict[str, Employee] = field(default_factory=dict)
    hr: object = None
    leader: object = None

    def rollcall(self, **overrides) -> Rollcall:
        values = {
            "title": "Apel Senin",
            "date": MONDAY,
            "start_time": dt.time(7, 30),
            "cutoff_time": dt.time(8, 0),
        }
        values.update(overrides)
        return rollcall_create(agency=self.agency, spec=SessionSpec(**values))


CODES = {  # name -> day status (None: no day row yet)
    "dl": "DL",
    "ct": "CT",
    "cs": "CS",
    "sakit": "SAKIT",
    "izin": "IZIN",
    "tk": "TK",
    "belum": "BELUM",
    "noday": None,
    "libur": "LIBUR",
    "tb": "TB",
}


def build_small_agency(*, with_check_ins: bool = True) -> SmallAgency:
    agency = AgencyFactory(time_zone="Asia/Makassar")
    holidays_seed(agency=agency, year=2026)
    opd_a = UnitFactory(agency=agency, code="A-DINAS", name="Dinas Alfa")
    division = UnitFactory(
        agency=agency, code="A-BID", name="Bidang Alfa", parent=opd_a, kind=UnitKind.BIDANG
    )
    opd_b = UnitFactory(agency=agency, code="B-BADAN", name="Badan Beta")
    office_a = OfficeFactory(agency=agency, latitude=OFFICE_A[0], longitude=OFFICE_A[1])
    office_a.units.add(opd_a)
    office_b = OfficeFactory(agency=agency, latitude=OFFICE_B[0], longitude=OFFICE_B[1])
    office_b.units.add(opd_b)
    head_a = EmployeeFactory(agency=agency, unit=opd_a, name="Kepala Alfa")
    head_b = EmployeeFactory(agency=agency, unit=opd_b, name="Kepala Beta")
    Unit.objects.filter(pk=opd_a.pk).update(head=head_a)
    Unit.objects.filter(pk=opd_b.pk).update(head=head_b)
    opd_a.refresh_from_db()
    opd_b.refresh_from_db()
    small = SmallAgency(agency, opd_a, opd_b, head_a, head_b)
    for name in ["present", "early", "outside", "rejected", *CODES]:
        small.people[name] = EmployeeFactory(
            agency=agency, unit=opd_a, supervisor=head_a, name=f"Pegawai {name}"
        )
    small.people["division"] = EmployeeFactory(agency=agency, unit=division, name="Pegawai Bidang")
    small.people["beta"] = EmployeeFactory(agency=agency, unit=opd_b, name="Pegawai Beta")
    for name, code in CODES.items():
        if code is not None:
            day(small.people[name], code)
    if with_check_ins:
        _check_ins(small)
    hr = EmployeeFactory(agency=agency, unit=opd_b, name="Admin BKPSDM")
    RoleFactory(user=hr.user, agency=agency, role=Role.HR_ADMIN)
    small.hr = hr
    leader = RoleFactory(agency=agency, role=Role.LEADER).user
    small.leader = leader
    return small


def _check_ins(small: SmallAgency) -> None:
    p = small.people
    for person, when, kwargs in [
        (small.head_a, at(7, 0), {}),
        (p["present"], at(7, 10), {}),
        (p["division"], at(7, 25), {}),
        (p["early"], at(6, 20), {}),  # before the window opens (06:30)
        (p["outside"], at(7, 40), {"inside": False}),
        (p["rejected"], at(7, 15), {"review": Review.REJECTED}),
    ]:
        check_in(person, when, **kwargs)
        day(person, "HADIR" if when <= at(7, 30) else "TL1")
