"""Demo requests at Dinas Kominfo (idempotent): an approved annual leave and an approved
official trip of colleagues, and requests of `pegawai` and a colleague waiting for
`atasan.kominfo`, all through the real services."""

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
    supervisor = pegawai.supervisor
    colleagues = list(
        Employee.objects.filter(supervisor=supervisor, active=True)
        .exclude(pk=pegawai.pk)
        .order_by("nip")[:3]
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
        if approve and supervisor is not None and supervisor.user is not None:
            request_decide(user=supervisor.user, request=request, approve=True, note="Disetujui.")
    return created
