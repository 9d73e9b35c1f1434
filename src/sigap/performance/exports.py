"""XLSX export of a monthly performance recap (one row per employee, in ranking order).

Text cells are written as strings explicitly, so a name that starts with "=" stays a name
and never becomes a formula; NIPs stay text (an 18-digit number would lose digits).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

from sigap.performance.recap import EmployeeRow, UnitRecap

_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def recap_header() -> list[str]:
    return [
        _("NIP"),
        _("Name"),
        _("Position"),
        _("Unit"),
        _("Expected hours"),
        _("Approved hours"),
        _("Achievement %"),
        _("Predicate"),
        _("Reports submitted"),
        _("Reports approved"),
        _("Reports returned"),
        _("Reports late"),
        _("Reports missing"),
    ]


def _text(sheet: Worksheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _row(sheet: Worksheet, row: EmployeeRow, nips: Mapping[int, str] | None = None) -> list:
    e, m = row.employee, row.figures
    return [
        _text(sheet, nips[e.pk] if nips is not None else e.nip),
        _text(sheet, e.name),
        _text(sheet, e.position.name if e.position else ""),
        _text(sheet, e.unit.name),
        round(m.expected_minutes / 60, 2),
        round(m.approved_minutes / 60, 2),
        m.achievement_pct,
        _text(sheet, m.predicate),
        m.reports_submitted,
        m.reports_approved,
        m.reports_returned,
        m.reports_late,
        m.reports_missing,
    ]


def unit_recap_xlsx(recap: UnitRecap, *, nips: Mapping[int, str] | None = None) -> bytes:
    """The workbook's bytes: a header row, then one row per employee. `nips` (employee id ->
    the NIP as the requester may see it, sigap.privacy.masking) replaces the stored NIPs."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=f"{recap.year:04d}-{recap.month:02d}")
    sheet.append([_text(sheet, title) for title in recap_header()])
    for row in recap.rows:
        sheet.append(_row(sheet, row, nips))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def recap_filename(recap: UnitRecap) -> str:
    """rekap-kinerja-<unit code, team or agency code>-YYYY-MM.xlsx (ASCII only)."""
    names = {"unit": recap.unit.code if recap.unit else "", "team": "tim"}
    name = names.get(recap.kind) or recap.agency.code
    slug = _UNSAFE.sub("-", name).strip("-").lower() or "rekap"
    return f"rekap-kinerja-{slug}-{recap.year:04d}-{recap.month:02d}.xlsx"
