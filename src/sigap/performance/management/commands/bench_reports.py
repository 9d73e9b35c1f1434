"""sigap bench_reports: a unit of 500 people with a month of daily reports; times the
review queue and the unit recap as the unit head sees them (target: under 300 ms)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from sigap.performance.bench import bench_reports

TARGET_MS = 300


class Command(BaseCommand):
    help = "Benchmark the review queue and the unit recap (default: 500 people, one month)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--employees", type=int, default=500)
        parser.add_argument("--runs", type=int, default=7, help="timed requests per page")
        parser.add_argument("--keep", action="store_true", help="keep the bench agency")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, employees: int, runs: int, keep: bool, no_progress: bool, **kw):
        if employees < 2 or runs < 1:
            raise CommandError(_("Use at least 2 employees and 1 run."))
        bars: dict[str, tqdm] = {}

        def progress(step: str, done: int, total: int) -> None:
            bar = bars.get(step)
            if bar is None:
                bar = bars[step] = tqdm(total=total, desc=step, disable=no_progress, leave=False)
            bar.n = done
            bar.refresh()

        try:
            result = bench_reports(employees=employees, runs=runs, progress=progress, keep=keep)
        finally:
            for bar in bars.values():
                bar.close()
        self._print(result, runs)

    def _print(self, result, runs: int) -> None:
        out = self.stdout.write
        out(
            _("Reports benchmark: %(n)d employees, %(y)04d-%(m)02d")
            % {"n": result.employees, "y": result.year, "m": result.month}
        )
        out(
            _("  seeded %(r)d reports (%(p)d waiting), %(a)d activities in %(s).1f s")
            % {
                "r": result.reports,
                "p": result.pending,
                "a": result.activities,
                "s": result.seed_seconds,
            }
        )
        for t in result.timings:
            verdict = _("ok") if t.max_ms < TARGET_MS else _("over the target")
            out(
                _(
                    "  %(label)s: median %(median).0f ms, max %(max).0f ms over %(runs)d runs, "
                    "%(queries)d queries, HTTP %(status)d (%(verdict)s, target %(target)d ms)"
                )
                % {
                    "label": t.label,
                    "median": t.median_ms,
                    "max": t.max_ms,
                    "runs": runs,
                    "queries": t.queries,
                    "status": t.status,
                    "verdict": verdict,
                    "target": TARGET_MS,
                }
            )
