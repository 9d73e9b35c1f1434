"""Demo data of personal-data retention: a dry run of the purge, so that HR's retention
page (/privasi/retensi/) shows what the nightly purge would delete (idempotent: one dry
run per demo agency)."""

from __future__ import annotations

from sigap.org.models import Agency
from sigap.privacy.models import PurgeRun
from sigap.privacy.purge import privacy_purge


def seed_privacy_purge_demo(*, agency: Agency) -> PurgeRun:
    found = PurgeRun.objects.filter(agency=agency, dry_run=True).order_by("-started_at").first()
    return found or privacy_purge(agency=agency, dry_run=True)
