"""The own-data export over the API (UU 27/2022, the right of access):

`POST /me/data-export` -> 202 {"job_id", "state", ...}: start making the caller's ZIP;
`GET /me/data-export/{job_id}` -> the job's state, progress and, when done, `download_url`;
`GET /me/data-export/{job_id}/download` -> the ZIP. A job belongs to whoever started it:
anyone else's job id is 404 (not_found)."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema, Status

from sigap.core.exceptions import NotFound
from sigap.privacy.subject_export import access_subject_export
from sigap.privacy.tasks import subject_export_job, subject_export_start

router = Router(tags=["personal data"])


class DataExportOut(Schema):
    job_id: str
    state: str  # queued | running | done | failed
    done: int
    total: int
    filename: str | None = None
    size: int | None = None
    download_url: str | None = None
    message: str | None = None


def _own_job(request: HttpRequest, job_id: str) -> dict[str, Any]:
    job = subject_export_job(job_id)
    if job is None or job.get("user_id") != request.user.pk:
        raise NotFound(_("No such export."))
    return job


def _out(job: dict[str, Any]) -> dict[str, Any]:
    done = job.get("state") == "done"
    url = f"/api/v1/me/data-export/{job['job_id']}/download" if done else None
    return {
        "job_id": job["job_id"],
        "state": job.get("state", "queued"),
        "done": job.get("done", 0),
        "total": job.get("total", 0),
        "filename": job.get("filename"),
        "size": job.get("size"),
        "download_url": url,
        "message": job.get("message"),
    }


@router.post("/me/data-export", response={202: DataExportOut})
def data_export_start(request: HttpRequest):
    employee = access_subject_export(user=request.user)
    job_id = subject_export_start(user=request.user, employee=employee)
    return Status(202, _out(_own_job(request, job_id)))


@router.get("/me/data-export/{job_id}", response=DataExportOut)
def data_export_status(request: HttpRequest, job_id: str):
    return _out(_own_job(request, job_id))


@router.get("/me/data-export/{job_id}/download")
def data_export_download(request: HttpRequest, job_id: str):
    job = _own_job(request, job_id)
    if job.get("state") != "done" or not default_storage.exists(job["path"]):
        raise NotFound(_("The export is not ready."))
    return FileResponse(
        default_storage.open(job["path"], "rb"), as_attachment=True, filename=job["filename"]
    )
