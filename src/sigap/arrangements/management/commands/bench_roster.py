"""sigap bench_roster: generate a month of rosters for a large synthetic OPD and print
the time and the quota, seats, public-service coverage and fairness figures."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from sigap.arrangements.bench import bench_roster
from sigap.arrangements.messages import problem_message


class Command(BaseCommand):
    help = "Benchmark the roster generator (default: 10,000 employees, one month)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--employees", type=int, default=10_000)
        parser.add_argument("--units", type=int, default=40)
        parser.add_argument("--keep", action="store_true", help="keep the bench agency")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, employees: int, units: int, keep: bool, no_progress: bool, **kw):
        if employees < 10 or not 1 <= units <= employees:
            raise CommandError(_("Use at least 10 employees and 1..employees units."))
        with tqdm(total=units, desc=_("Generating"), unit=_("units"), disable=no_progress) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            result = bench_roster(employees=employees, units=units, progress=progress, keep=keep)
        out = self.stdout.write
        out(
            _("Roster benchmark: %(n)d employees in %(u)d units, %(start)s..%(end)s")
            % {"n": employees, "u": units, "start": result.start, "end": result.end}
        )
        out(_("  seeding:    %(s).1f s") % {"s": result.seed_seconds})
        out(_("  generating: %(s).1f s (target: under 30 s)") % {"s": result.generate_seconds})
        for key, value in result.figures.items():
            out(f"  {key}: {value}")
        report = result.report
        if report is not None and report.problems:
            out(_("  first problems:"))
            for problem in report.problems[:5]:
                out(f"    {problem.day} unit {problem.unit_id}: {problem_message(problem)}")
