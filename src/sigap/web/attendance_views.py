"""Attendance pages: the phone check-in page (PWA), the month calendar, the review queue,
and the scope-checked selfie file."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sigap.arrangements.models import Mode
from sigap.attendance import presenters, selectors
from sigap.attendance.models import CheckIn
from sigap.attendance.services import check_in_review
from sigap.core import clock
from sigap.core.exceptions import DomainError
from sigap.health.selectors import check_in_gate
from sigap.org.selectors import employee_for_user, scope_for
from sigap.performance.selectors import my_open_tasks
from sigap.privacy.access import access_record
from sigap.privacy.models import DataCategory
from sigap.web.health_views.mine import declaration_initial
from sigap.web.labels import CODE_LEGEND, day_label


@require_safe
@login_required
def check_in_page(request: HttpRequest) -> HttpResponse:
    employee = employee_for_user(request.user)
    if employee is None:
        raise Http404(_("This account is not an employee."))
    arrangement, day = selectors.employee_today(employee=employee)
    place = arrangement.place
    context = {
        "employee": employee,
        "arrangement": arrangement,
        "day": day,
        "day_label": day_label(day.status, day.late_minutes, day.early_minutes),
        "next_kind": "out" if day.check_in else "in",
        "place": place,
        "mode_label": Mode(arrangement.mode).label if arrangement.mode else "",
        "report_duty": presenters.me_extensions(employee, arrangement)["today"],
        "open_tasks": list(my_open_tasks(employee=employee)[:5]),
        "config": _check_in_config(arrangement, next_kind="out" if day.check_in else "in"),
        **_health_context(employee, next_kind="out" if day.check_in else "in"),
    }
    return render(request, "web/check_in.html", context)


def _health_context(employee, *, next_kind: str) -> dict:
    """The health declaration offered right before check-in; when the agency requires
    it, the check-in is held back on this page until today's is made."""
    gate = check_in_gate(employee=employee)
    return {
        "health": gate,
        "health_form": declaration_initial(gate),
        "health_next": reverse("web:check_in"),
        "health_blocks": gate.blocks_check_in and next_kind == "in",
    }


def _check_in_config(arrangement, *, next_kind: str) -> dict:
    """Everything checkin.js needs, as JSON (no inline script: the CSP forbids it)."""
    place = arrangement.place
    return {
        "api": "/api/v1/attendance/check-ins",
        "kind": next_kind,
        # with the demo clock the device's time cannot match: send the server's instead
        "serverNow": clock.now().isoformat() if clock.is_frozen() else None,
        "tileUrl": settings.SIGAP_MAP_TILE_URL,
        "place": None
        if place is None
        else {
            "name": place.name,
            "lat": place.centre.latitude,
            "lon": place.centre.longitude,
            "radius": place.radius_m,
            "polygon": [[p.latitude, p.longitude] for p in place.polygon]
            if place.polygon
            else None,
        },
        "labels": {code: str(text) for code, text in CODE_LEGEND.items()},
        "strings": {
            "late": _("Late %(m)s minutes (%(code)s)"),
            "early": _("Left %(m)s minutes early (%(code)s)"),
            "cameraReady": _("Camera ready: look at the camera and take a selfie."),
            "cameraDenied": _("The camera cannot be used: allow camera access for this site."),
            "gpsDenied": _("The location cannot be read: allow location access for this site."),
            "gpsFix": _("Accuracy ±%(acc)s m · %(dist)s m from %(place)s"),
            "inside": _("inside the area"),
            "outside": _("outside the area"),
            "sending": _("Sending…"),
            "queued": _("No network: saved on this phone, it will be sent automatically."),
            "queueCount": _("Waiting to be sent: %(n)s"),
            "sentLater": _("A saved check-in was sent."),
            "checkIn": _("Check in"),
            "checkOut": _("Check out"),
            "recorded": _("Recorded at %(time)s."),
            "needPhoto": _("Take a selfie first."),
            "failed": _("The check-in failed."),
        },
    }


def _month(value: str | None, today: dt.date) -> dt.date:
    try:
        return dt.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)


@require_safe
@login_required
def month_page(request: HttpRequest) -> HttpResponse:
    employee = employee_for_user(request.user)
    if employee is None:
        raise Http404(_("This account is not an employee."))
    arrangement, _today = selectors.employee_today(employee=employee)
    first = _month(request.GET.get("m"), arrangement.work_date)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    days = selectors.employee_attendance(employee=employee, start=first, end=last)
    weeks: list[list] = [[None] * first.weekday()]
    for day in days:
        if len(weeks[-1]) == 7:
            weeks.append([])
        weeks[-1].append(day)
    weeks[-1] += [None] * (7 - len(weeks[-1]))
    counts: dict[str, int] = {}
    for day in days:
        counts[day.status] = counts.get(day.status, 0) + 1
    context = {
        "weekday_names": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        "month": first,
        "prev": (first - dt.timedelta(days=1)).strftime("%Y-%m"),
        "next": (last + dt.timedelta(days=1)).strftime("%Y-%m"),
        "weeks": weeks,
        "legend": [(code, text, counts.get(code, 0)) for code, text in CODE_LEGEND.items()],
    }
    return render(request, "web/month.html", context)


@require_safe
@login_required
def review_page(request: HttpRequest) -> HttpResponse:
    pending = list(selectors.reviews_pending_for(user=request.user)[:200])
    access_record(
        viewer=request.user,
        subject_ids={event.employee_id for event in pending},
        category=DataCategory.LOCATION,
        what="check-ins to review",
        request=request,
    )
    return render(request, "web/reviews.html", {"pending": pending})


@login_required
@require_POST
def review_decide(request: HttpRequest, check_in_id: int) -> HttpResponse:
    event = selectors.reviews_pending_for(user=request.user).filter(pk=check_in_id).first()
    if event is None:
        raise Http404
    try:
        check_in_review(
            check_in=event,
            reviewer=request.user,
            accept=request.POST.get("decision") == "accept",
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Decision saved."))
    return redirect(reverse("web:reviews"))


@require_safe
@login_required
def selfie_file(request: HttpRequest, check_in_id: int) -> FileResponse:
    """A selfie, only for its owner and for people whose scope includes the owner."""
    visible = scope_for(request.user).employees()
    event = CheckIn.objects.filter(pk=check_in_id, employee__in=visible).exclude(selfie="").first()
    if event is None:
        raise Http404
    handle = event.selfie.open("rb")
    access_record(
        viewer=request.user,
        subject_ids=[event.employee_id],
        category=DataCategory.SELFIE,
        what=f"check-in {event.pk}",
        request=request,
    )
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
