"""The leaders' views benchmark: a 10,000-strong agency with 30 days of attendance; times
the whole-agency recap, one OPD's recap, the roll-call board and a 500-person monthly XLSX.

`sigap bench_recap` (make bench-recap). It creates its own agency (code BENCH-RECAP,
removed afterwards unless --keep) in whatever database DATABASE_URL names: `opds` OPDs of
equal size, each with an office and five divisions, an OPD head each, a leader (regent);
then 30 calendar days of check-ins and finalised days from the same generator and rules
as the demo (mostly on time, some late, early leavers, absences), and a roll call on the
last Monday pre-filled from that attendance with half the OPDs confirmed.

The recaps and the board are requested through Django's test client as the people who
read them (the leader; the OPD's head), so authentication, scope, selectors and JSON
rendering all run. Each is timed cold (the cache replaced by a dummy one, so every
request recomputes from the database: the figure that matters when the 60-second cache
expires) and warm (the real cache). The monthly XLSX is built as the background job
builds it (report rows, then the workbook) for one 500-person OPD.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from sigap.arrangements.models import RosterEntry
from sigap.attendance.demo import seed_attendance_history
from sigap.attendance.models import AttendanceDay, CheckIn
from sigap.core import clock
from sigap.core.models import User
from sigap.org.bench import remove_bench_agency as remove_agency
from sigap.org.models import (
    Agency,
    Employee,
    Office,
    Position,
    Role,
    RoleAssignment,
    Unit,
    UnitKind,
)
from sigap.org.rules import make_nip
from sigap.org.selectors import org_changed
from sigap.reports.monthly import monthly_report
from sigap.reports.xlsx import monthly_xlsx
from sigap.rollcall import services as rollcall_services
from sigap.rollcall.models import Rollcall, SessionKind
from sigap.rollcall.services.sessions import SessionSpec

CODE = "BENCH-RECAP"
ZONE = "Asia/Makassar"
DIVISIONS = 5
DUMMY_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
Progress = Callable[[str, int, int], None]

TARGETS_MS = {"agency": 200, "opd": 50, "board": 100, "xlsx": 5000}


@dataclass
class Timing:
    key: str
    label: str
    seconds: list[float] = field(default_factory=list)
    warm_seconds: list[float] = field(default_factory=list)
    queries: int = 0
    status: int = 0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def max_ms(self) -> float:
        return max(self.seconds) * 1000

    @property
    def warm_median_ms(self) -> float | None:
        return statistics.median(self.warm_seconds) * 1000 if self.warm_seconds else None

    @property
    def target_ms(self) -> int:
        return TARGETS_MS[self.key]

    @property
    def met(self) -> bool:
        return self.status == 200 and self.median_ms < self.target_ms


@dataclass
class RecapBench:
    employees: int
    opds: int
    days: int
    date: dt.date | None = None
    check_ins: int = 0
    day_rows: int = 0
    xlsx_people: int = 0
    xlsx_bytes: int = 0
    seed_seconds: float = 0.0
    timings: list[Timing] = field(default_factory=list)


def bench_recap(
    *,
    employees: int = 10_000,
    opds: int = 20,
    days: int = 30,
    runs: int = 5,
    progress: Progress | None = None,
    keep: bool = False,
) -> RecapBench:
    result = RecapBench(employees, opds, days)
    today = clock.today(ZONE)
    remove_bench_agency()
    began = time.perf_counter()
    try:
        leader, first_opd, rollcall = _seed(result, today, progress)
        result.seed_seconds = time.perf_counter() - began
        result.date = _last_working_day(first_opd.agency, today)
        result.timings = _measure(result, leader, first_opd, rollcall, runs, progress)
    finally:
        if not keep:
            remove_bench_agency()
    return result


# --- seeding ---------------------------------------------------------------------------------


def _seed(
    result: RecapBench, today: dt.date, progress: Progress | None
) -> tuple[User, Unit, Rollcall | None]:
    with transaction.atomic():
        agency, heads = _seed_org(result.employees, result.opds, progress)
        leader = User.objects.create(username=f"{CODE.lower()}-leader")
        RoleAssignment.objects.create(user=leader, agency=agency, role=Role.LEADER)
    org_changed(agency.pk)

    def step(_n: int, state={"done": 0}) -> None:  # noqa: B006 - a counter across calls
        state["done"] += 1
        if progress:
            progress("attendance", state["done"], result.days + 1)

    result.check_ins = seed_attendance_history(
        agency=agency, today=today, days=result.days, progress=step
    )
    result.day_rows = AttendanceDay.objects.filter(employee__agency=agency).count()
    _analyze()
    rollcall = _seed_rollcall(agency, today, heads)
    return leader, heads[0].unit, rollcall


def _seed_org(size: int, opd_count: int, progress) -> tuple[Agency, list[Employee]]:
    agency = Agency.objects.create(code=CODE, name="Kabupaten Bench", time_zone=ZONE)
    staff = Position.objects.create(agency=agency, name="Analis")
    head_position = Position.objects.create(agency=agency, name="Kepala Dinas")
    per_opd = max(DIVISIONS + 1, size // opd_count)
    heads, number = [], 0
    for k in range(opd_count):
        opd = Unit.objects.create(
            agency=agency, code=f"OPD{k:02d}", name=f"Dinas {k + 1}", kind=UnitKind.OPD
        )
        office = Office.objects.create(
            agency=agency,
            code=f"K{k:02d}",
            name=f"Kantor Dinas {k + 1}",
            latitude=-2.68 + k * 0.004,
            longitude=118.89 + k * 0.004,
            radius_m=100,
            time_zone=ZONE,
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
        user = User.objects.create(username=f"{CODE.lower()}-head-{k:02d}")
        head = Employee.objects.create(
            agency=agency,
            nip=_nip(number),
            name=f"Kepala Dinas {k + 1}",
            unit=opd,
            position=head_position,
            user=user,
        )
        number += 1
        opd.head = head
        opd.save(update_fields=["head"])
        people = [
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
        number += len(people)
        Employee.objects.bulk_create(people, batch_size=2000)
        heads.append(head)
        if progress:
            progress("organisation", k + 1, opd_count)
    return agency, heads


def _nip(n: int) -> str:
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=n % 9000)
    appointed = (birth.year + 22 + n % 5, 1 + n % 12)
    return make_nip(birth, appointed, "M" if n % 2 else "F", 900 - n // 9000)


def _analyze() -> None:
    """Refresh the planner's statistics after the bulk inserts (as autovacuum would)."""
    if connection.vendor != "postgresql":
        return
    tables = [m._meta.db_table for m in (AttendanceDay, CheckIn, Employee, Unit, RosterEntry)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _last_monday(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday())


def _last_working_day(agency: Agency, today: dt.date) -> dt.date:
    """The latest seeded date with finalised days (yesterday or before)."""
    found = (
        AttendanceDay.objects.filter(employee__agency=agency, date__lt=today, final=True)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    return found or today


def _seed_rollcall(agency: Agency, today: dt.date, heads: list[Employee]) -> Rollcall | None:
    monday = _last_monday(today)
    spec = SessionSpec(
        title="Apel bench",
        date=monday,
        start_time=dt.time(7, 30),
        cutoff_time=dt.time(8, 0),
        kind=SessionKind.VIRTUAL,
        meeting_link="https://meet.example.invalid/apel",
    )
    rollcall = rollcall_services.rollcall_create(agency=agency, spec=spec)
    rollcall_services.rollcall_prefill(rollcall=rollcall)
    for head in heads[: len(heads) // 2]:
        rollcall_services.unit_report_confirm(
            rollcall=rollcall, unit=head.unit, by=head, note="Apel tertib."
        )
    return rollcall


# --- measuring -------------------------------------------------------------------------------


def _timed_get(client: Client, url: str, runs: int, sink: list[float], tick) -> int:
    secure = bool(getattr(settings, "SECURE_SSL_REDIRECT", False))
    status = 0
    for _n in range(runs):
        began = time.perf_counter()
        status = client.get(url, secure=secure).status_code
        sink.append(time.perf_counter() - began)
        tick()
    return status


def _measure_url(key, label, user, url, runs, progress) -> Timing:
    timing = Timing(key, label)
    client = Client()
    client.force_login(user)
    secure = bool(getattr(settings, "SECURE_SSL_REDIRECT", False))
    done = {"n": 0}

    def tick() -> None:
        done["n"] += 1
        if progress:
            progress(label, done["n"], 2 * runs)

    with override_settings(CACHES=DUMMY_CACHE):
        client.get(url, secure=secure)  # warm-up: imports, the calendar
        with CaptureQueriesContext(connection) as queries:
            timing.status = client.get(url, secure=secure).status_code
        timing.queries = len(queries.captured_queries)
        _timed_get(client, url, runs, timing.seconds, tick)
    client.get(url, secure=secure)  # fills the real cache
    _timed_get(client, url, runs, timing.warm_seconds, tick)
    client.logout()
    return timing


def _measure_xlsx(result: RecapBench, opd: Unit, runs: int, progress) -> Timing:
    timing = Timing("xlsx", "monthly XLSX, one OPD")
    date = result.date or clock.today(ZONE)
    with override_settings(CACHES=DUMMY_CACHE):
        for n in range(runs):
            began = time.perf_counter()
            report = monthly_report(unit=opd, year=date.year, month=date.month)
            content = monthly_xlsx(report)
            timing.seconds.append(time.perf_counter() - began)
            if progress:
                progress(timing.label, n + 1, runs)
    result.xlsx_people, result.xlsx_bytes = len(report.rows), len(content)
    timing.status = 200
    return timing


def _measure(result, leader, opd, rollcall, runs, progress) -> list[Timing]:
    date = (result.date or clock.today(ZONE)).isoformat()
    timings = [
        _measure_url(
            "agency",
            "whole-agency recap (API)",
            leader,
            f"/api/v1/recap?date={date}",
            runs,
            progress,
        ),
        _measure_url(
            "opd",
            "one OPD's recap (API, its head)",
            opd.head.user,
            f"/api/v1/units/{opd.pk}/recap?date={date}",
            runs,
            progress,
        ),
    ]
    if rollcall is not None:
        url = f"/api/v1/rollcalls/{rollcall.pk}/board"
        timings.append(_measure_url("board", "roll-call board (API)", leader, url, runs, progress))
    xlsx_runs = max(1, min(runs, 3))
    timings.append(_measure_xlsx(result, opd, xlsx_runs, progress))
    return timings


# --- cleaning up ------------------------------------------------------------------------------


def remove_bench_agency() -> None:
    remove_agency(CODE)
