"""The `report_missing` flag of attendance days (DOMAIN.md section 7, issue 5).

A day carries the flag while a required report is overdue (`rules.missing_report_flag`):
a working, non-excused day whose mode needs a report (WFH/WFA; WFO when the agency's
`required_on_wfo` is on), no report at all, and its deadline (the next working day 10:00,
agency setting) passed. The flag is cleared as soon as a report exists, whatever its
status (a returned report is not missing: at the month's close it counts as TK instead,
see `recap.unexcused_report_days`), and when the day no longer needs a report (leave
approved afterwards, a roster change).

Decision: only existing AttendanceDay rows are flagged; none is created. The hourly
`attendance.close_due_days` job writes every active employee's row of a finished day long
before the report deadline (the next working day 10:00), and deciding a day's status is
attendance's business. A required, overdue day still without a row is counted
(`without_row`) and flagged by a later run within LOOKBACK_DAYS once the day is closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from sigap.attendance.models import AttendanceDay
from sigap.core import clock
from sigap.org.models import Agency, Employee
from sigap.performance import rules
from sigap.performance.models import DailyReport
from sigap.performance.recap import WorkDay, WorkDays

REPORT_MISSING = "report_missing"
LOOKBACK_DAYS = 10  # a deadline passes at most a long holiday (cuti bersama) after the day
BATCH = 500


@dataclass
class FlagResult:
    start: dt.date
    end: dt.date
    flagged: int = 0  # rows that got the flag in this run
    cleared: int = 0  # rows that lost it
    without_row: int = 0  # overdue required days without an attendance row (not yet closed)


def flag_missing_reports(
    *, date: dt.date | None = None, agency_id: int | None = None
) -> FlagResult:
    """Set or clear `report_missing` on the attendance days of `date` (default: the last
    LOOKBACK_DAYS days up to yesterday) of every agency, or of one. Idempotent: a second
    run changes nothing. Bounded queries per agency (no query per employee or day)."""
    today = clock.today(settings.TIME_ZONE)
    if date is not None:
        start = end = date
    else:
        start, end = today - dt.timedelta(days=LOOKBACK_DAYS), today - dt.timedelta(days=1)
    result = FlagResult(start, end)
    agencies = Agency.objects.all() if agency_id is None else Agency.objects.filter(pk=agency_id)
    now = clock.now()
    for agency in agencies.order_by("pk"):
        _flag_agency(agency, start, end, now, result)
    return result


def _required_days(agency: Agency, start: dt.date, end: dt.date) -> dict[tuple, WorkDay]:
    people = Employee.objects.filter(agency=agency, active=True)
    work = WorkDays(agency=agency, people=people, start=start, end=end)
    return {(e.pk, d.date): d for e in work.people for d in work.days(e) if d.required}


def _flag_agency(
    agency: Agency, start: dt.date, end: dt.date, now: dt.datetime, result: FlagResult
) -> None:
    required = _required_days(agency, start, end)
    span = (start, end)
    reported = set(
        DailyReport.objects.filter(employee__agency=agency, date__range=span)
        .order_by()
        .values_list("employee_id", "date")
    )
    rows = AttendanceDay.objects.filter(employee__agency=agency, date__range=span)
    wanted: dict[int, bool] = {}
    seen = set()
    for pk, employee_id, day, flags in rows.values_list("pk", "employee_id", "date", "flags"):
        key = (employee_id, day)
        seen.add(key)
        work = required.get(key)
        want = work is not None and rules.missing_report_flag(
            required=True, submitted=key in reported, deadline_passed=now > work.deadline
        )
        if want != (REPORT_MISSING in (flags or [])):
            wanted[pk] = want
    result.without_row += sum(
        1
        for key, work in required.items()
        if key not in seen and key not in reported and now > work.deadline
    )
    _write(wanted, result)


def _write(wanted: dict[int, bool], result: FlagResult) -> None:
    """Apply the wanted state to the rows, locked and re-read (a concurrent recompute of
    the day keeps its own changes), in batches, with bulk_update."""
    ids = sorted(wanted)
    for first in range(0, len(ids), BATCH):
        batch = ids[first : first + BATCH]
        with transaction.atomic():
            rows = list(AttendanceDay.objects.select_for_update().filter(pk__in=batch))
            changed = []
            for row in rows:
                flags = [f for f in row.flags or [] if f != REPORT_MISSING]
                if wanted[row.pk]:
                    flags = sorted([*flags, REPORT_MISSING])
                if flags != (row.flags or []):
                    result.flagged += wanted[row.pk]
                    result.cleared += not wanted[row.pk]
                    row.flags = flags
                    changed.append(row)
            AttendanceDay.objects.bulk_update(changed, ["flags"])


def report_missing_clear(*, employee_id: int, date: dt.date) -> bool:
    """Clear the flag of one day at once (a report of that day was just submitted).
    Called on commit by `daily_report_submit`; two queries at most."""
    with transaction.atomic():
        day = (
            AttendanceDay.objects.select_for_update()
            .filter(employee_id=employee_id, date=date)
            .first()
        )
        if day is None or REPORT_MISSING not in (day.flags or []):
            return False
        day.flags = [f for f in day.flags if f != REPORT_MISSING]
        day.save(update_fields=["flags"])
    return True
