"""sigap bench_recap: a 10,000-strong agency with 30 days of attendance; times the
whole-agency recap, one OPD's recap, the roll-call board and a 500-person monthly XLSX."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from sigap.reports.bench import RecapBench, bench_recap


class Command(BaseCommand):
    help = (
        "Benchmark the leaders' views: agency and OPD recaps, the roll-call board and the "
        "monthly XLSX (default: 10,000 employees in 20 OPDs, 30 days)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--employees", type=int, default=10_000)
        parser.add_argument("--opds", type=int, default=20)
        parser.add_argument("--days", type=int, default=30, help="calendar days of attendance")
        parser.add_argument("--runs", type=int, default=5, help="timed requests per view")
        parser.add_argument("--keep", action="store_true", help="keep the bench agency")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, employees, opds, days, runs, keep, no_progress, **kw) -> None:
        if opds < 1 or employees < opds * 7 or days < 1 or runs < 1:
            raise CommandError(_("Use at least 1 OPD, 7 employees per OPD, 1 day and 1 run."))
        bars: dict[str, tqdm] = {}

        def progress(step: str, done: int, total: int) -> None:
            bar = bars.get(step)
            if bar is None:
                bar = bars[step] = tqdm(total=total, desc=step, disable=no_progress, leave=False)
            bar.n = done
            bar.refresh()

        try:
            result = bench_recap(
                employees=employees, opds=opds, days=days, runs=runs, progress=progress, keep=keep
            )
        finally:
            for bar in bars.values():
                bar.close()
        self._print(result, runs)

    def _print(self, result: RecapBench, runs: int) -> None:
        out = self.stdout.write
        out(
            _("Recap benchmark: %(n)d employees in %(o)d OPDs, measured day %(d)s")
            % {"n": result.employees, "o": result.opds, "d": result.date}
        )
        out(
            _("  seeded %(days)d days: %(c)d check-ins, %(r)d day rows in %(s).1f s")
            % {
                "days": result.days,
                "c": result.check_ins,
                "r": result.day_rows,
                "s": result.seed_seconds,
            }
        )
        for t in result.timings:
            verdict = _("ok") if t.met else _("over the target")
            line = _(
                "  %(label)s: median %(median).0f ms, max %(max).0f ms over %(runs)d runs "
                "(%(verdict)s, target %(target)d ms)"
            ) % {
                "label": t.label,
                "median": t.median_ms,
                "max": t.max_ms,
                "runs": len(t.seconds),
                "verdict": verdict,
                "target": t.target_ms,
            }
            if t.key == "xlsx":
                line += _("; %(p)d people, %(kb)d KB") % {
                    "p": result.xlsx_people,
                    "kb": result.xlsx_bytes // 1024,
                }
            else:
                line += _("; cold, %(q)d SQL queries, HTTP %(s)d; warm (cached) %(w).1f ms") % {
                    "q": t.queries,
                    "s": t.status,
                    "w": t.warm_median_ms or 0.0,
                }
            out(line)
