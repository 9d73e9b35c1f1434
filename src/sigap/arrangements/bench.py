"""The roster benchmark: seed a large synthetic agency, generate a month, print figures.

`sigap bench_roster` (make bench-roster). It creates its own agency (code BENCH-ROSTER,
removed afterwards unless --keep) in whatever database DATABASE_URL names: one OPD with
`units` divisions sharing one office whose seats are fewer than the staff, 10 % direct
public-service positions, 5 % approved flexible-work grants, and a level-3 emergency
policy (50 % WFO) over the month; then it times `roster_generate` for the whole OPD.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from sigap.arrangements.models import (
    ApplicationStatus,
    EmergencyPolicy,
    FlexibleWorkApplication,
    Mode,
)
from sigap.arrangements.services import GenerationReport, roster_generate
from sigap.core import clock
from sigap.org.bench import remove_bench_agency as remove_agency
from sigap.org.models import Agency, Employee, Office, Position, Unit, UnitKind
from sigap.org.rules import make_nip
from sigap.org.selectors import org_changed

CODE = "BENCH-ROSTER"


@dataclass
class RosterBench:
    employees: int
    units: int
    start: dt.date
    end: dt.date
    seed_seconds: float = 0.0
    generate_seconds: float = 0.0
    report: GenerationReport | None = None
    figures: dict[str, object] = field(default_factory=dict)


def month_after(today: dt.date) -> tuple[dt.date, dt.date]:
    first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first, last


def bench_roster(
    *,
    employees: int,
    units: int,
    progress: Callable[[int, int], None] | None = None,
    keep: bool = False,
) -> RosterBench:
    start, end = month_after(clock.today("Asia/Makassar"))
    result = RosterBench(employees, units, start, end)
    remove_bench_agency()
    began = time.perf_counter()
    opd = _seed(employees, units, start, end)
    result.seed_seconds = time.perf_counter() - began
    began = time.perf_counter()
    report = roster_generate(user=None, unit=opd, start=start, end=end, progress=progress)
    result.generate_seconds = time.perf_counter() - began
    result.report = report
    result.figures = summarise(report)
    if not keep:
        remove_bench_agency()
    return result


def summarise(report: GenerationReport) -> dict[str, object]:
    """Quota, seats, public-service coverage and fairness over every unit of the run."""
    per_unit = [f for f in report.figures.values() if isinstance(f, dict)]

    def worst(key: str, pick=max, default=0):
        values = [f[key] for f in per_unit if isinstance(f.get(key), int | float)]
        return pick(values) if values else default

    return {
        "units": len(per_unit),
        "entries_written": report.written,
        "problems": len(report.problems),
        "days_over_quota": sum(int(f.get("over_cap_days", 0)) for f in per_unit),
        "days_over_seats": sum(int(f.get("over_seats_days", 0)) for f in per_unit),
        "public_service_coverage_min": worst("public_service_coverage", min, 100),
        "fairness_spread_max": worst("fairness_spread"),
        "flexible_days": sum(int(f.get("flexible_days", 0)) for f in per_unit),
        "policy_home_days": sum(int(f.get("policy_home_days", 0)) for f in per_unit),
    }


def _seed(employees: int, units: int, start: dt.date, end: dt.date) -> Unit:
    rng = random.Random(20261124)
    with transaction.atomic():
        agency = Agency.objects.create(code=CODE, name="Bench roster", time_zone="Asia/Makassar")
        opd = Unit.objects.create(agency=agency, code="OPD", name="OPD bench", kind=UnitKind.OPD)
        divisions = Unit.objects.bulk_create(
            Unit(agency=agency, code=f"D{n:03d}", name=f"Bidang {n}", kind="BIDANG", parent=opd)
            for n in range(units)
        )
        office = Office.objects.create(
            agency=agency,
            code="K1",
            name="Kantor bench",
            latitude=-2.68,
            longitude=118.89,
            radius_m=100,
            time_zone="Asia/Makassar",
            seat_capacity=int(employees * 0.7),
        )
        office.units.add(opd)
        desk = Position.objects.create(agency=agency, name="Loket", public_service=True)
        staff = Position.objects.create(agency=agency, name="Staf", flexible_eligible=True)
        people = Employee.objects.bulk_create(
            (
                _employee(
                    agency, divisions[n % units], desk if (n // units) % 10 == 0 else staff, n
                )
                for n in range(employees)
            ),
            batch_size=2000,
        )
        now = clock.now()
        FlexibleWorkApplication.objects.bulk_create(
            FlexibleWorkApplication(
                employee=p,
                reason="bench",
                work_plan="bench",
                mode=Mode.WFH,
                days_per_week=1 + rng.randrange(2),
                preferred_weekdays=[rng.randrange(5)],
                valid_from=start,
                valid_until=end,
                status=ApplicationStatus.APPROVED,
                submitted_at=now,
            )
            for p in people
            if p.position_id == staff.pk and rng.random() < 0.05
        )
        EmergencyPolicy.objects.create(
            agency=agency, name="Level 3", unit=opd, start=start, end=end, level=3, wfo_share=50
        )
    org_changed(agency.pk)
    return opd


def _employee(agency: Agency, unit: Unit, position: Position, n: int) -> Employee:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=n % 9000)  # up to 1984: appointed 2005+
    nip = make_nip(birth, (2005 + n % 15, 1 + n % 12), "M" if n % 2 else "F", 900 + n // 9000)
    return Employee(
        agency=agency,
        nip=nip,
        name=f"Pegawai {n}",
        unit=unit,
        position=position,
        start_date=dt.date(2010, 1, 1),
    )


def remove_bench_agency() -> None:
    remove_agency(CODE)
