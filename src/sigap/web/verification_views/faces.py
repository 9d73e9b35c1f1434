"""Face enrolment pages (/verifikasi/wajah/): the agency's employees with their reference
counts, one employee's references with the upload form and approve / reject / retire
buttons, and the scope-checked reference photo.

HR admins of the agency change, its inspectors look; others get 403, another agency's
employee 404. The photo itself is 404 for anyone but the agency's HR admins and
inspectors, and every view of it is logged."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sigap.core.exceptions import DomainError, Forbidden, NotFound
from sigap.org.models import Employee
from sigap.verification import enrolment

PAGE_SIZE = 50
TEMPLATE_LIST = "web/verification/faces.html"
TEMPLATE_EMPLOYEE = "web/verification/faces_employee.html"


def pages(view: Callable) -> Callable:
    """Forbidden -> 403, NotFound -> 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc

    return wrapper


@login_required
@require_GET
@pages
def face_enrolment(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    waiting = request.GET.get("waiting") == "1"
    rows = enrolment.face_enrolment_rows(user=request.user, query=query, waiting=waiting)
    context = {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query,
        "waiting": waiting,
        "can_change": enrolment.face_access(user=request.user).can_change,
        "max_active": enrolment.MAX_ACTIVE_REFERENCES,
    }
    return render(request, TEMPLATE_LIST, context)


def _employee_page(
    request: HttpRequest, employee: Employee, *, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "employee": employee,
        "references": enrolment.face_references_of(employee=employee),
        "can_change": enrolment.face_access(user=request.user).can_change,
        "max_active": enrolment.MAX_ACTIVE_REFERENCES,
        "retire_actions": [("retire", _("Retire"))],
        "proposal_actions": [("approve", _("Approve")), ("reject", _("Reject"))],
        "error": error,
    }
    return render(request, TEMPLATE_EMPLOYEE, context, status=status)


@login_required
@require_GET
@pages
def face_employee(request: HttpRequest, nip: str) -> HttpResponse:
    employee = enrolment.access_face_employee(user=request.user, nip=nip)
    return _employee_page(request, employee)


@login_required
@require_POST
@pages
def face_upload(request: HttpRequest, nip: str) -> HttpResponse:
    employee = enrolment.access_face_employee(user=request.user, nip=nip, change=True)
    upload = request.FILES.get("photo")
    if upload is None:
        return _employee_page(request, employee, error=_("Choose a photo to upload."), status=422)
    try:
        enrolment.face_reference_add(user=request.user, employee=employee, upload=upload)
    except (Forbidden, NotFound):
        raise
    except DomainError as exc:
        return _employee_page(request, employee, error=str(exc.message), status=exc.status)
    messages.success(request, _("The reference photo is added and active."))
    return redirect(reverse("web:face_employee", args=[employee.nip]))


DECISIONS = {
    "approve": (
        enrolment.face_reference_approve,
        gettext_lazy("The photo is now an active reference."),
    ),
    "reject": (enrolment.face_reference_reject, gettext_lazy("The proposed photo is rejected.")),
    "retire": (enrolment.face_reference_retire, gettext_lazy("The reference photo is retired.")),
}


@login_required
@require_POST
@pages
def face_decide(request: HttpRequest, reference_id: int) -> HttpResponse:
    reference = enrolment.access_face_reference(user=request.user, reference_id=reference_id)
    action = DECISIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Unknown action."))
    else:
        service, done = action
        try:
            service(user=request.user, reference=reference)
        except (Forbidden, NotFound):
            raise
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, str(done))
    return redirect(reverse("web:face_employee", args=[reference.employee.nip]))


@login_required
@require_GET
def face_image(request: HttpRequest, reference_id: int) -> FileResponse:
    """A reference photo: the agency's HR admins and inspectors only (404 for anyone else)."""
    try:
        reference = enrolment.access_face_reference(user=request.user, reference_id=reference_id)
        handle = reference.image.open("rb")
    except (Forbidden, NotFound, FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    enrolment.face_reference_viewed(user=request.user, reference=reference, request=request)
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
