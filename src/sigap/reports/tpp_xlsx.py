"""The monthly TPP deduction report in the shape payroll offices consume: one row per
employee of a unit (with its subtree) or of the whole agency (OPD by OPD), with the
deduction (% of the discipline part), the two parts earned, the final TPP % and the
deduction lines in one summary (`rules.summary`: "TK<x>1, TL1<x>2"), and a legend sheet
of the codes and rates of the table used.

- The numbers are the employees' monthly TPP statements (`sigap.discipline.statements`):
  the stored ones are read and the missing ones computed first. In a locked month the
  statements not frozen yet are frozen first (as the nightly job would), so a payroll file
  of a locked month is final; in an open month the file says it is provisional.
- The title block names the table(s) the statements were computed with (a frozen statement
  keeps its own) and whether the month is frozen, provisional or partly frozen.
- The agency file is sorted by OPD code then name and has an OPD column; people of units
  outside any OPD come last.

Bounded: a unit is a fixed number of queries whatever its size (plus a bounded number to
compute missing statements); the agency is that per OPD.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sigap.attendance.labels import CODE_LEGEND
from sigap.discipline import rules
from sigap.discipline.messages import LINE_CODES
from sigap.discipline.models import BandKind, TppBand, TppStatement, TppTableVersion
from sigap.discipline.statements import (
    agency_groups,
    month_table,
    statements_ensure,
    statements_refresh,
)
from sigap.org.models import Agency, Employee, Unit
from sigap.org.rules import subtree
from sigap.org.selectors import unit_children_map
from sigap.performance.recap import month_close
from sigap.reports.xlsx import BOLD, _book, _cell, _save, _slug, _table, _text, _title_block

Progress = Callable[[int, int], None]
HEADER_ROW = 6  # rows 1-4: the title block, row 5 blank
FROZEN, PROVISIONAL, PARTLY_FROZEN = "frozen", "provisional", "partly_frozen"


@dataclass(frozen=True, slots=True)
class TppRow:
    number: int
    nip: str
    name: str
    position: str
    opd_code: str
    opd: str
    unit: str
    deduction_pct: Decimal  # % of the discipline part
    discipline_pct: Decimal  # the discipline part earned, % of TPP
    performance_pct: Decimal  # the performance part earned, % of TPP
    final_pct: Decimal  # TPP received, % of TPP
    summary: str  # the deduction lines (`rules.summary`)


@dataclass(frozen=True, slots=True)
class TableUsed:
    name: str
    table: rules.TppTable


@dataclass(frozen=True, slots=True)
class TppReport:
    agency: Agency
    unit: Unit | None  # None: the whole agency (all OPDs)
    year: int
    month: int
    rows: list[TppRow]
    tables: list[TableUsed]  # the tables the statements were computed with (usually one)
    status: str  # FROZEN, PROVISIONAL or PARTLY_FROZEN


# --- the data -----------------------------------------------------------------------


def _statements(
    agency: Agency, people: QuerySet[Employee], year: int, month: int, *, locked: bool
) -> list[TppStatement]:
    """The group's statements; in a locked month those not frozen yet are frozen first."""
    if locked:
        active = people.filter(active=True)
        frozen = TppStatement.objects.filter(
            employee__in=active.values("pk"), year=year, month=month, frozen_at__isnull=False
        )
        if frozen.count() < active.count():
            statements_refresh(agency=agency, year=year, month=month, people=active)
    found = statements_ensure(agency=agency, people=people, year=year, month=month)
    return list(found.select_related("table_version"))


def _table_name(version: TppTableVersion | None) -> str:
    return version.name if version else _("SIGAP default table")


def _tables(statements: Iterable[TppStatement], agency: Agency, year: int, month: int):
    used: dict[tuple, TableUsed] = {}
    for s in statements:
        key = (s.table_version_id, json.dumps(s.table, sort_keys=True))
        if key not in used:
            used[key] = TableUsed(_table_name(s.table_version), rules.TppTable.from_dict(s.table))
    if not used:
        found = month_table(agency, year, month)
        return [TableUsed(_table_name(found.version), found.table)]
    return list(used.values())


def _status(statements: list[TppStatement]) -> str:
    frozen = sum(1 for s in statements if s.frozen_at is not None)
    if statements and frozen == len(statements):
        return FROZEN
    return PARTLY_FROZEN if frozen else PROVISIONAL


