"""Rows and stored files for the retention, export and breach tests: check-ins with real
selfie files in chosen months, refused attempts, face references, verification hashes,
month reopenings, and one person's rows in every exported section."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from sigap.arrangements.models import FlexibleWorkApplication, RosterEntry
from sigap.attendance.models import (
    AttendanceDay,
    AttendanceRequest,
    CheckIn,
    MonthReopening,
    RefusedCheckIn,
    RequestStep,
)
from sigap.core.models import Notification
from sigap.discipline.models import DisciplineAlert, TppStatement
from sigap.org.models import Agency, Employee
from sigap.performance.models import Activity, DailyReport, Evidence, Task
from sigap.verification.models import CheckVerification, Device, FaceReference

WITA = ZoneInfo("Asia/Makassar")
UTC = dt.UTC


def at(*args: int) -> dt.datetime:
    """A WITA date-time."""
    return dt.datetime(*args, tzinfo=WITA)


def stored_file(prefix: str, content: bytes | None = None) -> str:
    data = content or f"jpeg-{uuid.uuid4().hex}".encode()
    return default_storage.save(f"{prefix}/{uuid.uuid4().hex}.jpg", ContentFile(data))


def check_in(
    employee: Employee, day: dt.date, *, selfie: bool = True, hour: int = 7, kind: str = "in"
) -> CheckIn:
    when = at(day.year, day.month, day.day, hour, 20)
    return CheckIn.objects.create(
        employee=employee,
        request_id=uuid.uuid4(),
        kind=kind,
        recorded_at=when,
        captured_at=when,
        work_date=day,
        time_zone="Asia/Makassar",
        mode="WFO",
        latitude=-2.68,
        longitude=118.89,
        accuracy_m=10,
        place_kind="office",
        place_name="Kantor",
        place_latitude=-2.68,
        place_longitude=118.89,
        place_radius_m=100,
        distance_m=5,
        inside=True,
        selfie=stored_file("selfies/2026") if selfie else "",
        rule_version="test",
    )


def refused(employee: Employee, when: dt.datetime, *, located: bool = True) -> RefusedCheckIn:
    return RefusedCheckIn.objects.create(
        employee=employee,
        request_id=uuid.uuid4(),
        kind="in",
        at=when,
        latitude=-2.7 if located else None,
        longitude=118.9 if located else None,
        accuracy_m=20 if located else None,
        code="outside_geofence",
    )


def face_reference(
    employee: Employee,
    *,
    status: str = "active",
    image: str | None = None,
    event: CheckIn | None = None,
    created: dt.datetime | None = None,
) -> FaceReference:
    return FaceReference.objects.create(
        employee=employee,
        image=image or stored_file("faces"),
        template=[0.1] * 128,
        status=status,
        source="selfie" if event is not None else "hr_upload",
        check_in=event,
        model_version="test",
        created_at=created or at(2026, 1, 5, 9, 0),
    )


def hashed(event: CheckIn, phash: int = 1234567) -> CheckVerification:
    return CheckVerification.objects.create(
        check_in=event,
        employee=event.employee,
        work_date=event.work_date,
        face="matched",
        phash=phash,
        processed_at=event.recorded_at,
    )


def reopening(agency: Agency, year: int, month: int, *, opened, closed=None) -> MonthReopening:
    return MonthReopening.objects.create(
        agency=agency, year=year, month=month, reason="klarifikasi", reopened_at=opened,
        closed_at=closed,
    )  # fmt: skip


def exists(name: str) -> bool:
    return bool(name) and default_storage.exists(name)


# --- one person's rows in every exported section ----------------------------------------


def seed_person(employee: Employee, tag: str) -> dict[str, object]:
    """Rows of `employee` in every section; `tag` marks their free texts."""
    day = dt.date(2026, 11, 2)
    event = check_in(employee, day)
    AttendanceDay.objects.create(
        employee=employee, date=day, status="HADIR", codes=["HADIR"], mode="WFO",
        check_in=event.recorded_at, rule_version="test", updated_at=event.recorded_at,
    )  # fmt: skip
    attempt = refused(employee, at(2026, 11, 2, 6, 55))
    request = AttendanceRequest.objects.create(
        employee=employee, type="IZIN", status="approved", start=day, end=day,
        reason=f"izin {tag}", attachment=stored_file("requests"),
        submitted_at=at(2026, 10, 30, 9, 0),
    )  # fmt: skip
    RequestStep.objects.create(request=request, order=1, role="supervisor", note=f"ok {tag}")
    RosterEntry.objects.create(
        employee=employee, date=day, mode="WFH", reason="manual", note=f"roster {tag}",
        changed_at=at(2026, 10, 30, 9, 0),
    )  # fmt: skip
    FlexibleWorkApplication.objects.create(
        employee=employee, reason=f"fleksibel {tag}", work_plan="rencana", days_per_week=1,
        valid_from=day, valid_until=day, submitted_at=at(2026, 10, 1, 9, 0),
    )  # fmt: skip
    Notification.objects.create(
        user=employee.user, kind="test", title=f"pesan {tag}", created_at=at(2026, 11, 2, 9, 0)
    )
    report = DailyReport.objects.create(
        employee=employee, date=day, status="submitted", total_minutes=60,
        submitted_at=at(2026, 11, 2, 16, 0),
    )  # fmt: skip
    evidence = Evidence.objects.create(
        employee=employee, file=stored_file("evidence"), content_type="image/jpeg", size=10,
        uploaded_at=at(2026, 11, 2, 15, 0),
    )  # fmt: skip
    Activity.objects.create(
        report=report,
        order=1,
        description=f"kegiatan {tag}",
        minutes=60,
        evidence=evidence,
        output_qty=Decimal(1),
        output_unit="dok",
    )
    Task.objects.create(
        assignee=employee, title=f"tugas {tag}", target_qty=Decimal(1), target_unit="dok",
        due=day, created_at=at(2026, 10, 1, 9, 0),
    )  # fmt: skip
    zero = Decimal("0")
    TppStatement.objects.create(
        employee=employee, year=2026, month=10, lines=[{"code": "TL1", "note": tag}],
        lines_pct=zero, deduction_pct=zero, discipline_pct=zero, performance_part_pct=zero,
        performance_pct=zero, final_pct=Decimal("100"), computed_at=at(2026, 11, 1, 1, 0),
        rule_version="test",
    )  # fmt: skip
    DisciplineAlert.objects.create(
        employee=employee, year=2026, threshold=3, level="ringan", sanction="teguran",
        unexcused_days=3, reached_on=day, raised_at=at(2026, 11, 2, 9, 0), note=f"alert {tag}",
    )  # fmt: skip
    Device.objects.create(
        employee=employee, device_id=f"hp-{tag}", device_name=f"HP {tag}", status="approved",
        first_seen_at=at(2026, 1, 2, 7, 0), last_seen_at=at(2026, 11, 2, 7, 0),
    )  # fmt: skip
    reference = face_reference(employee)
    return {"check_in": event, "refused": attempt, "request": request, "reference": reference}
