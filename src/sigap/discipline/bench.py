"""The TPP benchmark: a 10,000-strong agency with a month of attendance; times computing
every monthly statement (target: under 20 s on 2 cores, bounded queries per unit).

`sigap bench_tpp` (make bench-tpp). It creates its own agency (code BENCH-TPP, removed
afterwards unless --keep) in whatever database DATABASE_URL names: `opds` OPDs of equal
size with five divisions each, one office; for last month (locked: its statements are
computed and frozen) and this month up to yesterday (open: computed provisionally), one
attendance day per person and working day drawn from a seeded generator (mostly HADIR;
TL1-TL4, PSW1-PSW4, missing punches, TK, leave and sick days in realistic shares), 20 %
of people working from home on Tuesdays and Thursdays, and a Monday roll call with 3 %
missing it. Days are inserted directly (no check-in events: statements read days).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _

from sigap.arrangements.models import EntryReason, Mode, RosterEntry
from sigap.attendance.models import AttendanceDay
from sigap.core import clock
from sigap.discipline.models import TppStatement
from sigap.discipline.statements import statements_refresh
from sigap.org.bench import remove_bench_agency as remove_agency
from sigap.org.models import Agency, Employee, Office, Position, Unit, UnitKind
from sigap.org.rules import make_nip
from sigap.org.selectors import org_changed
from sigap.rollcall.models import Participation, Rollcall
from sigap.worktime import rules as worktime_rules

CODE = "BENCH-TPP"
ZONE = "Asia/Makassar"
DIVISIONS = 5
Progress = Callable[[str, int, int], None]
TARGET_SECONDS = 20.0

# (status, weight, late band minutes, early band minutes, flags)
OUTCOMES = [
    ("HADIR", 840, 0, 0),
    ("TL1", 40, 12, 0),
    ("TL2", 15, 45, 0),
    ("TL3", 6, 75, 0),
    ("TL4", 6, 120, 0),
    ("PSW1", 25, 0, 20),
    ("PSW2", 8, 0, 50),
    ("PSW4", 5, 0, 0),  # no check-out
    ("TK", 15, 0, 0),
    ("CT", 20, 0, 0),
    ("SAKIT", 10, 0, 0),
    ("DL", 10, 0, 0),
]


@dataclass
class MonthRun:
    label: str
    year: int
    month: int
    seconds: float = 0.0
    statements: int = 0
    queries: int = 0
    groups: int = 0
    frozen: int = 0


@dataclass
class TppBench:
    employees: int
    opds: int
    day_rows: int = 0
    seed_seconds: float = 0.0
    runs: list[MonthRun] = field(default_factory=list)


def months_to_measure(today: dt.date) -> list[tuple[str, int, int]]:
    last = today.replace(day=1) - dt.timedelta(days=1)
    return [
        (str(_("last month (locked)")), last.year, last.month),
        (str(_("this month")), today.year, today.month),
    ]


def bench_tpp(
    *,
    employees: int = 10_000,
    opds: int = 20,
    progress: Progress | None = None,
    keep: bool = False,
) -> TppBench:
    result = TppBench(employees, opds)
    today = clock.today(ZONE)
    remove_bench_agency()
    began = time.perf_counter()
    try:
        agency = _seed(result, today, progress)
        result.seed_seconds = time.perf_counter() - began
        for label, year, month in months_to_measure(today):
            result.runs.append(_measure(agency, label, year, month, progress))
    finally:
        if not keep:
            remove_bench_agency()
    return result


def _measure(agency: Agency, label: str, year: int, month: int, progress) -> MonthRun:
    run = MonthRun(label, year, month)

    def step(done: int, total: int) -> None:
        run.groups = total
        if progress:
            progress(label, done, total)

    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        run.statements = statements_refresh(agency=agency, year=year, month=month, progress=step)
        run.seconds = time.perf_counter() - began
    run.queries = len(queries.captured_queries)
    run.frozen = TppStatement.objects.filter(
        employee__agency=agency, year=year, month=month, frozen_at__isnull=False
    ).count()
    return run


# --- seeding ---------------------------------------------------------------------------------


def _seed(result: TppBench, today: dt.date, progress: Progress | None) -> Agency:
    rng = random.Random(20261124)
    with transaction.atomic():
        agency, people = _seed_org(result.employees, result.opds)
    org_changed(agency.pk)
    start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    end = today - dt.timedelta(days=1)
    calendar = worktime_rules.default_calendar(ZONE)
    workdays = worktime_rules.working_days(start, end, calendar)
    remote = {p.pk for p in people if rng.random() < 0.2}
    weights = [o[1] for o in OUTCOMES]
    now = clock.now()
    for first in range(0, len(people), 500):
        chunk = people[first : first + 500]
        rows, entries = [], []
        for person in chunk:
            for date in workdays:
                status, _w, late, early = rng.choices(OUTCOMES, weights)[0]
                mode = "WFH" if person.pk in remote and date.weekday() in (1, 3) else "WFO"
                if mode == "WFH":
                    entries.append(
                        RosterEntry(
                            employee=person,
                            date=date,
                            mode=Mode.WFH,
                            reason=EntryReason.MANUAL,
                            changed_at=now,
                        )
                    )
                rows.append(_day(person, date, status, late, early, mode, now))
        with transaction.atomic():
            AttendanceDay.objects.bulk_create(rows, batch_size=5000)
            RosterEntry.objects.bulk_create(entries, batch_size=5000)
        result.day_rows += len(rows)
        if progress:
            progress("seed", first + len(chunk), len(people))
    _seed_rollcalls(agency, people, workdays, rng, now)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (AttendanceDay, RosterEntry, Employee, Participation):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return agency


def _day(person, date, status, late, early, mode, now) -> AttendanceDay:
    codes, flags = [status], []
    if status == "PSW4":
        flags = ["no_check_out"]
    if status.startswith(("CT", "SAKIT", "DL")):
        mode = "DL" if status == "DL" else ""
    return AttendanceDay(
        employee=person,
        date=date,
        status=status,
        codes=codes,
        flags=flags,
        mode=mode,
        late_minutes=late,
        early_minutes=early,
        final=True,
        rule_version="bench",
        updated_at=now,
    )


def _seed_rollcalls(agency, people, workdays, rng, now) -> None:
    for date in (d for d in workdays if d.weekday() == 0):
        rollcall = Rollcall.objects.create(
            agency=agency,
            title="Apel Senin",
            date=date,
            start_time=dt.time(7, 30),
            cutoff_time=dt.time(8, 0),
            kind="virtual",
            place_kind="online",
            meeting_link="https://meet.example.invalid/apel",
            time_zone=ZONE,
            created_at=now,
        )
        missed = [
            Participation(rollcall=rollcall, employee=p, present=False, source="missed", at=now)
            for p in people
            if rng.random() < 0.03
        ]
        Participation.objects.bulk_create(missed, batch_size=5000)


def _seed_org(size: int, opd_count: int) -> tuple[Agency, list[Employee]]:
    agency = Agency.objects.create(code=CODE, name="Kabupaten Bench TPP", time_zone=ZONE)
    staff = Position.objects.create(agency=agency, name="Analis")
    office = Office.objects.create(
        agency=agency,
        code="K1",
        name="Kantor Bupati",
        latitude=-2.68,
        longitude=118.89,
        radius_m=150,
        time_zone=ZONE,
    )
    per_opd = max(DIVISIONS + 1, size // opd_count)
    people: list[Employee] = []
    number = 0
    for k in range(opd_count):
        opd = Unit.objects.create(
            agency=agency, code=f"OPD{k:02d}", name=f"Dinas {k + 1}", kind=UnitKind.OPD
        )
        office.units.add(opd)
        divisions = Unit.objects.bulk_create(
            Unit(
                agency=agency,
                code=f"OPD{k:02d}-B{n}",
                name=f"Bidang {n + 1}",
                parent=opd,
                kind=UnitKind.BIDANG,
            )
            for n in range(DIVISIONS)
        )
        head = Employee.objects.create(
            agency=agency,
            nip=_nip(number),
            name=f"Kepala Dinas {k + 1}",
            unit=opd,
            position=staff,
        )
        number += 1
        opd.head = head
        opd.save(update_fields=["head"])
        rows = [
            Employee(
                agency=agency,
                nip=_nip(number + n),
                name=f"Pegawai {number + n:05d}",
                unit=divisions[n % DIVISIONS],
                position=staff,
                supervisor=head,
            )
            for n in range(per_opd - 1)
        ]
        number += len(rows)
        people += [head, *Employee.objects.bulk_create(rows, batch_size=2000)]
    return agency, people


def _nip(n: int) -> str:
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=n % 9000)
    appointed = (birth.year + 22 + n % 5, 1 + n % 12)
    return make_nip(birth, appointed, "M" if n % 2 else "F", 900 - n // 9000)


def remove_bench_agency() -> None:
    remove_agency(CODE)
