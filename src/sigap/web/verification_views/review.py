"""The inspector's review queue (/verifikasi/): check-ins flagged by verification, each with
the selfie next to the employee's reference photos, a small map of the check-in point and
the place, the reasons in words, the score and the face distance; confirm (note required)
or clear (POST .../<id>/putusan/). The decisions log (/verifikasi/keputusan/) and the
reference photos (/verifikasi/rujukan/<id>/), scope-checked like the selfies.

Every read and write goes through sigap.verification.review; Forbidden becomes a 403 page,
NotFound a 404, any other refusal (409 decided, 422 no note) the queue again with the
message and that status.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sigap.core.exceptions import DomainError, Forbidden, NotFound
from sigap.org.selectors import scope_for
from sigap.privacy.access import access_record
from sigap.privacy.models import DataCategory
from sigap.verification.models import Decision
from sigap.verification.review import (
    check_in_for_review,
    decisions_log,
    reason_line,
    reference_for_review,
    review_area,
    review_decide,
    review_items,
    review_queue,
    review_units,
)

PAGE_SIZE = 20
LOG_PAGE_SIZE = 50
QUEUE_TEMPLATE = "web/verification/review_queue.html"


def refusals(view: Callable) -> Callable:
    """Forbidden -> 403 page, NotFound -> 404 page (the API says the same)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc

    return wrapper


def queue_filters(params: Any) -> dict[str, Any]:
    """unit (an id), date (YYYY-MM-DD); anything else is ignored."""
    raw_unit = params.get("unit") or ""
    try:
        day = dt.date.fromisoformat(params.get("date") or "")
    except ValueError:
        day = None
    return {
        "unit_id": int(raw_unit) if raw_unit.isdigit() and len(raw_unit) < 12 else None,
        "date": day,
    }


def _query(params: Any, *keys: str) -> str:
    query = params.copy()
    for key in [k for k in query if k not in keys]:
        query.pop(key)
    return query.urlencode()


def _queue_context(request: HttpRequest, error: str = "") -> dict[str, Any]:
    scope = scope_for(request.user)
    filters = queue_filters(request.GET)
    area = review_area(scope=scope, unit_id=filters["unit_id"])
    page = Paginator(review_queue(area=area, date=filters["date"]), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = review_items(page.object_list)
    # the page draws each check-in point on a map (the photos log themselves when loaded)
    access_record(
        viewer=request.user,
        subject_ids={item.check_in.employee_id for item in items},
        category=DataCategory.LOCATION,
        what="flagged check-ins",
        request=request,
    )
    return {
        "filters": filters,
        "units": review_units(scope),
        "page": page,
        "items": items,
        "query": _query(request.GET, "unit", "date"),
        "here": _query(request.GET, "unit", "date", "page"),
        "tile_url": settings.SIGAP_MAP_TILE_URL,
        "config": {
            "tileUrl": settings.SIGAP_MAP_TILE_URL,
            "strings": {"point": _("Check-in point"), "place": _("Place")},
        },
        "error": error,
    }


@login_required
@require_GET
@refusals
def verification_queue(request: HttpRequest) -> HttpResponse:
    return render(request, QUEUE_TEMPLATE, _queue_context(request))


@login_required
@require_POST
@refusals
def verification_decide(request: HttpRequest, check_in_id: int) -> HttpResponse:
    """Confirm or clear; the form posts to this URL with the queue's query string."""
    event = check_in_for_review(scope=scope_for(request.user), check_in_id=check_in_id)
    try:
        record = review_decide(
            check_in=event,
            by=request.user,
            action=request.POST.get("decision", ""),
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        fields = exc.detail.get("fields") or {}
        text = str(exc.message) + ("" if "note" not in fields else " " + _("A note is required."))
        context = _queue_context(request, error=text)
        return render(request, QUEUE_TEMPLATE, context, status=exc.status)
    done = (
        _("Cheating confirmed: the check-in of %(name)s is voided.")
        if record.decision == Decision.CONFIRMED
        else _("Cleared: the check-in of %(name)s stands.")
    )
    messages.success(request, done % {"name": event.employee.name})
    url, query = reverse("web:verification_queue"), _query(request.GET, "unit", "date", "page")
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_GET
@refusals
def verification_decisions(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    filters = queue_filters(request.GET)
    decision = request.GET.get("decision") or ""
    area = review_area(scope=scope, unit_id=filters["unit_id"])
    found = decisions_log(area=area, decision=decision or None, date=filters["date"])
    page = Paginator(found, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (d, [reason_line(r, d.check_in.time_zone).label for r in d.reasons])
        for d in page.object_list
    ]
    context = {
        "filters": filters,
        "decision": decision,
        "decisions": Decision.choices,
        "units": review_units(scope),
        "page": page,
        "rows": rows,
        "query": _query(request.GET, "unit", "date", "decision"),
    }
    return render(request, "web/verification/review_decisions.html", context)


@login_required
@require_GET
@refusals
def review_reference_image(request: HttpRequest, reference_id: int) -> FileResponse:
    """An active reference photo, for reviewers whose area includes its employee."""
    reference = reference_for_review(scope=scope_for(request.user), reference_id=reference_id)
    try:
        handle = reference.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    access_record(
        viewer=request.user,
        subject_ids=[reference.employee_id],
        category=DataCategory.FACE,
        what=f"face reference {reference.pk}",
        request=request,
    )
    kind = mimetypes.guess_type(reference.image.name or "")[0] or "image/jpeg"
    response = FileResponse(handle, content_type=kind)
    response["Cache-Control"] = "private, no-store"
    return response
