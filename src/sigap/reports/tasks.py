"""Official report exports as background jobs (thin wrappers around the report builders).

`export_start` notes the job in the cache (who started it, what to build) and enqueues
`export_task`, which stores its progress (done/total employees, or OPDs for the agency's
TPP file: the job's `counting`) and, when done, the file's storage name, download name and
size under the job id; the exports page polls `export_job(job_id)`.

Kinds: the monthly attendance report of a unit (XLSX, PDF), the daily recap of the agency
(XLSX), the monthly TPP deduction report of a unit (XLSX) and of the whole agency (XLSX).

Files are written through Django's default storage as `exports/<random hex>.<ext>` (the
name is not guessable and never shown: downloads go through a view that checks the job's
owner). They are kept for a day (`KEEP_SECONDS`, as long as the job in the cache): every
export run first removes the export files older than that.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import secrets
import uuid
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext as _

from sigap.core.models import User
from sigap.core.storage import files_purge_older
from sigap.org.models import Agency, Unit
from sigap.org.selectors import Scope, scope_for
from sigap.privacy import masking
from sigap.reports import pdf, tpp_xlsx, xlsx
from sigap.reports.daily import DailyRecap, daily_recap
from sigap.reports.monthly import MonthlyReport, monthly_report

KEEP_SECONDS = 24 * 3600
EXPORT_DIR = "exports"
MONTHLY_XLSX, MONTHLY_PDF, DAILY_XLSX = "monthly_xlsx", "monthly_pdf", "daily_xlsx"
TPP_UNIT_XLSX, TPP_AGENCY_XLSX = "tpp_unit_xlsx", "tpp_agency_xlsx"
KINDS = (MONTHLY_XLSX, MONTHLY_PDF, DAILY_XLSX, TPP_UNIT_XLSX, TPP_AGENCY_XLSX)
EMPLOYEES, OPDS = "employees", "opds"  # what a job's done/total count


JOB_ID = re.compile(r"[0-9a-f]{32}")  # uuid4().hex


def _key(job_id: str) -> str:
    return f"reports:export-job:{job_id}"


def export_job(job_id: str) -> dict[str, Any] | None:
    """The job's state: kind, user_id, state (queued|running|done|failed), done, total, and
    when done `path` (storage name), `filename` (download name) and `size` (bytes)."""
    if not JOB_ID.fullmatch(job_id or ""):
        return None  # not an id this module made: no cache key is built from it
    return cache.get(_key(job_id))


def _update(job_id: str, **changes: Any) -> dict[str, Any]:
    job = {**(cache.get(_key(job_id)) or {"job_id": job_id}), **changes}
    cache.set(_key(job_id), job, KEEP_SECONDS)
    return job


def export_start(
    *,
    user: User,
    kind: str,
    agency: Agency,
    unit: Unit | None = None,
    month: tuple[int, int] | None = None,
    date: dt.date | None = None,
) -> str:
    """Note an export for `user` and enqueue it; returns the job id. The caller has checked
    that the user may export it (the monthly report and the unit's TPP need `unit` and
    `month`, the agency's TPP `month`, the daily recap `date`)."""
    if kind not in KINDS:
        raise ValueError(kind)
    job_id = uuid.uuid4().hex
    _update(
        job_id,
        kind=kind,
        user_id=user.pk,
        agency_id=agency.pk,
        unit_id=unit.pk if unit else None,
        month=list(month) if month else None,
        date=date.isoformat() if date else None,
        state="queued",
        done=0,
        total=0,
        counting=OPDS if kind == TPP_AGENCY_XLSX else EMPLOYEES,
    )
    export_task.delay(job_id, translation.get_language())
    return job_id


def _build(job_id: str, job: dict[str, Any]) -> tuple[bytes, str]:
    """The file's bytes and its download name."""
    kind = job["kind"]

    def progress(done: int, total: int) -> None:
        _update(job_id, done=done, total=total)

    if kind == DAILY_XLSX:
        agency = Agency.objects.get(pk=job["agency_id"])
        recap = daily_recap(agency=agency, date=dt.date.fromisoformat(job["date"]))
        recap = _masked_daily(recap, _requester(job))
        return xlsx.daily_xlsx(recap), xlsx.daily_filename(recap)
    year, month = job["month"]
    if kind == TPP_AGENCY_XLSX:
        agency = Agency.objects.get(pk=job["agency_id"])
        tpp = tpp_xlsx.agency_tpp_report(agency=agency, year=year, month=month, progress=progress)
        return tpp_xlsx.tpp_xlsx(tpp), tpp_xlsx.tpp_filename(tpp)
    unit = Unit.objects.get(pk=job["unit_id"], agency_id=job["agency_id"])
    if kind == TPP_UNIT_XLSX:
        tpp = tpp_xlsx.unit_tpp_report(unit=unit, year=year, month=month, progress=progress)
        return tpp_xlsx.tpp_xlsx(tpp), tpp_xlsx.tpp_filename(tpp)
    report = monthly_report(unit=unit, year=year, month=month, progress=progress)
    report = _masked_monthly(report, _requester(job))
    if kind == MONTHLY_PDF:
        return pdf.monthly_pdf(report), xlsx.monthly_filename(report, "pdf")
    return xlsx.monthly_xlsx(report), xlsx.monthly_filename(report, "xlsx")


# --- NIPs as the requester may see them (sigap.privacy.masking) --------------------------
# The attendance reports keep the NIP column (it identifies a civil servant in an official
# document) but show it masked to a requester outside its audience (a leader); the TPP
# files go to HR and unit heads only, who see NIPs in full (payroll needs them).


def _requester(job: dict[str, Any]) -> Scope:
    user = User.objects.filter(pk=job.get("user_id") or 0).first()
    return scope_for(user) if user is not None else Scope(None, None, None)


def _masked_daily(recap: DailyRecap, scope: Scope) -> DailyRecap:
    shown = masking.nips_seen_by(scope, agency_id=recap.agency.pk, nips=[r.nip for r in recap.rows])
    rows = [dataclasses.replace(r, nip=shown[r.nip]) for r in recap.rows]
    return dataclasses.replace(recap, rows=rows)


def _masked_monthly(report: MonthlyReport, scope: Scope) -> MonthlyReport:
    nips = [r.nip for r in report.rows] + [report.head_nip]
    shown = masking.nips_seen_by(scope, agency_id=report.agency.pk, nips=nips)
    rows = [dataclasses.replace(r, nip=shown[r.nip]) for r in report.rows]
    head = shown.get(report.head_nip, report.head_nip)
    return dataclasses.replace(report, rows=rows, head_nip=head)


@shared_task(name="reports.export", ignore_result=True)
def export_task(job_id: str, language: str | None = None) -> dict[str, Any]:
    """Build the job's file and store it; the outcome is stored under `job_id`."""
    job = export_job(job_id)
    if job is None:
        return {"job_id": job_id, "state": "failed"}
    with translation.override(language or settings.LANGUAGE_CODE):
        _update(job_id, state="running")
        exports_purge()
        try:
            content, filename = _build(job_id, job)
        except (Agency.DoesNotExist, Unit.DoesNotExist):
            return _update(job_id, state="failed", message=_("The unit is gone."))
        except Exception:
            _update(job_id, state="failed", message=_("The export stopped with an error."))
            raise
        extension = filename.rsplit(".", 1)[-1]
        name = f"{EXPORT_DIR}/{secrets.token_hex(16)}.{extension}"
        path = default_storage.save(name, ContentFile(content))
        return _update(
            job_id, state="done", path=path, filename=filename, size=len(content), done=1, total=1
        )


def exports_purge(*, keep_seconds: int = KEEP_SECONDS) -> int:
    """Remove the export files older than `keep_seconds`; returns how many went."""
    return files_purge_older(EXPORT_DIR, keep_seconds=keep_seconds)
