"""A small agency for the access-log tests: a unit with its head, a supervisor and their
staff member, an HR admin (staff of the back office), an inspector without an employee
record, and another agency with its own HR admin and employee. The staff member has a
check-in with a selfie (pending review and flagged by verification) and a reference
photo, the unit head a refused attempt; files live in a private media directory."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from sigap.attendance.models import CheckIn, RefusedCheckIn, Review
from sigap.attendance.services import attendance_day_recompute
from sigap.core import clock
from sigap.core.models import User
from sigap.org.models import Employee, Role, Unit
from sigap.verification.models import FaceReference, ReferenceSource, ReferenceStatus
from sigap.worktime.services import holidays_seed
from tests.factories import AgencyFactory, EmployeeFactory, OfficeFactory, RoleFactory, UnitFactory

WITA = ZoneInfo("Asia/Makassar")
MONDAY = dt.date(2026, 11, 23)
JPEG = b"\xff\xd8\xff\xe0jpeg"


@dataclass
class World:
    agency: object
    unit: Unit
    head: Employee
    boss: Employee  # supervises staff
    staff: Employee
    colleague: Employee  # another of boss's people
    hr: Employee
    inspector: User
    other_hr: Employee
    other_staff: Employee
    check_in: CheckIn
    colleague_check_in: CheckIn
    boss_check_in: CheckIn
    refused: RefusedCheckIn
    reference: FaceReference
    hr_reference: FaceReference


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(MONDAY, dt.time(hour, minute), tzinfo=WITA)


def make_check_in(
    employee: Employee, when: dt.datetime, *, flagged: bool = False, selfie: bool = True
) -> CheckIn:
    name = default_storage.save(f"selfies/{employee.nip}.jpg", ContentFile(JPEG)) if selfie else ""
    event = CheckIn.objects.create(
        employee=employee,
        request_id=uuid.uuid4(),
        kind="in",
        recorded_at=when,
        captured_at=when,
        work_date=when.astimezone(WITA).date(),
        time_zone="Asia/Makassar",
        mode="WFO",
        latitude=-2.6801,
        longitude=118.8902,
        accuracy_m=10,
        place_kind="office",
        place_name="Kantor",
        place_latitude=-2.68,
        place_longitude=118.89,
        place_radius_m=100,
        distance_m=15,
        inside=True,
        review=Review.PENDING if flagged else Review.NONE,
        review_reasons=["verification"] if flagged else [],
        risk_score=70 if flagged else 0,
        risk_reasons=["face_mismatch"] if flagged else [],
        rule_version="test",
        selfie=name,
    )
    attendance_day_recompute(employee=employee, date=event.work_date)
    return event


def make_reference(employee: Employee) -> FaceReference:
    name = default_storage.save(f"faces/{employee.nip}.jpg", ContentFile(JPEG))
    return FaceReference.objects.create(
        employee=employee,
        image=name,
        template=[0.0] * 128,
        status=ReferenceStatus.ACTIVE,
        source=ReferenceSource.HR_UPLOAD,
        model_version="test",
        created_at=clock.now(),
    )


@pytest.fixture(name="world")
def world_fixture(db, freeze, settings, tmp_path) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    freeze(2026, 11, 23, 10, 0)
    agency = AgencyFactory(time_zone="Asia/Makassar")
    holidays_seed(agency=agency, year=2026)
    unit = UnitFactory(agency=agency, code="A", name="Dinas Alfa")
    office = OfficeFactory(agency=agency, latitude=-2.68, longitude=118.89, radius_m=100)
    office.units.add(unit)
    head = EmployeeFactory(agency=agency, unit=unit, name="Kepala Alfa")
    Unit.objects.filter(pk=unit.pk).update(head=head)
    boss = EmployeeFactory(agency=agency, unit=unit, supervisor=head, name="Atasan Alfa")
    staff = EmployeeFactory(agency=agency, unit=unit, supervisor=boss, name="Andi Staf")
    colleague = EmployeeFactory(agency=agency, unit=unit, supervisor=boss, name="Citra Staf")
    hr = EmployeeFactory(agency=agency, unit=unit, supervisor=head, name="Admin BKPSDM")
    RoleFactory(user=hr.user, agency=agency, role=Role.HR_ADMIN)
    inspector = RoleFactory(agency=agency, role=Role.INSPECTOR).user
    inspector.first_name = "Inspektur"
    inspector.save(update_fields=["first_name"])
    other_unit = UnitFactory(code="X", name="Dinas Lain")
    other_hr = EmployeeFactory(agency=other_unit.agency, unit=other_unit, name="HR Lain")
    RoleFactory(user=other_hr.user, agency=other_unit.agency, role=Role.HR_ADMIN)
    other_staff = EmployeeFactory(agency=other_unit.agency, unit=other_unit, name="Staf Lain")
    refused = RefusedCheckIn.objects.create(
        employee=head,
        kind="in",
        at=at(7, 5),
        latitude=-2.7,
        longitude=118.95,
        accuracy_m=12,
        code="outside_geofence",
    )
    return World(
        agency=agency,
        unit=unit,
        head=head,
        boss=boss,
        staff=staff,
        colleague=colleague,
        hr=hr,
        inspector=inspector,
        other_hr=other_hr,
        other_staff=other_staff,
        check_in=make_check_in(staff, at(7, 10), flagged=True),
        colleague_check_in=make_check_in(colleague, at(7, 20)),
        boss_check_in=make_check_in(boss, at(7, 0)),
        refused=refused,
        reference=make_reference(staff),
        hr_reference=make_reference(hr),
    )
