"""Background jobs of personal data: the nightly retention purge (Celery beat,
`privacy.purge_nightly`) and subject exports (a person's own data as a ZIP).

Subject exports work like the official report exports (sigap.reports.tasks): the job is
noted in the cache (who asked, whose data), a Celery task builds the ZIP section by section
storing its progress, then the file's storage name, download name and size. The file lives
under `privacy-exports/<random hex>.zip` (never shown; downloads go through views that
check the job's owner) for a day (`KEEP_SECONDS`): each export first removes older ones."""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext as _

from sigap.core.models import User
from sigap.core.storage import files_purge_older
from sigap.org.models import Employee
from sigap.privacy.purge import privacy_purge_all
from sigap.privacy.subject_export import subject_export_filename, subject_export_zip

KEEP_SECONDS = 24 * 3600
EXPORT_DIR = "privacy-exports"


@shared_task(name="privacy.purge_nightly")
def purge_nightly() -> dict[str, Any]:
    """Every agency's retention purge for real; returns the counts by agency code."""
    runs = privacy_purge_all()
    return {str(run.agency_id): run.counts for run in runs}


# --- subject exports ---------------------------------------------------------------------


JOB_ID = re.compile(r"[0-9a-f]{32}")  # uuid4().hex


def _key(job_id: str) -> str:
    return f"privacy:subject-export:{job_id}"


def subject_export_job(job_id: str) -> dict[str, Any] | None:
    """The job: user_id (who asked), employee_id (whose data), state (queued | running |
    done | failed), done / total sections, and when done path, filename and size."""
    if not JOB_ID.fullmatch(job_id or ""):
        return None  # not an id this module made: no cache key is built from it
    return cache.get(_key(job_id))


def _update(job_id: str, **changes: Any) -> dict[str, Any]:
    job = {**(cache.get(_key(job_id)) or {"job_id": job_id}), **changes}
    cache.set(_key(job_id), job, KEEP_SECONDS)
    return job


def subject_export_start(*, user: User, employee: Employee) -> str:
    """Note an export of `employee`'s data for `user` and enqueue it; the caller has checked
    that the user may (sigap.privacy.subject_export.access_subject_export)."""
    job_id = uuid.uuid4().hex
    _update(
        job_id,
        user_id=user.pk,
        employee_id=employee.pk,
        agency_id=employee.agency_id,
        nip=employee.nip,
        name=employee.name,
        state="queued",
        done=0,
        total=0,
    )
    subject_export_task.delay(job_id, translation.get_language())
    return job_id


@shared_task(name="privacy.subject_export", ignore_result=True)
def subject_export_task(job_id: str, language: str | None = None) -> dict[str, Any]:
    job = subject_export_job(job_id)
    if job is None:
        return {"job_id": job_id, "state": "failed"}
    with translation.override(language or settings.LANGUAGE_CODE):
        _update(job_id, state="running")
        subject_exports_purge()
        employee = Employee.objects.select_related("agency").filter(pk=job["employee_id"]).first()
        if employee is None:
            return _update(job_id, state="failed", message=_("The employee is gone."))

        def progress(done: int, total: int) -> None:
            _update(job_id, done=done, total=total)

        try:
            with subject_export_zip(employee=employee, progress=progress) as handle:
                name = f"{EXPORT_DIR}/{secrets.token_hex(16)}.zip"
                path = default_storage.save(name, File(handle, name="export.zip"))
                size = default_storage.size(path)
        except Exception:
            _update(job_id, state="failed", message=_("The export stopped with an error."))
            raise
        return _update(
            job_id, state="done", path=path, filename=subject_export_filename(employee), size=size
        )


def subject_exports_purge(*, keep_seconds: int = KEEP_SECONDS) -> int:
    """Remove the export files older than `keep_seconds`; returns how many went."""
    return files_purge_older(EXPORT_DIR, keep_seconds=keep_seconds)
