"""The daily-report benchmark: seed a unit of many people with a month of reports, then
time the supervisor's review queue and the unit recap as the unit head sees them.

`sigap bench_reports` (make bench-reports). It creates its own agency (code BENCH-REPORTS,
removed afterwards unless --keep) in whatever database DATABASE_URL names: one OPD of
`employees` people in divisions of 50 (a supervisor each, the OPD head above them), 30 %
working from home two days a week, a few leave days, two tasks each, and for last month
a report on nearly every working day (2-4 activities; most approved, the last week mostly
waiting, some returned and late, a few WFH days without one). Then it requests the real
pages through Django's test client (force_login as the unit head, so middleware, scope,
selectors and templates all run) several times and prints the median and the slowest
time and the number of SQL queries of each.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse

from sigap.arrangements.models import EntryReason, Mode, RosterEntry
from sigap.core import clock
from sigap.core.models import User
from sigap.org.bench import remove_bench_agency as remove_agency
from sigap.org.models import Agency, Employee, Office, Position, Unit, UnitKind
from sigap.org.rules import make_nip
from sigap.org.selectors import org_changed
from sigap.performance.models import Activity, DailyReport, Task
from sigap.performance.recap import month_bounds
from sigap.worktime import rules as worktime_rules

CODE = "BENCH-REPORTS"
ZONE = "Asia/Makassar"
DIVISION = 50
Progress = Callable[[str, int, int], None]


@dataclass
class Timing:
    label: str
    url: str
    seconds: list[float] = field(default_factory=list)
    queries: int = 0
    status: int = 0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def max_ms(self) -> float:
        return max(self.seconds) * 1000


@dataclass
class ReportsBench:
    employees: int
    year: int
    month: int
    reports: int = 0
    activities: int = 0
    pending: int = 0
    seed_seconds: float = 0.0
    timings: list[Timing] = field(default_factory=list)


def last_month(today: dt.date) -> tuple[int, int]:
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def bench_reports(
    *, employees: int, runs: int = 5, progress: Progress | None = None, keep: bool = False
) -> ReportsBench:
    year, month = last_month(clock.today(ZONE))
    result = ReportsBench(employees, year, month)
    remove_bench_agency()
    began = time.perf_counter()
    head, opd = _seed(result, progress)
    result.seed_seconds = time.perf_counter() - began
    try:
        result.timings = _measure(head, opd, year, month, runs, progress)
    finally:
        if not keep:
            remove_bench_agency()
    return result


# --- seeding ---------------------------------------------------------------------------------


def _seed(result: ReportsBench, progress: Progress | None) -> tuple[Employee, Unit]:
    rng = random.Random(20261124)
    start, end = month_bounds(result.year, result.month)
    workdays = worktime_rules.working_days(start, end, worktime_rules.default_calendar(ZONE))
    with transaction.atomic():
        head, opd, people = _seed_org(result.employees)
        tasks = _seed_tasks(people, start, end)
        remote, leave = _seed_roster(people, workdays, rng)
        skip = leave | {key for key in sorted(remote) if rng.random() < 0.15}  # 15 % WFH missing
        _seed_reports(result, people, workdays, skip, tasks, rng, progress)
    org_changed(head.agency_id)
    _analyze()
    return head, opd


def _analyze() -> None:
    """Refresh the planner's statistics after the bulk inserts (as autovacuum would)."""
    tables = [m._meta.db_table for m in (DailyReport, Activity, Task, RosterEntry, Employee)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _seed_org(size: int) -> tuple[Employee, Unit, list[Employee]]:
    agency = Agency.objects.create(code=CODE, name="Bench reports", time_zone=ZONE)
    opd = Unit.objects.create(agency=agency, code="OPD", name="OPD bench", kind=UnitKind.OPD)
    office = Office.objects.create(
        agency=agency,
        code="K1",
        name="Kantor",
        latitude=-2.68,
        longitude=118.89,
        radius_m=100,
        time_zone=ZONE,
    )
    office.units.add(opd)
    staff = Position.objects.create(agency=agency, name="Analis")
    count = max(1, (size - 1 + DIVISION - 1) // DIVISION)
    divisions = Unit.objects.bulk_create(
        Unit(agency=agency, code=f"B{n:02d}", name=f"Bidang {n + 1}", kind="BIDANG", parent=opd)
        for n in range(count)
    )
    user = User.objects.create(username=f"{CODE.lower()}-head")
    head = Employee.objects.create(
        agency=agency, nip=_nip(0), name="Kepala OPD", unit=opd, position=staff, user=user
    )
    opd.head = head
    opd.save(update_fields=["head"])
    people = Employee.objects.bulk_create(
        [_employee(agency, divisions[(n - 1) // DIVISION], staff, n) for n in range(1, size)],
        batch_size=1000,
    )
    bosses = {}
    for person in people:
        bosses.setdefault(person.unit_id, person)
        boss = bosses[person.unit_id]
        person.supervisor_id = head.pk if boss is person else boss.pk
    Employee.objects.bulk_update(people, ["supervisor"], batch_size=1000)
    return head, opd, [head, *people]


def _nip(n: int) -> str:
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=n % 9000)
    return make_nip(birth, (2005 + n % 15, 1 + n % 12), "M" if n % 2 else "F", 800 + n // 9000)


def _employee(agency: Agency, unit: Unit, position: Position, n: int) -> Employee:
    return Employee(
        agency=agency, nip=_nip(n), name=f"Pegawai {n:04d}", unit=unit, position=position
    )


def _seed_tasks(people: list[Employee], start: dt.date, end: dt.date) -> dict[int, list[Task]]:
    now = dt.datetime.combine(start, dt.time(8), tzinfo=dt.UTC)
    rows = [
        Task(
            assignee=p,
            assigned_by_id=p.supervisor_id,
            title=f"Tugas {k + 1}",
            target_qty=20,
            target_unit="dokumen",
            due=end if k else start + dt.timedelta(days=14),
            created_at=now,
        )
        for p in people
        for k in range(2)
    ]
    tasks: dict[int, list[Task]] = {}
    for task in Task.objects.bulk_create(rows, batch_size=2000):
        tasks.setdefault(task.assignee_id, []).append(task)
    return tasks


def _seed_roster(
    people: list[Employee], workdays: list[dt.date], rng: random.Random
) -> tuple[set, set]:
    """30 % WFH on Tuesdays and Thursdays, 2 % two days of annual leave (OFF, CT)."""
    at = clock.now()
    entries, remote, leave = [], set(), set()
    for person in people:
        if rng.random() < 0.3:
            for day in (d for d in workdays if d.weekday() in (1, 3)):
                entries.append(_entry(person, day, Mode.WFH, at))
                remote.add((person.pk, day))
        elif rng.random() < 0.02:
            for day in rng.sample(workdays, 2):
                entries.append(_entry(person, day, Mode.OFF, at, absence_code="CT"))
                leave.add((person.pk, day))
    RosterEntry.objects.bulk_create(entries, batch_size=2000)
    return remote, leave


def _entry(person: Employee, day: dt.date, mode: str, at: dt.datetime, **extra) -> RosterEntry:
    return RosterEntry(
        employee=person, date=day, mode=mode, reason=EntryReason.MANUAL, changed_at=at, **extra
    )


def _seed_reports(result, people, workdays, skip, tasks, rng, progress) -> None:
    last_week = workdays[-5:]
    for first in range(0, len(people), 50):
        chunk = people[first : first + 50]
        reports, plans = [], []
        for person in chunk:
            for day in workdays:
                if (person.pk, day) in skip:
                    continue
                report, activities = _report(person, day, day in last_week, tasks, rng)
                reports.append(report)
                plans.append(activities)
        DailyReport.objects.bulk_create(reports, batch_size=2000)
        rows = [
            Activity(report=r, order=k, **a)
            for r, acts in zip(reports, plans, strict=True)
            for k, a in enumerate(acts)
        ]
        Activity.objects.bulk_create(rows, batch_size=4000)
        result.reports += len(reports)
        result.activities += len(rows)
        result.pending += sum(1 for r in reports if r.status == "submitted")
        if progress:
            progress("seed", first + len(chunk), len(people))


def _report(person, day, recent, tasks, rng) -> tuple[DailyReport, list[dict]]:
    count = rng.choice((2, 2, 3, 3, 4))
    day_total = rng.randrange(300, 480)  # a working day is 450 minutes
    minutes = [day_total // count] * count
    own = tasks.get(person.pk, [])
    acts = [
        {
            "description": f"Kegiatan {k + 1} tanggal {day:%d-%m}",
            "output_qty": Decimal(rng.randrange(1, 4)),
            "output_unit": "dokumen",
            "minutes": m,
            "task": own[k % len(own)] if own and rng.random() < 0.5 else None,
        }
        for k, m in enumerate(minutes)
    ]
    roll = rng.random()
    if recent:
        status = "submitted" if roll < 0.6 else "approved"
    else:
        status = "approved" if roll < 0.9 else ("returned" if roll < 0.95 else "submitted")
    at = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    report = DailyReport(
        employee=person,
        date=day,
        status=status,
        total_minutes=sum(minutes),
        submitted_at=at,
        late=rng.random() < 0.08,
    )
    return report, acts


# --- measuring -------------------------------------------------------------------------------


def _targets(opd: Unit, year: int, month: int) -> list[tuple[str, str]]:
    found = []
    with contextlib.suppress(NoReverseMatch):  # the page of the review queue, when installed
        found.append(("review queue page (web)", reverse("web:report_queue")))
    found.append(("review queue (API, 500 max)", "/api/v1/daily-reports/review-queue"))
    recap = reverse("web:performance_recap")
    found.append(("unit recap page", f"{recap}?unit={opd.pk}&month={year:04d}-{month:02d}"))
    return found


def _measure(head, opd, year, month, runs, progress) -> list[Timing]:
    client = Client()
    client.force_login(head.user)
    secure = bool(getattr(settings, "SECURE_SSL_REDIRECT", False))
    timings = []
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        for label, url in _targets(opd, year, month):
            timing = Timing(label, url)
            client.get(url, secure=secure)  # warm-up: the calendar and office caches
            with CaptureQueriesContext(connection) as queries:
                timing.status = client.get(url, secure=secure).status_code
            timing.queries = len(queries.captured_queries)
            for n in range(runs):
                began = time.perf_counter()
                client.get(url, secure=secure)
                timing.seconds.append(time.perf_counter() - began)
                if progress:
                    progress(label, n + 1, runs)
            timings.append(timing)
    client.logout()
    return timings


def remove_bench_agency() -> None:
    remove_agency(CODE)
