"""sigap demo_clock: print the demo clock `make demo` should use, or nothing.

Outside office hours or on a non-working day, the demo shows the most recent working
morning (07:20, before the 07:30 start) so that a visitor can check in.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand

from sigap.core import clock
from sigap.worktime.holidays import national_holidays
from sigap.worktime.rules import is_office_working_day, previous_working_day_or_same

DEMO_MORNING = dt.time(7, 20)
LIVE_FROM, LIVE_UNTIL = dt.time(6, 0), dt.time(17, 0)


def demo_clock_value(now: dt.datetime) -> str:
    """'' when the real time suits a demo, else the local date-time to freeze at."""
    holidays = national_holidays(now.year) | national_holidays(now.year - 1)
    if is_office_working_day(now.date(), holidays) and LIVE_FROM <= now.time() < LIVE_UNTIL:
        return ""
    day = now.date() if now.time() >= DEMO_MORNING else now.date() - dt.timedelta(days=1)
    day = previous_working_day_or_same(day, holidays)
    return dt.datetime.combine(day, DEMO_MORNING).isoformat(timespec="minutes")


class Command(BaseCommand):
    help = "Print the demo clock for `make demo` (empty during office hours on a working day)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(demo_clock_value(clock.local_now(settings.TIME_ZONE)))
