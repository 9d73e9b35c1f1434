"""Demo requests at Dinas Kominfo (idempotent): an approved annual leave and an approved
official trip of colleagues, a correction waiting for a colleague's supervisor, and a
leave request of `pegawai` waiting for `atasan.kominfo`, all through the real services."""

from __future__ import annotations

import datetime as dt

from sigap.attendance.models import AttendanceRequest
from sigap.attendance.requests.services import RequestDraft, request_decide, request_submit
from sigap.core.exceptions import DomainError
from sigap.org.models import Agency, Employee


def _next_weekday(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7 or 7)


def seed_requests_demo(*, agency: Agency, today: dt.date) -> int:
    """How many requests were created (0 when seeded before)."""
    pegawai = Employee.objects.filter(agency=agency, user__username="pegawai").first()
    if pegawai is None or AttendanceRequest.objects.filter(employee__agency=agency).exists():
        return 0
    opd = pegawai.unit.parent or pegawai.unit
    colleagues = list(
        Employee.objects.filter(
            unit__parent=opd, active=True, supervisor__user__isnull=False, user__isnull=False
        )
        .exclude(pk=pegawai.pk)
        .exclude(user__username__in=["atasan.kominfo", "kepala.kominfo"])
        .select_related("supervisor__user")
        .order_by("-supervisor_id", "nip")[:3]
    )
    monday = _next_weekday(today, 0)
    created = 0
    plans = [
        (
            pegawai,
            RequestDraft(
                type="CT",
                reason="Acara keluarga di Majene.",
                start=monday,
                end=monday + dt.timedelta(days=1),
            ),
            False,
        ),
    ]
    if len(colleagues) >= 3:
        yesterday = today - dt.timedelta(days=1 if today.weekday() else 3)
        plans += [
            (
                colleagues[0],
                RequestDraft(
                    type="CT",
                    reason="Cuti tahunan.",
                    start=monday + dt.timedelta(days=2),
                    end=monday + dt.timedelta(days=4),
                ),
                True,
            ),
            (
                colleagues[1],
                RequestDraft(
                    type="DL",
                    reason="Rapat koordinasi di provinsi.",
                    start=monday,
                    end=monday + dt.timedelta(days=1),
                    reference="800/123/DISKOMINFO/2026",
                    destination="Kantor Gubernur Sulawesi Barat",
                    destination_latitude=-2.6786,
                    destination_longitude=118.8869,
                ),
                True,
            ),
            (
                colleagues[2],
                RequestDraft(
                    type="KOREKSI",
                    reason="Lupa presensi pulang.",
                    correction_date=yesterday,
                    correction_kind="out",
                    correction_time=dt.time(16, 5),
                ),
                False,
            ),
        ]
    for employee, draft, approve in plans:
        try:
            request = request_submit(employee=employee, draft=draft)
        except DomainError:
            continue  # e.g. a demo clock on a day the rules refuse: skip that example
        created += 1
        if approve and employee.supervisor is not None and employee.supervisor.user is not None:
            request_decide(
                user=employee.supervisor.user, request=request, approve=True, note="Disetujui."
            )
    return created
