"""The retention purge (DOMAIN.md section 10): every registered retention rule is run for an
agency, each in its own transaction, and the counts (never content) are written to a
PurgeRun. A dry run counts what would go and changes nothing (its transactions are rolled
back). Stored files are deleted only after the row change commits (`files_delete_on_commit`),
so a failed rule leaves every file in place.

Apps register their rules in their `privacy.py` (see sigap.privacy.registry)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.core.files.storage import default_storage
from django.db import transaction

from sigap.core import clock
from sigap.core.models import User
from sigap.org.models import Agency
from sigap.privacy.models import PurgeRun
from sigap.privacy.registry import PurgeCount, RetentionRule, retention_rules
from sigap.privacy.settings import privacy_settings

logger = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # (rules done, rules in all, the rule's key)


def files_delete_on_commit(names: Iterable[str]) -> int:
    """Delete these stored files once the current transaction commits (nothing happens if
    it rolls back); returns how many names were given (empty names skipped)."""
    wanted = sorted({name for name in names if name})
    if wanted:
        transaction.on_commit(lambda: _delete_files(wanted))
    return len(wanted)


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            # the row no longer names it; the log carries the rule's name, not the file's
            logger.warning("a file due for deletion could not be deleted")


def _run_rule(rule: RetentionRule, agency: Agency, today, settings, dry_run: bool) -> PurgeCount:
    with transaction.atomic():
        count = rule.run(agency, today, settings, dry_run)
        if dry_run:
            transaction.set_rollback(True)  # a dry run changes nothing, even by mistake
    return count


def privacy_purge(
    *,
    agency: Agency,
    today=None,
    dry_run: bool = False,
    by: User | None = None,
    progress: Progress | None = None,
) -> PurgeRun:
    """Run every retention rule for `agency` as of `today` (default: the agency's today)
    and log the counts per rule in a PurgeRun ({"selfies": {"rows": n, "files": n}, ...};
    a rule that fails is logged as {"failed": true} and the others still run)."""
    today = today or clock.today(agency.time_zone)
    settings = privacy_settings(agency)
    run = PurgeRun.objects.create(
        agency=agency, started_at=clock.now(), dry_run=dry_run, counts={}, by=by
    )
    rules = list(retention_rules())
    for done, rule in enumerate(rules, start=1):
        try:
            count = _run_rule(rule, agency, today, settings, dry_run)
            run.counts[rule.key] = {"rows": count.rows, "files": count.files}
        except Exception:
            logger.exception("retention rule %s failed for agency %s", rule.key, agency.pk)
            run.counts[rule.key] = {"rows": 0, "files": 0, "failed": True}
        run.save(update_fields=["counts"])
        if progress is not None:
            progress(done, len(rules), rule.key)
    run.finished_at = clock.now()
    run.save(update_fields=["finished_at"])
    return run


def privacy_purge_all(*, today=None, dry_run: bool = False) -> list[PurgeRun]:
    """The nightly job: every agency in turn."""
    return [
        privacy_purge(agency=agency, today=today, dry_run=dry_run)
        for agency in Agency.objects.order_by("code")
    ]


def purge_rule_labels() -> dict[str, str]:
    """The registered rules' keys and labels (for reports and pages)."""
    return {rule.key: str(rule.label) for rule in retention_rules()}


def purge_runs(*, agency: Agency, limit: int = 20) -> list[PurgeRun]:
    """The agency's latest purge runs, newest first (one query)."""
    rows = PurgeRun.objects.filter(agency=agency).select_related("by")
    return list(rows.order_by("-started_at", "-pk")[:limit])
