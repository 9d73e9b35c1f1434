"""sigap purge_personal_data [--agency CODE] [--dry-run] [--today YYYY-MM-DD]: run the
retention rules (every agency, or one) and print the counts per rule."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sigap.org.models import Agency
from sigap.privacy.purge import privacy_purge, purge_rule_labels


class Command(BaseCommand):
    help = "Delete personal data past its retention (selfies, refused attempts, face templates)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agency", help="the agency's code (default: every agency)")
        parser.add_argument("--dry-run", action="store_true", help="count only, delete nothing")
        parser.add_argument("--today", help="YYYY-MM-DD (default: the agency's today)")

    def handle(self, *args, agency: str | None, dry_run: bool, today: str | None, **options):
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"Not a date: {today!r} (use YYYY-MM-DD)") from exc
        agencies = Agency.objects.order_by("code")
        if agency:
            agencies = agencies.filter(code=agency)
            if not agencies.exists():
                raise CommandError(f"No agency with the code {agency!r}.")
        labels = purge_rule_labels()
        width = max([len(key) for key in labels] + [10])
        for found in agencies:
            run = privacy_purge(
                agency=found, today=day, dry_run=dry_run, progress=self._progress(options)
            )
            title = _("Dry run (nothing deleted)") if dry_run else _("Deleted")
            self.stdout.write(f"{found.code}: {title}")
            self.stdout.write(f"  {_('rule'):<{width}}  {_('rows'):>8}  {_('files'):>8}")
            for key, count in run.counts.items():
                failed = f"  {_('FAILED')}" if count.get("failed") else ""
                self.stdout.write(
                    f"  {key:<{width}}  {count['rows']:>8}  {count['files']:>8}{failed}"
                    f"  {labels.get(key, '')}"
                )

    def _progress(self, options):
        if options.get("verbosity", 1) < 2:
            return None
        return lambda done, total, key: self.stderr.write(f"  {done}/{total} {key}")
