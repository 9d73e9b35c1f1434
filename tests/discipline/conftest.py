"""A small WITA agency for discipline: an OPD (head, supervisor, three staff) and a second
OPD; October 2026 (locked on 2026-11-24: its clarification deadline was 4 November) and
November 2026 (open)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from sigap.attendance.models import AttendanceDay
from sigap.org.models import Agency, Employee, Role, Unit
from sigap.rollcall.models import Participation, Rollcall
from tests.factories import AgencyFactory, EmployeeFactory, OfficeFactory, RoleFactory, UnitFactory

WITA = ZoneInfo("Asia/Makassar")


def at(date: dt.date, hour: int = 8, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(hour, minute), tzinfo=WITA)


def day(
    employee: Employee,
    date: dt.date,
    status: str,
    *,
    codes: list[str] | None = None,
    late: int = 0,
    early: int = 0,
    flags: list[str] | None = None,
    mode: str = "WFO",
) -> AttendanceDay:
    return AttendanceDay.objects.update_or_create(
        employee=employee,
        date=date,
        defaults={
            "status": status,
            "codes": codes or [status],
            "late_minutes": late,
            "early_minutes": early,
            "flags": flags or [],
            "mode": mode,
            "final": True,
            "rule_version": "test",
            "updated_at": at(date),
        },
    )[0]


def missed_rollcall(employee: Employee, date: dt.date) -> Participation:
    rollcall = Rollcall.objects.filter(agency=employee.agency, date=date).first()
    if rollcall is None:
        rollcall = Rollcall.objects.create(
            agency=employee.agency,
            title="Apel Senin",
            date=date,
            start_time=dt.time(7, 30),
            cutoff_time=dt.time(8, 0),
            kind="physical",
            place_kind="own_offices",
            time_zone="Asia/Makassar",
            created_at=at(date, 7),
        )
    return Participation.objects.create(
        rollcall=rollcall, employee=employee, present=False, source="missed", at=at(date)
    )


@dataclass
class Org:
    agency: Agency
    opd: Unit
    other_opd: Unit
    head: Employee
    boss: Employee
    staff: list[Employee]
    outsider: Employee  # in the other OPD
    hr: Employee
    foreign: Employee  # another agency


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db) -> Org:
    agency = AgencyFactory(code="disiplin", name="Pemkab Disiplin")
    opd = UnitFactory(agency=agency, code="DINAS-A", name="Dinas A")
    other = UnitFactory(agency=agency, code="DINAS-B", name="Dinas B")
    office = OfficeFactory(agency=agency)
    office.units.add(opd, other)
    head = EmployeeFactory(agency=agency, unit=opd, name="Kepala Dinas A")
    opd.head = head
    opd.save(update_fields=["head"])
    boss = EmployeeFactory(agency=agency, unit=opd, name="Atasan", supervisor=head)
    staff = [
        EmployeeFactory(agency=agency, unit=opd, name=f"Staf {n}", supervisor=boss)
        for n in range(1, 4)
    ]
    outsider = EmployeeFactory(agency=agency, unit=other, name="Orang Dinas B")
    hr = EmployeeFactory(agency=agency, unit=other, name="Admin BKPSDM")
    RoleFactory(user=hr.user, agency=agency, role=Role.HR_ADMIN)
    foreign = EmployeeFactory(name="Orang Lain")
    return Org(agency, opd, other, head, boss, staff, outsider, hr, foreign)
