"""/penghargaan/: the month's rankings (default: last month) for everyone in the agency:
three employee categories and three OPD categories (with bars), a certificate link for
each winner. Also the dashboard's small "best of last month" card (the rankings are
cached, so the card costs nothing once the month was ranked)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sigap.core import clock
from sigap.discipline import rewards, selectors
from sigap.org.models import Agency
from sigap.org.selectors import scope_for
from sigap.web.discipline_views.common import certificate_url, month_of, pages, svg_number

EMPLOYEE_CATEGORIES = {
    "perfect_attendance": (
        gettext_lazy("Perfect attendance"),
        gettext_lazy("Present and on time on every working day; the score is the days present."),
        "days",
    ),
    "on_time_streak": (
        gettext_lazy("On-time streak"),
        gettext_lazy("The longest run of working days present and on time."),
        "days",
    ),
    "reports": (
        gettext_lazy("Approved daily reports"),
        gettext_lazy("Approved reports as a share of the reports due."),
        "pct",
    ),
}
UNIT_CATEGORIES = {
    "attendance_rate": (
        gettext_lazy("Attendance rate"),
        gettext_lazy("Days present as a share of the expected working days."),
    ),
    "punctuality": (
        gettext_lazy("Punctuality"),
        gettext_lazy("Days on time as a share of the days present."),
    ),
    "report_completion": (
        gettext_lazy("Report completion"),
        gettext_lazy("Approved daily reports as a share of the reports due."),
    ),
}
WIDGET_PEOPLE = 3


def _certificate(link: str | None, rank: int, key: int) -> str | None:
    """Each first-ranked entry's own certificate (`?key=`: ties share the first rank)."""
    return f"{link}?key={key}" if link and rank == 1 else None


def _employee_sections(found: rewards.Rankings) -> list[dict[str, Any]]:
    sections = []
    for category, (title, help_text, unit) in EMPLOYEE_CATEGORIES.items():
        link = certificate_url(category, found.year, found.month)
        entries = [
            {
                "entry": e,
                "days": int(Decimal(str(e.score))) if unit == "days" else None,
                "certificate": _certificate(link, e.rank, e.employee_id),
            }
            for e in found.employees.get(category, [])
        ]
        sections.append(
            {
                "category": category,
                "title": title,
                "help": help_text,
                "unit": unit,
                "entries": entries,
            }
        )
    return sections


def _unit_sections(found: rewards.Rankings) -> list[dict[str, Any]]:
    sections = []
    for category, (title, help_text) in UNIT_CATEGORIES.items():
        link = certificate_url(category, found.year, found.month)
        entries = [
            {
                "entry": e,
                "width": svg_number(min(Decimal(str(e.score)), Decimal(100))),
                "certificate": _certificate(link, e.rank, e.unit_id),
            }
            for e in found.units.get(category, [])
        ]
        sections.append(
            {"category": category, "title": title, "help": help_text, "entries": entries}
        )
    return sections


@login_required
@require_GET
@pages
def rewards_page(request: HttpRequest) -> HttpResponse:
    if not selectors.may_see_rankings(scope_for(request.user)):
        raise PermissionDenied(_("The rankings are for the people of an agency."))
    agency = selectors.agency_of(user=request.user)
    month = month_of(request, zone=agency.time_zone, default_last=True)
    found = rewards.rankings(agency=agency, year=month.year, month=month.month)
    context = {
        "agency": agency,
        "month": month,
        "employee_sections": _employee_sections(found),
        "unit_sections": _unit_sections(found),
    }
    return render(request, "web/discipline/rewards.html", context)


def best_of_last_month(agency: Agency | None) -> dict[str, Any] | None:
    """The dashboard card: the top OPDs by attendance rate and three people with perfect
    attendance last month (None without an agency)."""
    if agency is None:
        return None
    today = clock.today(agency.time_zone)
    year, month = selectors.previous_month(today.year, today.month)
    found = rewards.rankings(agency=agency, year=year, month=month)
    units = found.units.get("attendance_rate", [])
    return {
        "month": f"{year:04d}-{month:02d}",
        "month_first": dt.date(year, month, 1),
        "units": [u for u in units if u.rank == 1],
        "people": found.employees.get("perfect_attendance", [])[:WIDGET_PEOPLE],
        "url": f"{reverse('web:rewards')}?month={year:04d}-{month:02d}",
    }