def _opds(agency: Agency) -> dict[int, Unit]:
    """unit id -> its OPD (the top-level unit above it), one query (the tree is cached)."""
    children = unit_children_map(agency.pk)
    roots = {
        u.pk: u for u in Unit.objects.filter(pk__in=children.get(None, [])).only("code", "name")
    }
    return {unit: roots[root] for root in roots for unit in subtree(children, root)}


def _row(number: int, statement: TppStatement, opd: Unit | None) -> TppRow:
    employee = statement.employee
    return TppRow(
        number=number,
        nip=employee.nip,
        name=employee.name,
        position=employee.position.name if employee.position else "",
        opd_code=opd.code if opd else "",
        opd=opd.name if opd else "",
        unit=employee.unit.name if employee.unit_id else "",
        deduction_pct=statement.deduction_pct,
        discipline_pct=statement.discipline_pct,
        performance_pct=statement.performance_pct,
        final_pct=statement.final_pct,
        summary=rules.summary(statement.counts or {}),
    )


def _report(
    agency: Agency, unit: Unit | None, year: int, month: int, statements: list[TppStatement]
) -> TppReport:
    opd_of = _opds(agency)

    def order(s: TppStatement) -> tuple:
        e = s.employee
        if unit is not None:
            return (e.unit.code if e.unit_id else "", e.name, e.pk)
        opd = opd_of.get(e.unit_id)
        return (opd is None, opd.code if opd else "", e.name, e.pk)

    ordered = sorted(statements, key=order)
    rows = [_row(n, s, opd_of.get(s.employee.unit_id)) for n, s in enumerate(ordered, start=1)]
    tables = _tables(ordered, agency, year, month)
    return TppReport(agency, unit, year, month, rows, tables, _status(ordered))


def unit_tpp_report(
    *, unit: Unit, year: int, month: int, progress: Progress | None = None
) -> TppReport:
    """The month's TPP of `unit` and its subtree."""
    unit = Unit.objects.select_related("agency").get(pk=unit.pk)
    agency = unit.agency
    locked, _deadline = month_close(agency=agency, year=year, month=month)
    covered = subtree(unit_children_map(agency.pk), unit.pk)
    people = Employee.objects.filter(agency=agency, unit_id__in=covered, active=True)
    statements = _statements(agency, people, year, month, locked=locked)
    if progress:
        progress(len(statements), len(statements))
    return _report(agency, unit, year, month, statements)


def agency_tpp_report(
    *, agency: Agency, year: int, month: int, progress: Progress | None = None
) -> TppReport:
    """The month's TPP of the whole agency, computed OPD by OPD; `progress(done, total)`
    is called after each OPD."""
    locked, _deadline = month_close(agency=agency, year=year, month=month)
    groups = agency_groups(agency)
    statements: list[TppStatement] = []
    for done, people in enumerate(groups, start=1):
        statements += _statements(agency, people, year, month, locked=locked)
        if progress:
            progress(done, len(groups))
    return _report(agency, None, year, month, statements)


# --- the workbook -------------------------------------------------------------------


def month_label(year: int, month: int) -> str:
    """The month in the active language ("November 2026")."""
    return date_format(dt.date(year, month, 1), "F Y")


def status_label(status: str) -> str:
    labels = {
        FROZEN: _("frozen (the month is locked)"),
        PROVISIONAL: _("provisional (the month is open)"),
        PARTLY_FROZEN: _("partly frozen (some statements are still provisional)"),
    }
    return labels[status]


def title_lines(report: TppReport) -> list[str]:
    scope = report.unit.name if report.unit else _("all OPDs")
    tables = ", ".join(t.name for t in report.tables)
    return [
        report.agency.name,
        f"{_('TPP deduction report')} · {scope}",
        month_label(report.year, report.month),
        _("Table used: %(tables)s · %(status)s")
        % {"tables": tables, "status": status_label(report.status)},
    ]


