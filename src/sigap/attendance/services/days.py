"""The attendance day: fold events in, recompute after decisions, close finished days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction

from sigap.arrangements.models import Mode, RosterEntry
from sigap.arrangements.selectors import roster_entries_on, roster_entry_for
from sigap.attendance import rules
from sigap.attendance.context import Arrangement
from sigap.attendance.models import (
    AttendanceDay,
    CheckIn,
    Kind,
    Review,
)
from sigap.attendance.selectors import agency_day_schedules
from sigap.core import clock
from sigap.core.signals import day_facts_changed
from sigap.org.models import Agency, Employee
from sigap.worktime.rules import DaySchedule
from sigap.worktime.selectors import employee_day_schedule

# --- the attendance day ---------------------------------------------------------


def _day_input(
    schedule: DaySchedule, first_in, last_out, *, final: bool, flags=(), exception=None
) -> rules.DayInput:
    return rules.DayInput(
        working=schedule.working,
        start=schedule.start,
        end=schedule.end,
        first_in=first_in,
        last_out=last_out,
        exception=exception if schedule.working else None,
        final=final,
        flags=frozenset(flags),
    )


def _write_result(
    day: AttendanceDay, schedule: DaySchedule, result: rules.DayResult, now: dt.datetime
) -> None:
    day.status = result.status
    day.codes = list(result.codes)
    day.flags = list(result.flags)
    day.late_minutes = result.late_minutes
    day.early_minutes = result.early_minutes
    day.schedule_start = schedule.start
    day.schedule_end = schedule.end
    day.rule_version = rules.RULE_VERSION
    day.updated_at = now


DAY_FIELDS = [
    "status",
    "codes",
    "flags",
    "late_minutes",
    "early_minutes",
    "schedule_start",
    "schedule_end",
    "rule_version",
    "updated_at",
    "check_in",
    "check_out",
    "mode",
    "final",
]


def day_apply_event(
    employee: Employee, arrangement: Arrangement, event: CheckIn, now: dt.datetime
) -> AttendanceDay:
    """Fold one new event into its day (incrementally: no re-read of the events).

    Two statements: the locked read, then an UPDATE or an INSERT. Two first events of
    the same day racing each other make one INSERT fail with IntegrityError; the caller
    retries its transaction, and the retry finds (and locks) the row.
    """
    day = (
        AttendanceDay.objects.select_for_update()
        .filter(employee=employee, date=event.work_date)
        .first()
    )
    created = day is None
    if day is None:
        day = AttendanceDay(employee=employee, date=event.work_date, flags=[], final=False)
    if event.kind == Kind.IN and (day.check_in is None or event.recorded_at < day.check_in):
        day.check_in = event.recorded_at
    if event.kind == Kind.OUT and (day.check_out is None or event.recorded_at > day.check_out):
        day.check_out = event.recorded_at
    flags = set(day.flags)
    if event.review == Review.PENDING:
        flags.add(rules.Flag.REVIEW_PENDING)
    if event.delay_seconds > arrangement.policy.offline_delay_flag_minutes * 60:
        flags.add(rules.Flag.OFFLINE_DELAYED)
    day.mode = event.mode
    schedule = arrangement.schedule
    result = rules.day_status(
        _day_input(
            schedule,
            day.check_in,
            day.check_out,
            final=day.final,
            flags=flags,
            exception=arrangement.exception,
        )
    )
    _write_result(day, schedule, result, now)
    if created:
        day.save(force_insert=True)
    else:
        day.save(update_fields=DAY_FIELDS)
    return day


def attendance_day_recompute(
    *, employee: Employee, date: dt.date, final: bool | None = None
) -> AttendanceDay:
    """Recompute a day from all its counted events (after a review, request, correction)."""
    now = clock.now()
    schedule = employee_day_schedule(employee=employee, day=date)
    with transaction.atomic():
        AttendanceDay.objects.bulk_create(
            [
                AttendanceDay(
                    employee=employee,
                    date=date,
                    status=rules.Code.BELUM,
                    codes=[rules.Code.BELUM],
                    rule_version=rules.RULE_VERSION,
                    updated_at=now,
                )
            ],
            ignore_conflicts=True,
        )
        day = AttendanceDay.objects.select_for_update().get(employee=employee, date=date)
        events = list(CheckIn.objects.filter(employee=employee, work_date=date))
        counted = [(e.kind, e.recorded_at) for e in events if e.counts]
        day.check_in, day.check_out = rules.first_and_last(counted)
        flags = {f for f in day.flags if f not in (rules.Flag.REVIEW_PENDING,)}
        if any(e.review == Review.PENDING for e in events):
            flags.add(rules.Flag.REVIEW_PENDING)
        if final is not None:
            day.final = final
        entry = roster_entry_for(employee_id=employee.pk, day=date)
        exception = entry_exception(entry)
        day.mode = next((e.mode for e in events if e.counts), "") or _planned_mode(entry)
        result = rules.day_status(
            _day_input(
                schedule,
                day.check_in,
                day.check_out,
                final=day.final,
                flags=flags,
                exception=exception,
            )
        )
        _write_result(day, schedule, result, now)
        day.save(update_fields=DAY_FIELDS)
    day_facts_changed.send(sender=AttendanceDay, employee_id=employee.pk, date=date)
    return day


def entry_exception(entry: RosterEntry | None) -> str | None:
    """The day code a roster entry imposes: an absence code (OFF) or DL."""
    if entry is None:
        return None
    if entry.mode == Mode.OFF:
        return entry.absence_code or None
    return Mode.DL.value if entry.mode == Mode.DL else None


def _planned_mode(entry: RosterEntry | None) -> str:
    """The mode a day shows without events: the roster's working mode (WFO/WFH/WFA/DL)."""
    if entry is None or entry.mode == Mode.OFF:
        return ""
    return entry.mode


