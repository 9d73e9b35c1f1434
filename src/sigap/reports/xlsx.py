"""XLSX workbooks of the official reports: the monthly attendance report of a unit and the
daily recap of an agency (write-only openpyxl workbooks, so a big unit stays fast).

Every text cell is written as a string explicitly (`_text`), so a name that starts with "="
stays a name and never becomes a formula; NIPs stay text (an 18-digit number would lose
digits). Counts and minutes are numbers; times are time values.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sigap.attendance.labels import CODE_LEGEND
from sigap.reports.daily import STATUS_COLUMNS, DailyRecap
from sigap.reports.monthly import TOTAL_COLUMNS, MonthlyReport, display_code

_UNSAFE = re.compile(r"[^A-Za-z0-9]+")
HEADER_ROW = 5  # rows 1-3: the title block, row 4 blank
FIXED_COLUMNS = 4  # No, NIP, name, position
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
SMALL = Font(size=9)
CENTER = Alignment(horizontal="center", vertical="center")
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
OFF_FILL = PatternFill("solid", fgColor="D9D9D9")
LEAVE_CODES = ("CT", "CB", "CS", "CM", "CAP", "CBER", "CLTN", "SAKIT", "IZIN", "TB")
CODE_COLOURS = {
    **{f"TL{n}": "F8CBAD" for n in range(1, 5)},
    **{f"PSW{n}": "FFE699" for n in range(1, 5)},
    "TK": "FF7C80",
    "DL": "C6E0B4",
    **dict.fromkeys(LEAVE_CODES, "BDD7EE"),
}
_FILLS_BY_RGB = {rgb: PatternFill("solid", fgColor=rgb) for rgb in set(CODE_COLOURS.values())}


def _named(name: str, fill: PatternFill | None = None, **attributes) -> NamedStyle:
    style = NamedStyle(name=name, border=BORDER, **attributes)
    if fill is not None:
        style.fill = fill
    return style


def _styles() -> list[NamedStyle]:
    """The table's styles, registered once per workbook: a named style per cell is much
    faster than setting font, border, fill and alignment on each of 30,000 cells."""
    head = {"font": BOLD, "alignment": CENTER}
    small = {"font": SMALL, "alignment": CENTER}
    return [
        _named("sigap head", HEADER_FILL, **head),
        _named("sigap head off", OFF_FILL, **head),
        _named("sigap cell", font=SMALL),
        _named("sigap time", font=SMALL, number_format="hh:mm"),
        _named("sigap centre", **small),
        _named("sigap pct", font=SMALL, number_format="0.00"),
        _named("sigap off", OFF_FILL, **small),
        *(_named(f"sigap {rgb}", fill, **small) for rgb, fill in _FILLS_BY_RGB.items()),
    ]


def _book() -> Workbook:
    book = Workbook(write_only=True)
    for style in _styles():
        book.add_named_style(style)
    return book


def _day_style(code: str, off: bool) -> str:
    rgb = CODE_COLOURS.get(code)
    return f"sigap {rgb}" if rgb else ("sigap off" if off else "sigap centre")


def _cell(sheet: Worksheet, value, style: str | None = None, *, text: bool = False, **attrs):
    cell = WriteOnlyCell(sheet, value=value)
    if text:
        cell.data_type = "s"
    if style:
        cell.style = style
    for name, attribute in attrs.items():
        setattr(cell, name, attribute)
    return cell


def _text(sheet: Worksheet, value: object, style: str | None = None, **attrs) -> WriteOnlyCell:
    return _cell(sheet, "" if value is None else str(value), style, text=True, **attrs)


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _slug(value: str) -> str:
    return _UNSAFE.sub("-", value).strip("-").lower() or "laporan"


# --- the monthly report -------------------------------------------------------------


def monthly_header(report: MonthlyReport) -> list[str]:
    return [
        "No",  # the same in Indonesian (and not the English "no")
        _("NIP"),
        _("Name"),
        _("Position"),
        *(str(day.date.day) for day in report.days),
        *TOTAL_COLUMNS,
        _("Late (min)"),
        _("Early (min)"),
        _("TPP discipline deduction %"),
    ]


def month_label(report: MonthlyReport) -> str:
    return date_format(report.days[0].date, "F Y")


def _title_block(sheet: Worksheet, lines: Iterable[str]) -> None:
    for number, line in enumerate(lines):
        font = Font(bold=True, size=14 if number == 0 else 11)
        sheet.append([_text(sheet, line, font=font)])
    sheet.append([])


def _monthly_columns(sheet: Worksheet, report: MonthlyReport) -> None:
    widths = [5, 21, 28, 24] + [4.5] * len(report.days) + [5.5] * len(TOTAL_COLUMNS)
    widths += [8, 8, 12]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _monthly_head_row(sheet: Worksheet, report: MonthlyReport) -> list[WriteOnlyCell]:
    cells = []
    for index, title in enumerate(monthly_header(report)):
        day = index - FIXED_COLUMNS
        off = 0 <= day < len(report.days) and report.days[day].off
        cells.append(_text(sheet, title, "sigap head off" if off else "sigap head"))
    return cells


def _monthly_row(sheet: Worksheet, report: MonthlyReport, row) -> list[WriteOnlyCell]:
    cells = [
        _cell(sheet, row.number, "sigap cell"),
        _text(sheet, row.nip, "sigap cell"),
        _text(sheet, row.name, "sigap cell"),
        _text(sheet, row.position, "sigap cell"),
    ]
    for column, status in zip(report.days, row.codes, strict=True):
        cells.append(_text(sheet, display_code(status), _day_style(status, column.off)))
    cells += [_cell(sheet, row.totals[code], "sigap centre") for code in TOTAL_COLUMNS]
    cells.append(_cell(sheet, row.late_minutes, "sigap cell"))
    cells.append(_cell(sheet, row.early_minutes, "sigap cell"))
    if row.deduction_pct is None:
        cells.append(_text(sheet, "-", "sigap centre"))
    else:
        cells.append(_cell(sheet, row.deduction_pct, "sigap pct"))
    return cells


def _legend_sheet(book: Workbook, notes: list[tuple[str, str]]) -> None:
    sheet = book.create_sheet(title=_("Legend")[:31])
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 50
    sheet.append([_text(sheet, _("Code"), "sigap head"), _text(sheet, _("Meaning"), "sigap head")])
    for code, label in [*CODE_LEGEND.items(), *notes]:
        sheet.append(
            [_text(sheet, code, _day_style(code, False)), _text(sheet, label, "sigap cell")]
        )


def monthly_xlsx(report: MonthlyReport) -> bytes:
    """The workbook's bytes: the report sheet (title block, header, one row per employee)
    and a legend sheet."""
    book = _book()
    sheet = book.create_sheet(title=f"{report.year:04d}-{report.month:02d}")
    _monthly_columns(sheet, report)
    sheet.freeze_panes = f"{get_column_letter(FIXED_COLUMNS + 1)}{HEADER_ROW + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    title = _("Monthly attendance report")
    _title_block(sheet, [report.agency.name, f"{title} · {report.unit.name}", month_label(report)])
    sheet.append(_monthly_head_row(sheet, report))
    for row in report.rows:
        sheet.append(_monthly_row(sheet, report, row))
    _legend_sheet(
        book,
        [
            ("-", _("Day off (weekend, holiday or no shift)")),
            ("H", _("Days present (HADIR, TL and PSW days)")),
            ("HK", _("Working days")),
            ("TPP %", _("TPP discipline deduction (% of the discipline part)")),
        ],
    )
    return _save(book)


def monthly_filename(report: MonthlyReport, extension: str) -> str:
    """kehadiran-<unit code>-YYYY-MM.<extension> (ASCII only)."""
    return f"kehadiran-{_slug(report.unit.code)}-{report.year:04d}-{report.month:02d}.{extension}"


# --- the daily recap of an agency ---------------------------------------------------


def _table(sheet: Worksheet, header: list[str], widths: list[float]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([_text(sheet, title, "sigap head") for title in header])


def _opd_sheet(book: Workbook, recap: DailyRecap, title: list[str]) -> None:
    sheet = book.create_sheet(title=_("Per OPD")[:31])
    sheet.freeze_panes = f"B{HEADER_ROW + 1}"
    _title_block(sheet, title)
    header = [_("OPD"), _("Headcount"), _("Expected"), _("Present"), _("Rate %")]
    _table(sheet, header + list(STATUS_COLUMNS), [36, 10, 10, 10, 8] + [6.5] * 23)
    for opd in recap.opds:
        numbers = [opd.headcount, opd.expected, opd.present, opd.rate]
        numbers += [opd.counts[code] for code in STATUS_COLUMNS]
        sheet.append(
            [_text(sheet, opd.name, "sigap cell")]
            + [_cell(sheet, n, "sigap cell") for n in numbers]
        )


def _people_sheet(book: Workbook, recap: DailyRecap, title: list[str]) -> None:
    sheet = book.create_sheet(title=_("Per employee")[:31])
    sheet.freeze_panes = f"E{HEADER_ROW + 1}"
    _title_block(sheet, title)
    header = [_("OPD"), _("Unit"), _("NIP"), _("Name"), _("Position"), _("Code"), _("Codes")]
    header += [_("In"), _("Out"), _("Mode"), _("Late (min)"), _("Early (min)"), _("Flags")]
    _table(sheet, header, [30, 26, 21, 28, 24, 8, 14, 7, 7, 7, 8, 8, 30])
    for row in recap.rows:
        texts = [row.opd, row.unit, row.nip, row.name, row.position]
        cells = [_text(sheet, value, "sigap cell") for value in texts]
        cells.append(_text(sheet, row.status, _day_style(row.status, False)))
        cells.append(_text(sheet, " ".join(row.codes), "sigap cell"))
        cells += [_cell(sheet, at, "sigap time") for at in (row.check_in, row.check_out)]
        cells.append(_text(sheet, row.mode, "sigap cell"))
        cells += [_cell(sheet, n, "sigap cell") for n in (row.late_minutes, row.early_minutes)]
        cells.append(_text(sheet, ", ".join(row.flags), "sigap cell"))
        sheet.append(cells)


def daily_xlsx(recap: DailyRecap) -> bytes:
    """Two sheets (per OPD, per employee) and the legend."""
    book = _book()
    title = [recap.agency.name, _("Daily attendance recap"), date_format(recap.date, "l, j F Y")]
    _opd_sheet(book, recap, title)
    _people_sheet(book, recap, title)
    _legend_sheet(book, [])
    return _save(book)


def daily_filename(recap: DailyRecap) -> str:
    return f"rekap-harian-{_slug(recap.agency.code)}-{recap.date.isoformat()}.xlsx"
