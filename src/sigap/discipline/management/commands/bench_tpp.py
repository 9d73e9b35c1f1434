"""sigap bench_tpp: compute a month's TPP statements for a 10,000-strong agency and print
the time (target under 20 s on 2 cores) and the queries per unit."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from sigap.discipline.bench import TARGET_SECONDS, TppBench, bench_tpp


class Command(BaseCommand):
    help = "Benchmark the monthly TPP statements (default: 10,000 employees in 20 OPDs)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--employees", type=int, default=10_000)
        parser.add_argument("--opds", type=int, default=20)
        parser.add_argument("--keep", action="store_true", help="keep the bench agency")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, employees, opds, keep, no_progress, **kw) -> None:
        if opds < 1 or employees < opds * 7:
            raise CommandError(_("Use at least 1 OPD and 7 employees per OPD."))
        bars: dict[str, tqdm] = {}

        def progress(step: str, done: int, total: int) -> None:
            bar = bars.get(step)
            if bar is None:
                bar = bars[step] = tqdm(total=total, desc=step, disable=no_progress, leave=False)
            bar.n = done
            bar.refresh()

        try:
            result = bench_tpp(employees=employees, opds=opds, progress=progress, keep=keep)
        finally:
            for bar in bars.values():
                bar.close()
        self._print(result)

    def _print(self, result: TppBench) -> None:
        out = self.stdout.write
        out(
            _("TPP benchmark: %(n)d employees in %(o)d OPDs; %(r)d day rows seeded in %(s).1f s")
            % {
                "n": result.employees,
                "o": result.opds,
                "r": result.day_rows,
                "s": result.seed_seconds,
            }
        )
        for run in result.runs:
            verdict = _("ok") if run.seconds < TARGET_SECONDS else _("over the target")
            per_group = run.queries / run.groups if run.groups else 0
            out(
                _(
                    "  %(label)s %(y)04d-%(m)02d: %(n)d statements in %(s).1f s "
                    "(%(rate).0f per second; %(verdict)s, target %(target).0f s); "
                    "%(q)d queries, %(pg).1f per unit group; %(f)d frozen"
                )
                % {
                    "label": run.label,
                    "y": run.year,
                    "m": run.month,
                    "n": run.statements,
                    "s": run.seconds,
                    "rate": run.statements / run.seconds if run.seconds else 0,
                    "verdict": verdict,
                    "target": TARGET_SECONDS,
                    "q": run.queries,
                    "pg": per_group,
                    "f": run.frozen,
                }
            )
