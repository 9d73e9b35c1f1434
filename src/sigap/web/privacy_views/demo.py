"""Demo access log: a few views of other people's data, so that /privasi/akses/ (HR admin
`admin`, inspector `inspektur`) and `pegawai`'s "who viewed my data" show something:
the supervisor `atasan.kominfo` opened `pegawai`'s latest selfie, the inspector looked at
the check-in map of that day and at the flagged check-ins, and the HR admin opened
`pegawai`'s employee record (home location) in the back office. Idempotent (fixed event
ids); it lives in the web layer because it names check-ins and pages."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from django.db import transaction

from sigap.attendance.models import CheckIn, Review
from sigap.core import clock
from sigap.core.models import User
from sigap.org.models import Agency, Employee
from sigap.privacy.models import AccessLog, Channel, DataCategory

NAMESPACE = uuid.UUID("0b5d7a00-5167-4a70-8000-000000000009")
MAP_PEOPLE = 8


def _event(agency: Agency, name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{agency.pk}:{name}")


def _rows(
    agency: Agency,
    name: str,
    *,
    viewer: User,
    subjects: list[int],
    category: str,
    at: dt.datetime,
    what: str,
    path: str,
    ip: str,
) -> list[AccessLog]:
    employee = Employee.objects.filter(user=viewer).only("name").first()
    return [
        AccessLog(
            at=min(at, clock.now()),  # never in the future
            event=_event(agency, name),
            agency=agency,
            actor=viewer,
            actor_name=employee.name if employee else (viewer.get_full_name() or viewer.username),
            subject_id=subject_id,
            category=category,
            channel=Channel.PAGE,
            what=what,
            path=path,
            ip=ip,
        )
        for subject_id in subjects
    ]


def seed_access_demo(*, agency: Agency, today: dt.date) -> int:
    """Returns how many rows it wrote (0 on a second run or without the demo accounts)."""
    if AccessLog.objects.filter(event=_event(agency, "selfie")).exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=_ACCOUNTS)}
    pegawai = Employee.objects.filter(agency=agency, user__username="pegawai").first()
    if pegawai is None or set(users) != set(_ACCOUNTS):
        return 0
    latest = (
        CheckIn.objects.filter(employee=pegawai, work_date__lte=today)
        .order_by("-recorded_at")
        .first()
    )
    if latest is None:
        return 0
    rows = _selfie_and_map(agency, users, pegawai, latest)
    rows += _queue_and_record(agency, users, pegawai, latest)
    with transaction.atomic():
        AccessLog.objects.bulk_create(rows)
    return len(rows)


_ACCOUNTS = ("admin", "inspektur", "atasan.kominfo")


def _selfie_and_map(
    agency: Agency, users: dict[str, User], pegawai: Employee, latest: CheckIn
) -> list[AccessLog]:
    zone = ZoneInfo(latest.time_zone)
    day = latest.work_date
    same_day = CheckIn.objects.filter(
        employee__unit_id=pegawai.unit_id, work_date=day, kind="in"
    ).exclude(employee=pegawai)
    people = [pegawai.pk, *same_day.values_list("employee_id", flat=True)[:MAP_PEOPLE]]
    return _rows(
        agency,
        "selfie",
        viewer=users["atasan.kominfo"],
        subjects=[pegawai.pk],
        category=DataCategory.SELFIE,
        at=latest.recorded_at + dt.timedelta(minutes=40),
        what=f"check-in {latest.pk}",
        path=f"/presensi/swafoto/{latest.pk}/",
        ip="10.12.3.41",
    ) + _rows(
        agency,
        "map",
        viewer=users["inspektur"],
        subjects=sorted(set(people)),
        category=DataCategory.LOCATION,
        at=dt.datetime.combine(day, dt.time(10, 5), tzinfo=zone),
        what=f"map {day.isoformat()}",
        path=f"/peta/data/?date={day.isoformat()}",
        ip="10.12.9.7",
    )


def _queue_and_record(
    agency: Agency, users: dict[str, User], pegawai: Employee, latest: CheckIn
) -> list[AccessLog]:
    zone = ZoneInfo(latest.time_zone)
    flagged = sorted(
        set(
            CheckIn.objects.filter(
                employee__agency=agency, review=Review.PENDING, review_reasons__icontains="verif"
            ).values_list("employee_id", flat=True)[:20]
        )
    )
    rows = _rows(
        agency,
        "record",
        viewer=users["admin"],
        subjects=[pegawai.pk],
        category=DataCategory.LOCATION,
        at=dt.datetime.combine(latest.work_date, dt.time(13, 30), tzinfo=zone),
        what=f"employee record {pegawai.pk} (home location)",
        path=f"/admin/org/employee/{pegawai.pk}/change/",
        ip="10.12.1.20",
    )
    if flagged:
        rows += _rows(
            agency,
            "queue",
            viewer=users["inspektur"],
            subjects=flagged,
            category=DataCategory.LOCATION,
            at=dt.datetime.combine(latest.work_date, dt.time(14, 0), tzinfo=zone),
            what="flagged check-ins",
            path="/verifikasi/",
            ip="10.12.9.7",
        )
    return rows