# --- closing days ----------------------------------------------------------------------


@dataclass
class CloseResult:
    date: dt.date
    finalised: int = 0
    created: int = 0
    not_over: int = 0


def attendance_close_day(
    *, date: dt.date, agency_id: int | None = None, progress=None
) -> CloseResult:
    """Finalise every active employee's day `date` whose window is over: no events -> TK,
    no check-out -> PSW4, non-working -> LIBUR. Idempotent; bounded queries per agency."""
    now = clock.now()
    result = CloseResult(date)
    agencies = Agency.objects.all() if agency_id is None else Agency.objects.filter(pk=agency_id)
    for agency in agencies:
        schedules = agency_day_schedules(agency=agency, date=date)
        entries = roster_entries_on(agency_id=agency.pk, day=date)
        rows = {
            r.employee_id: r
            for r in AttendanceDay.objects.filter(date=date, employee__agency=agency)
        }
        to_create, to_update = [], []
        for employee_id, schedule in schedules.items():
            over = (
                now > schedule.window_end if schedule.working else now >= _local_day_end(schedule)
            )
            if not over:
                result.not_over += 1
                continue
            row = rows.get(employee_id)
            if row is not None and row.final:
                continue
            if row is None:
                row = AttendanceDay(employee_id=employee_id, date=date)
                to_create.append(row)
            else:
                to_update.append(row)
            row.final = True
            entry = entries.get(employee_id)
            if not row.mode and entry is not None:
                row.mode = _planned_mode(entry)
            outcome = rules.day_status(
                _day_input(
                    schedule,
                    row.check_in,
                    row.check_out,
                    final=True,
                    flags=row.flags or (),
                    exception=entry_exception(entry),
                )
            )
            _write_result(row, schedule, outcome, now)
        with transaction.atomic():
            AttendanceDay.objects.bulk_create(to_create, batch_size=1000, ignore_conflicts=True)
            AttendanceDay.objects.bulk_update(to_update, DAY_FIELDS, batch_size=1000)
        result.created += len(to_create)
        result.finalised += len(to_create) + len(to_update)
        if progress:
            progress(len(schedules))
    return result


def _local_day_end(schedule: DaySchedule) -> dt.datetime:
    zone = ZoneInfo(schedule.zone)
    return dt.datetime.combine(schedule.date + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone)
