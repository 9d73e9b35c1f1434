"""Demo attendance history: a few weeks of realistic check-ins for the demo agency.

Behaviour per employee and day is drawn from a seeded generator (mostly on time,
some late, a few early leavers and absences); the outcome of each day comes from
the same rules.day_status as real check-ins. Events carry no selfie file.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable

from django.db import transaction

from sigap.attendance import rules
from sigap.attendance.models import AttendanceDay, CheckIn, Review, Source, Verification, WorkMode
from sigap.attendance.selectors import agency_day_schedules
from sigap.core import clock
from sigap.org.models import Agency, Employee, Office
from sigap.org.selectors import offices_by_unit
from sigap.worktime.rules import DaySchedule

Progress = Callable[[int], None]
SKIP_TODAY = ("pegawai", "pegawai.layanan")  # left for the person trying the demo


def seed_attendance_history(
    *,
    agency: Agency,
    today: dt.date,
    days: int = 20,
    progress: Progress | None = None,
    seed: int = 2026,
) -> int:
    """Check-ins and finalised days for the `days` calendar days before `today`, plus
    today's check-ins made before now. Idempotent: dates that already have days are skipped."""
    rng = random.Random(seed)
    offices = offices_by_unit(agency.pk)
    people = {
        e.pk: e
        for e in Employee.objects.filter(agency=agency, active=True).select_related(
            "user", "office"
        )
    }
    now = clock.now()
    made = 0
    for back in range(days, -1, -1):
        date = today - dt.timedelta(days=back)
        if AttendanceDay.objects.filter(employee__agency=agency, date=date).exists():
            continue
        schedules = agency_day_schedules(agency=agency, date=date)
        events, rows = [], []
        for employee_id, schedule in schedules.items():
            person = people[employee_id]
            if back == 0 and person.user and person.user.username in SKIP_TODAY:
                continue
            office = person.office or offices.get(person.unit_id)
            day_events = _behaviour(rng, person, office, schedule, now) if office else []
            events += day_events
            rows.append(_day_row(person, schedule, day_events, final=back > 0, now=now))
        with transaction.atomic():
            CheckIn.objects.bulk_create(events, batch_size=2000)
            AttendanceDay.objects.bulk_create([r for r in rows if r], batch_size=2000)
        made += len(events)
        if progress:
            progress(1)
    return made


def _behaviour(
    rng: random.Random, person: Employee, office: Office, schedule: DaySchedule, now: dt.datetime
) -> list[CheckIn]:
    if not schedule.working or schedule.start is None or schedule.end is None:
        return []
    roll = rng.random()
    if roll < 0.025:
        return []  # absent
    start, end = schedule.start, schedule.end
    arrive = start - dt.timedelta(minutes=rng.uniform(2, 45))
    if roll < 0.12:
        arrive = start + dt.timedelta(minutes=rng.choice([3, 8, 14, 22, 35, 48, 75, 110]))
    leave = end + dt.timedelta(minutes=rng.uniform(0, 40))
    if rng.random() < 0.05:
        leave = end - dt.timedelta(minutes=rng.choice([10, 25, 45, 70, 100]))
    out = []
    for kind, at in (("in", arrive), ("out", leave)):
        if at > now or (kind == "out" and rng.random() < 0.01):
            continue
        out.append(_event(rng, person, office, schedule, kind, at))
    return out


def _event(
    rng: random.Random,
    person: Employee,
    office: Office,
    schedule: DaySchedule,
    kind: str,
    at: dt.datetime,
) -> CheckIn:
    jitter = 0.00025
    return CheckIn(
        employee=person,
        request_id=uuid.uuid4(),
        kind=kind,
        recorded_at=at,
        captured_at=at - dt.timedelta(seconds=rng.randint(1, 6)),
        work_date=schedule.date,
        time_zone=schedule.zone,
        mode=WorkMode.WFO,
        latitude=round(office.latitude + rng.uniform(-jitter, jitter), 6),
        longitude=round(office.longitude + rng.uniform(-jitter, jitter), 6),
        accuracy_m=round(rng.uniform(5, 30), 1),
        place_kind="office",
        place_name=office.name,
        place_latitude=office.latitude,
        place_longitude=office.longitude,
        place_radius_m=office.radius_m,
        distance_m=round(rng.uniform(2, 35), 1),
        inside=True,
        source=Source.API,
        review=Review.NONE,
        verification=Verification.NO_REFERENCE,
        rule_version=rules.RULE_VERSION,
    )


def _day_row(
    person: Employee, schedule: DaySchedule, events: list[CheckIn], *, final: bool, now: dt.datetime
) -> AttendanceDay | None:
    first_in, last_out = rules.first_and_last([(e.kind, e.recorded_at) for e in events])
    if not final and not events:
        return None
    result = rules.day_status(
        rules.DayInput(
            schedule.working, schedule.start, schedule.end, first_in, last_out, final=final
        )
    )
    return AttendanceDay(
        employee=person,
        date=schedule.date,
        status=result.status,
        codes=list(result.codes),
        flags=list(result.flags),
        mode=WorkMode.WFO if events else "",
        check_in=first_in,
        check_out=last_out,
        late_minutes=result.late_minutes,
        early_minutes=result.early_minutes,
        schedule_start=schedule.start,
        schedule_end=schedule.end,
        final=final,
        rule_version=rules.RULE_VERSION,
        updated_at=now,
    )
