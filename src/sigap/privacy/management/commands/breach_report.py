"""sigap breach_report --from ... --to ... --category selfie[,location,...] [--agency CODE]
[--format csv|table]: every employee whose data of those categories was held in the window,
with NIP, name, unit, email and phone (the 3 x 24-hour notice list), and the counts."""

from __future__ import annotations

import csv
import datetime as dt
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sigap.core.exceptions import DomainError
from sigap.org.models import Agency
from sigap.privacy.breach import breach_affected, breach_category_keys, breach_rows


def _moment(raw: str, zone: ZoneInfo, *, end: bool) -> dt.datetime:
    """YYYY-MM-DD (the whole day: its start, or with `end` its last moment) or an ISO
    date-time (local to the agency when it has no offset)."""
    try:
        if len(raw) == 10:
            day = dt.date.fromisoformat(raw)
            moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
        else:
            moment = dt.datetime.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"Not a date or date-time: {raw!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


class Command(BaseCommand):
    help = "List every employee affected by a breach of some data categories in a time window."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD[THH:MM]")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD[THH:MM]")
        parser.add_argument("--category", required=True, help="e.g. selfie,location")
        parser.add_argument("--agency", help="the agency's code (default: every agency)")
        parser.add_argument("--format", choices=("table", "csv"), default="table")

    def handle(self, *args, start, end, category, agency, format, **options) -> None:
        try:
            keys = breach_category_keys(category)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        agencies = Agency.objects.order_by("code")
        if agency:
            agencies = agencies.filter(code=agency)
            if not agencies.exists():
                raise CommandError(f"No agency with the code {agency!r}.")
        writer = csv.writer(self.stdout, lineterminator="\n") if format == "csv" else None
        if writer:
            writer.writerow(["agency", "nip", "name", "unit", "email", "phone", "categories"])
        for found in agencies:
            zone = ZoneInfo(found.time_zone)
            window = (_moment(start, zone, end=False), _moment(end, zone, end=True))
            try:
                affected = breach_affected(
                    agency=found, start=window[0], end=window[1], categories=keys
                )
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
            self._agency(found, keys, affected, writer, window)

    def _agency(self, agency, keys, affected, writer, window) -> None:
        counts = {key: sum(key in cats for cats in affected.values()) for key in keys}
        summary = ", ".join(f"{key} {n}" for key, n in counts.items())
        self.stderr.write(
            _("%(agency)s, %(start)s .. %(end)s: %(n)d employees affected (%(counts)s)")
            % {
                "agency": agency.code,
                "start": window[0].isoformat(),
                "end": window[1].isoformat(),
                "n": len(affected),
                "counts": summary,
            }
        )
        progress = None
        if len(affected) > 1000:
            progress = lambda done, total: self.stderr.write(f"  {done}/{total}")  # noqa: E731
        for row in breach_rows(agency=agency, affected=affected, progress=progress):
            cats = ",".join(row.categories)
            if writer:
                writer.writerow(
                    [agency.code, row.nip, row.name, row.unit, row.email, row.phone, cats]
                )
            else:
                self.stdout.write(
                    f"{row.nip:<18}  {row.name[:32]:<32}  {row.unit[:28]:<28}  "
                    f"{row.email[:32]:<32}  {row.phone:<16}  {cats}"
                )
