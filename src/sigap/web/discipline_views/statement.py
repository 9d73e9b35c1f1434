"""An employee's monthly TPP statement: /tpp/ (one's own) and /tpp/pegawai/<nip>/ (someone
in the caller's scope: the supervisor, the unit's heads, HR; 403 inside the agency, 404
outside). Every deduction line in words, the two parts as a bar, and the very table that
computed the month (the snapshot stored with the statement, not today's table)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sigap.attendance.labels import CODE_LEGEND
from sigap.discipline import rules, selectors, statements
from sigap.discipline.messages import LINE_CODES, LINE_REASONS
from sigap.discipline.models import TppStatement
from sigap.org.models import Employee
from sigap.org.selectors import employee_for_user
from sigap.performance.recap import month_close
from sigap.web.discipline_views.common import Month, month_of, pages, svg_number

HUNDRED = Decimal(100)
DEFAULT_BANDS = {
    b.code: b for b in (*rules.DEFAULT_TABLE.late_bands, *rules.DEFAULT_TABLE.early_bands)
}


def band_text(band: rules.Band, *, late: bool) -> str:
    """A band of the table in words ("Late 31-60 minutes"): the attendance legend's words
    when the band is the shipped one, so that both pages say the same."""
    shipped = DEFAULT_BANDS.get(band.code)
    if shipped is not None and (shipped.low, shipped.high) == (band.low, band.high):
        return str(CODE_LEGEND.get(band.code, band.code))
    values = {"low": band.low, "high": band.high}
    if late:
        if band.high is None:
            return _("Late %(low)d minutes or more") % values
        return _("Late %(low)d-%(high)d minutes") % values
    if band.high is None:
        return _("Left %(low)d minutes or more early") % values
    return _("Left %(low)d-%(high)d minutes early") % values


def _meaning(code: str, table: rules.TppTable | None) -> str:
    if code in LINE_CODES:
        return str(LINE_CODES[code])
    if table is not None:
        for bands, late in ((table.late_bands, True), (table.early_bands, False)):
            band = next((b for b in bands if b.code == code), None)
            if band is not None:
                return band_text(band, late=late)
    return str(CODE_LEGEND.get(code, code))


def line_rows(statement: TppStatement, table: rules.TppTable | None) -> list[dict[str, Any]]:
    rows = []
    for line in statement.lines:
        reason = line.get("reason") or ""
        rows.append(
            {
                "date": dt.date.fromisoformat(line["date"]),
                "code": line["code"],
                "meaning": _meaning(line["code"], table),
                "reason": str(LINE_REASONS.get(reason, reason)),
                "minutes": line.get("minutes") or None,
                "rate": Decimal(line["rate"]),
            }
        )
    return rows


def table_box(statement: TppStatement) -> dict[str, Any] | None:
    """The table the statement was computed with, row by row (None if it was not stored)."""
    try:
        table = rules.TppTable.from_dict(statement.table)
    except ValueError:
        return None
    version = statement.table_version

    def bands(found: tuple[rules.Band, ...], late: bool) -> list[dict[str, Any]]:
        return [{"band": b, "text": band_text(b, late=late)} for b in found]

    return {
        "table": table,
        "version": version,
        "name": version.name if version else _("The shipped default table (DOMAIN.md section 6)"),
        "late": bands(table.late_bands, True),
        "early": bands(table.early_bands, False),
        "leave": [
            (code, CODE_LEGEND.get(code, code), rate) for code, rate in table.leave_rates.items()
        ],
        "performance_share": HUNDRED - table.discipline_share,
    }


def bar(statement: TppStatement, share: Decimal) -> dict[str, str]:
    """The x and width of the four pieces of the bar (a 0-100 viewBox)."""
    performance_share = HUNDRED - share
    return {
        "discipline": svg_number(statement.discipline_pct),
        "discipline_lost": svg_number(share - statement.discipline_pct),
        "share": svg_number(share),
        "performance": svg_number(statement.performance_pct),
        "performance_end": svg_number(share + statement.performance_pct),
        "performance_lost": svg_number(performance_share - statement.performance_pct),
    }


def statement_context(employee: Employee, month: Month) -> dict[str, Any]:
    statement = statements.statement_for(employee=employee, year=month.year, month=month.month)
    box = table_box(statement)
    share = box["table"].discipline_share if box else rules.DEFAULT_TABLE.discipline_share
    locked, deadline = month_close(agency=employee.agency, year=month.year, month=month.month)
    return {
        "employee": employee,
        "statement": statement,
        "month": month,
        "locked": locked,
        "deadline": deadline,
        "lines": line_rows(statement, box["table"] if box else None),
        "summary": rules.summary(statement.counts),
        "box": box,
        "share": share,
        "performance_share": HUNDRED - share,
        "capped": statement.lines_pct > statement.deduction_pct,
        "bar": bar(statement, share),
    }


@login_required
@require_GET
@pages
def tpp_mine(request: HttpRequest) -> HttpResponse:
    employee = employee_for_user(request.user)
    if employee is None:
        raise Http404(_("No employee record for this account."))
    month = month_of(request, zone=employee.agency.time_zone)
    return render(request, "web/discipline/statement.html", statement_context(employee, month))


@login_required
@require_GET
@pages
def tpp_employee(request: HttpRequest, nip: str) -> HttpResponse:
    employee = selectors.statement_employee_by_nip(user=request.user, nip=nip)
    month = month_of(request, zone=employee.agency.time_zone)
    return render(request, "web/discipline/statement.html", statement_context(employee, month))
