"""Subject exports on the web (UU 27/2022, the right of access): a person's own data as a
ZIP, made in the background (sigap.privacy.tasks) with a progress bar and a download link.

/profil/data-saya/: an employee downloads all their own data (linked from the profile).
/privasi/ekspor/: HR admins produce the same ZIP for an employee of their agency (a data
subject's request); 403 for anyone else, 404 for a NIP outside their agency. The download
of another person's ZIP is written to the access log (channel "export").
A job and its file belong to the user who started it: anyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sigap.core.exceptions import Forbidden, NotFound
from sigap.org.models import Employee
from sigap.org.selectors import employee_for_user
from sigap.privacy.access import access_record
from sigap.privacy.models import Channel, DataCategory
from sigap.privacy.subject_export import access_subject_export, may_export_others
from sigap.privacy.tasks import subject_export_job, subject_export_start

EXPORT_WHAT = "subject data export (ZIP)"


def _subject(request: HttpRequest, nip: str | None) -> Employee:
    try:
        return access_subject_export(user=request.user, nip=nip)
    except Forbidden as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


@login_required
@require_GET
def my_data_page(request: HttpRequest) -> HttpResponse:
    employee = employee_for_user(request.user)
    if employee is None:
        raise Http404
    return render(request, "web/privacy/export_mine.html", {"employee": employee, "job": None})


@login_required
@require_POST
def my_data_start(request: HttpRequest) -> HttpResponse:
    employee = _subject(request, None)
    return _render_job(request, subject_export_start(user=request.user, employee=employee))


@login_required
@require_http_methods(["GET", "POST"])
def hr_export_page(request: HttpRequest) -> HttpResponse:
    """HR's form: the employee's NIP; a POST starts the job and answers the job box."""
    if not may_export_others(request.user):
        raise PermissionDenied
    if request.method == "POST":
        nip = request.POST.get("nip", "").strip()
        if not nip:
            return _job_error(request, _("Enter the employee's NIP."), status=422)
        try:
            employee = access_subject_export(user=request.user, nip=nip)
        except NotFound:
            # the same answer for a NIP of another agency as for one that does not exist
            return _job_error(request, _("No employee of your agency has this NIP."), status=404)
        except Forbidden as exc:
            raise PermissionDenied(str(exc.message)) from exc
        return _render_job(request, subject_export_start(user=request.user, employee=employee))
    return render(request, "web/privacy/export_hr.html", {"job": None})


def _job_error(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    """The job box showing why no job started (the page's htmx swaps 404/422 in)."""
    context = {"job": None, "error": message}
    return render(request, "web/privacy/export_job.html", context, status=status)


def _own_job(request: HttpRequest, job_id: str) -> dict[str, Any]:
    job = subject_export_job(job_id)
    if job is None or job.get("user_id") != request.user.pk:
        raise Http404
    return job


def _render_job(request: HttpRequest, job_id: str) -> HttpResponse:
    return render(request, "web/privacy/export_job.html", {"job": _own_job(request, job_id)})


@login_required
@require_GET
def export_job_view(request: HttpRequest, job_id: str) -> HttpResponse:
    return _render_job(request, job_id)


@login_required
@require_GET
def export_download(request: HttpRequest, job_id: str) -> FileResponse:
    """The ZIP, for the user who started the job only; HR's download of someone else's
    data is logged as a view of each sensitive category it holds."""
    job = _own_job(request, job_id)
    if job.get("state") != "done" or not default_storage.exists(job["path"]):
        raise Http404
    for category in DataCategory:
        access_record(
            viewer=request.user,
            subject_ids=[job["employee_id"]],
            category=category,
            what=EXPORT_WHAT,
            request=request,
            channel=Channel.EXPORT,
        )
    return FileResponse(
        default_storage.open(job["path"], "rb"), as_attachment=True, filename=job["filename"]
    )
