"""Subprocess: seed the bench database and issue one API token per employee.

    DATABASE_URL=... SIGAP_DEMO=1 SIGAP_FROZEN_TIME=... \
        python -m sigap.attendance.bench.prepare --employees N --out tokens.jsonl

Run with the bench's environment (never the user's database). Seeds the demo regency
(org + worktime), then for every employee expected at work at the frozen time writes a
JSON line {"token", "nip", "employee_id", "shift_based", "latitude", "longitude",
"radius_m"}: the office geofence centre the load generator checks in from. Tokens are made
directly, as `token_issue` makes them, and bulk-inserted (a login per employee would spend
seconds on argon2 alone, and one `token_issue` per employee minutes on round trips for
10,000: 54 s against 4 s for 2,000 measured on a busy 2-core machine). Progress goes
to stderr; a JSON summary is the last line of stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import sys
import time
from collections import Counter

TOKEN_BATCH = 1000


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
    from sigap.org.demo import seed_org
    from sigap.worktime.services import seed_worktime_demo

    assert settings.SIGAP_FROZEN_TIME, "the bench runs on a frozen working-day clock"
    quiet = args.no_progress
    started = time.perf_counter()
    with tqdm(
        total=args.employees, desc="seeding employees", unit="emp", disable=quiet, file=sys.stderr
    ) as bar:
        result = seed_org(employees=args.employees, progress=bar.update)
    agency = result.agency
    local_day = clock.today(agency.time_zone)
    seed_worktime_demo(agency=agency, year=local_day.year, today=local_day)
    seeded_s = time.perf_counter() - started

    started = time.perf_counter()
    counts = _issue_tokens(agency, local_day=local_day, out_path=args.out, quiet=quiet)
    summary = {
        "employees": sum(counts.values()),
        "units": result.units,
        "offices": result.offices,
        "tokens": counts["token"],
        "skipped_off_duty": counts["off_duty"],
        "skipped_no_office": counts["no_office"],
        "seed_seconds": round(seeded_s, 1),
        "token_seconds": round(time.perf_counter() - started, 1),
        "work_date": local_day.isoformat(),
    }
    print(json.dumps(summary))
    return 0


def _issue_tokens(agency, *, local_day, out_path: str, quiet: bool) -> Counter:
    """A token and a JSON line per employee expected at work now. Counts "token",
    "off_duty" and "no_office".

    The bench database is fresh (no earlier token to revoke), so the tokens are made
    the way `token_issue` makes them (a random secret, its SHA-256 stored, the same
    expiry) but written with bulk INSERTs: 10,000 one by one take minutes."""
    from django.conf import settings
    from tqdm import tqdm

    from sigap.core import clock
    from sigap.core.models import ApiToken
    from sigap.core.tokens import TOKEN_PREFIX, hash_token
    from sigap.org.models import Employee
    from sigap.org.selectors import offices_by_unit

    office_of = offices_by_unit(agency.pk)
    employees = list(
        Employee.objects.filter(agency=agency, active=True)
        .select_related("user", "unit", "office", "agency")
        .order_by("pk")
    )
    now = clock.now()
    expires_at = now + dt.timedelta(days=settings.SIGAP_TOKEN_TTL_DAYS)
    counts: Counter = Counter()
    with (
        open(out_path, "w", encoding="utf-8") as out,
        tqdm(
            total=len(employees), desc="issuing tokens", unit="tok", disable=quiet, file=sys.stderr
        ) as bar,
    ):
        for first in range(0, len(employees), TOKEN_BATCH):
            records, lines = [], []
            for employee in employees[first : first + TOKEN_BATCH]:
                office = employee.office or office_of.get(employee.unit_id)
                if office is None:
                    counts["no_office"] += 1
                    continue
                if not _on_duty(employee, office.time_zone, day=local_day, now=now):
                    counts["off_duty"] += 1  # a shift worker off duty or on a later shift
                    continue
                raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
                records.append(
                    ApiToken(
                        user=employee.user,
                        key_hash=hash_token(raw),
                        device_id="bench",
                        device_name="bench",
                        created_at=now,
                        expires_at=expires_at,
                    )
                )
                lines.append(_line(raw, employee, office))
            ApiToken.objects.bulk_create(records)
            out.writelines(lines)
            counts["token"] += len(records)
            bar.update(min(TOKEN_BATCH, len(employees) - first))
    return counts


def _on_duty(employee, zone: str, *, day, now) -> bool:
    """Whether the employee's check-in window of `day` is open at `now`."""
    from sigap.worktime.selectors import employee_day_schedule

    schedule = employee_day_schedule(employee=employee, day=day, zone=zone)
    start, end = schedule.window_start, schedule.window_end
    return bool(schedule.working and start and end and start <= now <= end)


def _line(token: str, employee, office) -> str:
    """The employee as the load generator needs them: token and geofence centre."""
    return (
        json.dumps(
            {
                "token": token,
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


if __name__ == "__main__":
    sys.exit(main())
