"""/disiplin/peringatan/: the PP 94/2021 duty-to-examine alerts. On top, the open alerts the
caller is asked to examine, each with a form to record what they examined or decided
(POST .../<id>/tindak-lanjut/); below, the history the caller may see. SIGAP recommends;
the direct supervisor examines and decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sigap.core.exceptions import DomainError, InvalidInput
from sigap.discipline import ladder, selectors
from sigap.discipline.messages import level_label, sanction_label
from sigap.discipline.models import DisciplineAlert
from sigap.web.discipline_views.common import pages

PAGE_SIZE = 50
OPEN_SHOWN = 100


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What you examined or decided"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def ack_form(alert_id: int, data: Any = None) -> AcknowledgeForm:
    """One form per alert on the page: the field is `note`, the id unique per alert."""
    return AcknowledgeForm(data, auto_id=f"id_alert{alert_id}_%s")


def _row(alert: DisciplineAlert) -> dict[str, Any]:
    return {
        "alert": alert,
        "level": level_label(alert.level),
        "sanction": sanction_label(alert.sanction),
    }


def _context(request: HttpRequest, failed: dict[str, Any] | None = None) -> dict[str, Any]:
    to_examine = selectors.alerts_to_examine(user=request.user).order_by("raised_at", "pk")
    history = selectors.alerts_visible(user=request.user).order_by("-raised_at", "-pk")
    page = Paginator(history, PAGE_SIZE).get_page(request.GET.get("page"))
    open_rows = []
    for alert in to_examine[:OPEN_SHOWN]:
        row = _row(alert)
        if failed and failed["id"] == alert.pk:
            row.update(form=failed["form"], error=failed["message"])
            failed["shown"] = True  # by its form, not again on top
        else:
            row["form"] = ack_form(alert.pk)
        open_rows.append(row)
    return {
        "open_rows": open_rows,
        "open_count": to_examine.count(),
        "open_shown": OPEN_SHOWN,
        "page": page,
        "rows": [_row(a) for a in page.object_list],
        "failed": failed,
    }


@login_required
@require_GET
@pages
def discipline_alerts(request: HttpRequest) -> HttpResponse:
    return render(request, "web/discipline/alerts.html", _context(request))


@login_required
@require_POST
@pages
def discipline_alert_ack(request: HttpRequest, alert_id: int) -> HttpResponse:
    form = ack_form(alert_id, request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Check the note."))
        alert = ladder.alert_acknowledge(
            user=request.user, alert_id=alert_id, note=form.cleaned_data["note"]
        )
    except DomainError as exc:
        for name, problems in (exc.detail.get("fields") or {}).items():
            form.add_error(name if name in form.fields else None, [str(p) for p in problems])
        failed = {"id": alert_id, "form": form, "message": str(exc.message)}
        context = _context(request, failed)
        return render(request, "web/discipline/alerts.html", context, status=exc.status)
    name = alert.employee.name
    messages.success(
        request, _("Recorded: you examined the alert about %(name)s.") % {"name": name}
    )
    return redirect("web:discipline_alerts")
