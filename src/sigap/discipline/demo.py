"""Demo discipline: the regency's TPP table (the shipped defaults as a stored version, so
the back office shows it), this month's and last month's statements, and one Kominfo
colleague of `pegawai` (under `atasan.kominfo` when the demo is big enough to give them
one) with three unexcused days, so that their supervisor has an alert to examine and
`kepala.kominfo` sees it as the unit head."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sigap.attendance.models import AttendanceDay
from sigap.discipline.ladder import ladder_scan
from sigap.discipline.models import TppTableVersion
from sigap.discipline.statements import statements_refresh
from sigap.discipline.tables import default_version
from sigap.org.models import Agency, Employee, Unit

TABLE_NAME = "Perbup TPP (tabel bawaan SIGAP)"
EXAMINER = "atasan.kominfo"
LEFT_ALONE = ("pegawai", "pegawai.layanan")


@dataclass
class DisciplineDemo:
    statements: int = 0
    alerts: int = 0
    absentee: str = ""
    examiner: str = ""


def seed_discipline_demo(*, agency: Agency, today: dt.date) -> DisciplineDemo:
    """Idempotent: the table version once, statements recomputed, alerts raised once."""
    result = DisciplineDemo()
    if not TppTableVersion.objects.filter(agency=agency).exists():
        default_version(agency=agency, effective_from=dt.date(today.year, 1, 1), name=TABLE_NAME)
    absentee = _absentee(agency)
    if absentee is not None:
        result.absentee = absentee.name
        result.examiner = absentee.supervisor.name if absentee.supervisor_id else ""
        _mark_unexcused(absentee, today)
    last = today.replace(day=1) - dt.timedelta(days=1)
    for day in (last, today):
        result.statements += statements_refresh(agency=agency, year=day.year, month=day.month)
    result.alerts = len(ladder_scan(agency=agency, today=today))
    return result


def _absentee(agency: Agency) -> Employee | None:
    """A Kominfo staff member who is not a demo account: under `atasan.kominfo` if any."""
    kominfo = Employee.objects.filter(
        agency=agency, active=True, unit__code__startswith="DISKOMINFO", supervisor__isnull=False
    ).exclude(user__username__in=(*LEFT_ALONE, EXAMINER, "kepala.kominfo"))
    kominfo = kominfo.exclude(pk__in=Unit.objects.filter(agency=agency).values("head"))
    preferred = kominfo.filter(supervisor__user__username=EXAMINER).order_by("nip").first()
    return preferred or kominfo.select_related("supervisor").order_by("nip").first()


def _mark_unexcused(employee: Employee, today: dt.date) -> None:
    """The three latest finished working days of this month (or the last ones) become TK."""
    days = AttendanceDay.objects.filter(employee=employee, final=True, date__lt=today).exclude(
        status__in=("LIBUR",)
    )
    for row in days.order_by("-date")[:3]:
        row.status, row.codes = "TK", ["TK"]
        row.check_in = row.check_out = None
        row.late_minutes = row.early_minutes = 0
        row.flags = ["no_check_in", "no_check_out"]
        row.mode = ""
        row.save(
            update_fields=[
                "status",
                "codes",
                "check_in",
                "check_out",
                "late_minutes",
                "early_minutes",
                "flags",
                "mode",
            ]
        )
