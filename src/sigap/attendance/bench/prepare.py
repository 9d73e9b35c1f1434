"""Subprocess: seed the bench database and issue one API token per employee.

    DATABASE_URL=... SIGAP_DEMO=1 SIGAP_FROZEN_TIME=... \
        python -m sigap.attendance.bench.prepare --employees N --out tokens.jsonl

Run with the bench's environment (never the user's database). Seeds the demo regency
(org + worktime), then for every employee expected at work at the frozen time writes a
JSON line {"token", "nip", "employee_id", "shift_based", "latitude", "longitude",
"radius_m"}: the
office geofence centre the load generator checks in from. Tokens are issued directly with
`token_issue` (a login per employee would spend seconds on argon2 alone). Progress goes
to stderr; a JSON summary is the last line of stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from tqdm import tqdm

    from sigap.core import clock
    from sigap.core.tokens import token_issue
    from sigap.org.demo import seed_org
    from sigap.org.models import Employee
    from sigap.org.selectors import offices_by_unit
    from sigap.worktime.selectors import employee_day_schedule
    from sigap.worktime.services import seed_worktime_demo

    assert settings.SIGAP_FROZEN_TIME, "the bench runs on a frozen working-day clock"
    quiet = args.no_progress
    started = time.perf_counter()
    with tqdm(
        total=args.employees, desc="seeding employees", unit="emp", disable=quiet, file=sys.stderr
    ) as bar:
        result = seed_org(employees=args.employees, progress=bar.update)
    agency = result.agency
    now = clock.now()
    local_day = clock.today(agency.time_zone)
    seed_worktime_demo(agency=agency, year=local_day.year, today=local_day)
    seeded_s = time.perf_counter() - started

    office_of = offices_by_unit(agency.pk)
    employees = list(
        Employee.objects.filter(agency=agency, active=True)
        .select_related("user", "unit", "office", "agency")
        .order_by("pk")
    )
    written = skipped_off = skipped_no_office = 0
    started = time.perf_counter()
    with (
        open(args.out, "w", encoding="utf-8") as out,
        tqdm(
            total=len(employees), desc="issuing tokens", unit="tok", disable=quiet, file=sys.stderr
        ) as bar,
    ):
        for employee in employees:
            bar.update(1)
            office = employee.office or office_of.get(employee.unit_id)
            if office is None:
                skipped_no_office += 1
                continue
            schedule = employee_day_schedule(
                employee=employee, day=local_day, zone=office.time_zone
            )
            if not (schedule.working and schedule.window_start <= now <= schedule.window_end):
                skipped_off += 1  # a shift worker off duty (or on a later shift) this morning
                continue
            issued = token_issue(user=employee.user, device_id="bench", device_name="bench")
            out.write(
                json.dumps(
                    {
                        "token": issued.token,
                        "nip": employee.nip,
                        "employee_id": employee.pk,
                        "shift_based": bool(employee.unit.shift_based),
                        "latitude": float(office.latitude),
                        "longitude": float(office.longitude),
                        "radius_m": float(office.radius_m or 100),
                    }
                )
                + "\n"
            )
            written += 1
    summary = {
        "employees": len(employees),
        "units": result.units,
        "offices": result.offices,
        "tokens": written,
        "skipped_off_duty": skipped_off,
        "skipped_no_office": skipped_no_office,
        "seed_seconds": round(seeded_s, 1),
        "token_seconds": round(time.perf_counter() - started, 1),
        "work_date": local_day.isoformat(),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
