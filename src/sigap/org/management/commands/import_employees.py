"""sigap import_employees FILE [--agency CODE]: validate all rows, then import all or none."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from sigap.core.exceptions import DomainError
from sigap.org.importer import employees_import, read_rows, validate_rows
from sigap.org.models import Agency


class Command(BaseCommand):
    help = "Import employees from an .xlsx or .csv file (all rows valid, or nothing imported)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", help="agency code (default: the only agency)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file: Path, agency: str | None, no_progress: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        target = self._agency(agency)
        try:
            raw = list(read_rows(file))
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        disable = no_progress or options.get("verbosity", 1) == 0
        with tqdm(total=len(raw), desc=_("Checking rows"), unit=_("rows"), disable=disable) as bar:
            clean, errors = validate_rows(target, raw, progress=bar.update)
        if errors:
            for error in errors[:200]:
                self.stderr.write(f"  {error}")
            if len(errors) > 200:
                self.stderr.write("  " + _("... and %(n)d more rows") % {"n": len(errors) - 200})
            raise CommandError(
                _("Nothing was imported: %(count)d row(s) are wrong.") % {"count": len(errors)}
            )
        with tqdm(total=len(clean), desc=_("Importing"), unit=_("rows"), disable=disable) as bar:
            result = employees_import(agency=target, rows=clean, progress=bar.update)
        self.stdout.write(
            self.style.SUCCESS(
                _("Done: %(new)d new employees, %(upd)d updated, %(pos)d new positions.")
                % {"new": result.created, "upd": result.updated, "pos": result.positions_created}
            )
        )

    def _agency(self, code: str | None) -> Agency:
        if code:
            found = Agency.objects.filter(code=code).first()
            if found is None:
                raise CommandError(f"Unknown agency {code!r}")
            return found
        agencies = list(Agency.objects.all()[:2])
        if len(agencies) != 1:
            raise CommandError("Name the agency with --agency CODE.")
        return agencies[0]
