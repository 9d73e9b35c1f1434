"""sigap close_day [DATE]: finalise the attendance days of DATE (default: yesterday)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sigap.attendance.services import attendance_close_day
from sigap.core import clock


class Command(BaseCommand):
    help = "Finalise attendance days: TK without events, PSW4 without check-out, LIBUR off days."

    def add_arguments(self, parser) -> None:
        parser.add_argument("date", nargs="?", help="YYYY-MM-DD (default: yesterday)")

    def handle(self, *args, date: str | None, **options) -> None:
        if date:
            try:
                day = dt.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"Not a date: {date!r} (use YYYY-MM-DD)") from exc
        else:
            day = clock.today(settings.TIME_ZONE) - dt.timedelta(days=1)
        result = attendance_close_day(date=day)
        self.stdout.write(
            _("%(day)s: %(done)d days finalised (%(new)d new), %(open)d not over yet.")
            % {"day": day, "done": result.finalised, "new": result.created, "open": result.not_over}
        )
