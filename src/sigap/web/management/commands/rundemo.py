"""sigap rundemo: serve the embedded demo on 127.0.0.1:8000, printing the logins.

On a non-working day (a weekend or a holiday) the demo clock is set to the most
recent working day at 07:20 so that the demo shows a working morning.
"""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from sigap.core import clock
from sigap.web.management.commands.seed_demo import demo_logins_text
from sigap.worktime.holidays import national_holidays
from sigap.worktime.rules import previous_working_day_or_same


class Command(BaseCommand):
    help = "Serve the demo (SQLite, demo data) on http://127.0.0.1:8000."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options) -> None:
        os.environ["SIGAP_DEMO"] = "1"
        settings.SIGAP_DEMO = True
        if not settings.SIGAP_FROZEN_TIME:
            today = clock.today(settings.TIME_ZONE)
            working = previous_working_day_or_same(today, national_holidays(today.year))
            if working != today:
                frozen = dt.datetime.combine(working, dt.time(7, 20)).isoformat(timespec="minutes")
                os.environ["SIGAP_FROZEN_TIME"] = frozen
                settings.SIGAP_FROZEN_TIME = frozen
                self.stdout.write(
                    f"Hari ini bukan hari kerja: jam demo = {frozen} ({settings.TIME_ZONE})."
                )
        self.stdout.write(demo_logins_text())
        self.stdout.write(f"SIGAP berjalan di http://{addrport}/  (Ctrl+C untuk berhenti)")
        call_command("runserver", addrport, use_reloader=False, insecure_serving=True)
