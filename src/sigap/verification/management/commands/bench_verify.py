"""sigap bench_verify: face verifications per second in one process, the queue drain time
of a morning burst of selfies on real Celery workers, and the check-in latency with
verification on and off (target: no change)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from sigap.attendance.bench.environment import cpu_count, machine_summary
from sigap.verification.bench import BenchError, bench_verify
from sigap.verification.bench.results import (
    Drain,
    FaceSpeed,
    Latency,
    VerifyBench,
    median_ms,
    p95_ms,
)


class Command(BaseCommand):
    help = (
        "Benchmark verification: faces per second, the queue drain of a morning burst "
        "(default 2,000 selfies; needs Redis) and the check-in latency with it on and off."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--selfies", type=int, default=200, help="selfies timed in (a)")
        parser.add_argument(
            "--burst", type=int, default=2000, help="selfies of the burst (b); 0 skips it"
        )
        parser.add_argument(
            "--workers", type=int, default=cpu_count(), help="worker processes for (b)"
        )
        parser.add_argument("--check-ins", type=int, default=60, help="check-ins each way (c)")
        parser.add_argument("--keep", action="store_true", help="keep the bench agency")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, selfies, burst, workers, check_ins, keep, no_progress, **kw):
        if selfies < 1 or burst < 0 or workers < 1 or check_ins < 1:
            raise CommandError(_("Use at least 1 selfie, 1 worker and 1 check-in."))
        bars: dict[str, tqdm] = {}

        def progress(step: str, done: int, total: int) -> None:
            bar = bars.get(step)
            if bar is None:
                bar = bars[step] = tqdm(total=total, desc=step, disable=no_progress, leave=False)
            bar.update(done - bar.n)  # update(), not n=: the bar shows the rate

        self.stdout.write(_("Verification benchmark: %(m)s") % {"m": machine_summary()})
        try:
            result = bench_verify(
                selfies=selfies,
                burst=burst,
                workers=workers,
                check_ins=check_ins,
                keep=keep,
                progress=progress,
            )
        except BenchError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            for bar in bars.values():
                bar.close()
        self._print(result)

    def _print(self, result: VerifyBench) -> None:
        self.stdout.write(_("  database: %(db)s") % {"db": result.database})
        if result.face:
            self._face(result.face)
        if result.drain:
            self._drain(result.drain)
        else:
            self.stdout.write(
                _("(b) Morning burst skipped: %(why)s (it needs the real broker: REDIS_URL).")
                % {"why": result.drain_skipped}
            )
        if result.latency:
            self._latency(result.latency)

    def _face(self, speed: FaceSpeed) -> None:
        self.stdout.write(
            _(
                "(a) Face verification in one process: %(rate).1f selfies per second; "
                "median %(median).0f ms, p95 %(p95).0f ms per selfie over %(n)d selfies "
                "(decode, detect, embed, compare)"
            )
            % {
                "rate": speed.per_second,
                "median": speed.median_ms,
                "p95": speed.p95_ms,
                "n": len(speed.seconds),
            }
        )
        self.stdout.write(_("    outcomes: %(o)s") % {"o": _counts(speed.outcomes)})

    def _drain(self, drain: Drain) -> None:
        self.stdout.write(
            _(
                "(b) Morning burst of %(n)d selfies on %(w)d worker processes: every check-in "
                "verified %(s).1f s after the first enqueue (%(rate).1f per second); "
                "enqueued in %(e).2f s; median %(ms).0f ms per check-in in a worker"
            )
            % {
                "n": drain.burst,
                "w": drain.workers,
                "s": drain.seconds,
                "rate": drain.per_second,
                "e": drain.enqueue_seconds,
                "ms": drain.worker_ms,
            }
        )
        self.stdout.write(
            _("    outcomes: %(o)s; %(r)d sent to review (reasons: %(why)s); seeded in %(s).0f s")
            % {
                "o": _counts(drain.outcomes),
                "r": drain.review,
                "why": _counts(drain.reasons) or "-",
                "s": drain.seed_seconds,
            }
        )

    def _latency(self, latency: Latency) -> None:
        out = self.stdout.write
        out(
            _(
                "(c) Check-in latency (attendance_check_in in this process, %(n)d check-ins "
                "each way, interleaved; broker: %(b)s, no worker running):"
            )
            % {"n": len(latency.off), "b": latency.broker}
        )
        lines = (
            (_("    verification off: median %(m).1f ms, p95 %(p).1f ms"), latency.off),
            (
                _(
                    "    verification on (enqueued after the commit): median %(m).1f ms, "
                    "p95 %(p).1f ms"
                ),
                latency.on,
            ),
        )
        for line, values in lines:
            out(line % {"m": median_ms(values), "p": p95_ms(values)})
        verdict = _("no change") if latency.unchanged else _("slower")
        out(
            _(
                "    difference (on - off): median %(dm)+.1f ms (%(dp)+.0f %%), p95 %(d95)+.1f ms: "
                "%(verdict)s (target: no change; tolerance %(tol).1f ms)"
            )
            % {
                "dm": latency.median_difference_ms,
                "dp": latency.median_difference_percent,
                "d95": latency.p95_difference_ms,
                "verdict": verdict,
                "tol": latency.tolerance_ms,
            }
        )


def _counts(counter) -> str:
    return ", ".join(f"{key} {count}" for key, count in counter.most_common())
