"""sigap flag_missing_reports [DATE]: set or clear the `report_missing` flag of the
attendance days of DATE (default: the last days up to yesterday, like the hourly job)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sigap.performance.services.flags import flag_missing_reports


class Command(BaseCommand):
    help = "Flag attendance days whose required daily report is overdue (report_missing)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("date", nargs="?", help="YYYY-MM-DD (default: the last 10 days)")

    def handle(self, *args, date: str | None, **options) -> None:
        day = None
        if date:
            try:
                day = dt.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"Not a date: {date!r} (use YYYY-MM-DD)") from exc
        result = flag_missing_reports(date=day)
        self.stdout.write(
            _(
                "%(start)s..%(end)s: %(flagged)d days flagged, %(cleared)d cleared, "
                "%(without)d overdue days without an attendance row yet."
            )
            % {
                "start": result.start,
                "end": result.end,
                "flagged": result.flagged,
                "cleared": result.cleared,
                "without": result.without_row,
            }
        )
