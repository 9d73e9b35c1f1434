"""Demo work arrangements: the WFA region, flexible-work grants at Dinas Kominfo, an
emergency policy at Dinas Pendidikan, and their generated rosters (idempotent)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sigap.arrangements.models import (
    ApplicationStatus,
    EmergencyPolicy,
    FlexibleWorkApplication,
    Mode,
    WfaRegion,
)
from sigap.arrangements.selectors import arrangements_changed
from sigap.arrangements.services import roster_generate
from sigap.core import clock
from sigap.org.models import Agency, Employee, Unit

WFA_RADIUS_M = 60_000  # the regency around Mamuju
PLAN_DAYS = 13


@dataclass
class ArrangementsSeed:
    grants: int = 0
    policies: int = 0
    entries: int = 0


def seed_arrangements_demo(
    *, agency: Agency, today: dt.date, centre: tuple[float, float]
) -> ArrangementsSeed:
    result = ArrangementsSeed()
    if WfaRegion.objects.filter(agency=agency).exists():
        return result  # seeded before
    WfaRegion.objects.create(
        agency=agency,
        name="Wilayah Kabupaten Mamuju",
        latitude=centre[0],
        longitude=centre[1],
        radius_m=WFA_RADIUS_M,
    )
    arrangements_changed(agency.pk)
    end = today + dt.timedelta(days=PLAN_DAYS)
    kominfo = Unit.objects.filter(agency=agency, code="DISKOMINFO").first()
    if kominfo is not None:
        result.grants = _flexible_grants(kominfo, today)
        result.entries += roster_generate(user=None, unit=kominfo, start=today, end=end).written
    schools = Unit.objects.filter(agency=agency, code="DISDIKBUD").first()
    if schools is not None:
        EmergencyPolicy.objects.create(
            agency=agency,
            name="Siaga banjir (contoh)",
            unit=schools,
            start=today,
            end=end,
            level=3,
            wfo_share=50,
            note="Contoh kebijakan darurat: separuh pegawai bekerja dari rumah bergiliran.",
        )
        result.policies = 1
        result.entries += roster_generate(user=None, unit=schools, start=today, end=end).written
    return result


def _flexible_grants(opd: Unit, today: dt.date) -> int:
    """Three approved grants and one application waiting for the head of Dinas Kominfo.
    The demo's own `pegawai` account stays an office worker."""
    head = opd.head
    staff = list(
        Employee.objects.filter(
            unit__parent=opd,
            active=True,
            position__flexible_eligible=True,
            supervisor__isnull=False,
        )
        .exclude(user__username="pegawai")
        .order_by("nip")[:4]
    )
    start = today.replace(day=1)
    now = clock.now()
    for number, employee in enumerate(staff):
        waiting = number == len(staff) - 1
        FlexibleWorkApplication.objects.create(
            employee=employee,
            reason="Menyelesaikan dokumen perencanaan yang butuh konsentrasi penuh.",
            work_plan="Menyusun 2 dokumen kajian per minggu; laporan harian di SIGAP.",
            mode=Mode.WFH if number % 2 == 0 else Mode.WFA,
            days_per_week=1 + number % 2,
            preferred_weekdays=[number % 5, 4],
            valid_from=today if waiting else start,
            valid_until=start + dt.timedelta(days=90),
            status=ApplicationStatus.SUBMITTED if waiting else ApplicationStatus.APPROVED,
            submitted_at=now,
            decided_by=None if waiting or head is None else head.user,
            decided_at=None if waiting else now,
        )
    return max(0, len(staff) - 1)