def _label(model, name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


def tpp_header(report: TppReport) -> list[str]:
    places = [_("OPD"), _("Unit")] if report.unit is None else [_("Unit")]
    return [
        "No",  # the same in Indonesian
        _("NIP"),
        _("Name"),
        _("Position"),
        *places,
        _label(TppStatement, "deduction_pct"),
        _label(TppStatement, "discipline_pct"),
        _label(TppStatement, "performance_pct"),
        _label(TppStatement, "final_pct"),
        _("Deduction lines"),
    ]


def _tpp_row(sheet: Worksheet, report: TppReport, row: TppRow) -> list:
    places = [row.opd, row.unit] if report.unit is None else [row.unit]
    numbers = (row.deduction_pct, row.discipline_pct, row.performance_pct, row.final_pct)
    return [
        _cell(sheet, row.number, "sigap cell"),
        *(_text(sheet, v, "sigap cell") for v in (row.nip, row.name, row.position, *places)),
        *(_cell(sheet, value, "sigap pct") for value in numbers),
        _text(sheet, row.summary, "sigap cell"),
    ]


def _widths(report: TppReport) -> list[float]:
    places = [30, 26] if report.unit is None else [30]
    return [5, 21, 28, 26, *places, 16, 16, 16, 12, 36]


def _minutes(band: rules.Band) -> str:
    if band.high is None:
        return _("%(low)d minutes or more") % {"low": band.low}
    return _("%(low)d-%(high)d minutes") % {"low": band.low, "high": band.high}


def legend_rows(table: rules.TppTable) -> list[tuple[str, str, Decimal | None]]:
    """(code, meaning, deduction %) of a table: the bands, TK, missed roll call, the leave
    rates, then the discipline part and the cap (no code)."""
    per_day = _("per day")
    rows: list[tuple[str, str, Decimal | None]] = []
    for kind, bands in ((BandKind.LATE, table.late_bands), (BandKind.EARLY, table.early_bands)):
        rows += [(b.code, f"{capfirst(str(kind.label))}, {_minutes(b)}", b.rate) for b in bands]
    rows.append((rules.TK, f"{capfirst(str(LINE_CODES[rules.TK]))}, {per_day}", table.absent_rate))
    rows.append((rules.APEL, capfirst(str(LINE_CODES[rules.APEL])), table.missed_rollcall_rate))
    for code, rate in sorted(table.leave_rates.items()):
        rows.append((code, f"{CODE_LEGEND.get(code, code)}, {per_day}", rate))
    rows.append(("", _label(TppTableVersion, "discipline_share"), table.discipline_share))
    rows.append(("", _label(TppTableVersion, "cap"), table.cap))
    punch = _label(TppTableVersion, "missing_punch_minutes")
    rows.append(("", f"{punch}: {table.missing_punch_minutes}", None))
    return rows


def _legend(book, report: TppReport) -> None:
    sheet = book.create_sheet(title=_("Legend")[:31])
    header = [_("Code"), _("Meaning"), _label(TppBand, "rate")]
    _table(sheet, header, [10, 60, 14])
    for used in report.tables:
        sheet.append([_text(sheet, ""), _text(sheet, used.name, font=BOLD)])
        for code, meaning, rate in legend_rows(used.table):
            rate_cell = _text(sheet, "") if rate is None else _cell(sheet, rate, "sigap pct")
            sheet.append(
                [_text(sheet, code, "sigap centre"), _text(sheet, meaning, "sigap cell"), rate_cell]
            )


def tpp_xlsx(report: TppReport) -> bytes:
    """The workbook's bytes: the TPP sheet (title block, header, one row per employee) and
    the legend sheet of the table(s) used."""
    book = _book()
    sheet = book.create_sheet(title=f"TPP {report.year:04d}-{report.month:02d}")
    for index, width in enumerate(_widths(report), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"D{HEADER_ROW + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    _title_block(sheet, title_lines(report))
    sheet.append([_text(sheet, title, "sigap head") for title in tpp_header(report)])
    for row in report.rows:
        sheet.append(_tpp_row(sheet, report, row))
    _legend(book, report)
    return _save(book)


def tpp_filename(report: TppReport) -> str:
    """tpp-<unit code>-YYYY-MM.xlsx, or tpp-<agency code>-semua-opd-YYYY-MM.xlsx (ASCII)."""
    place = _slug(report.unit.code) if report.unit else f"{_slug(report.agency.code)}-semua-opd"
    return f"tpp-{place}-{report.year:04d}-{report.month:02d}.xlsx"
