"""The printable monthly attendance report (reportlab): A4 landscape, the agency letterhead
(agency, unit, month), the table in a small font (paginated, the header row repeated on
every page, page numbers in the footer), the legend and the unit head's signature block
(place, date, "Kepala <unit>", name, NIP).

To fit the page, the name, NIP and position share one cell, the leave types are summed in
one "C" column (the XLSX has a column per type), and the day codes shrink below 4.5 pt only
when a long one (SAKIT, PSW1...) would not fit its cell. The place of the
signature is `Agency.settings["exports"]["place"]` (left dotted to fill in by hand when
not set); the date is the day the report is made, in the agency's zone.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from sigap.attendance.labels import CODE_LEGEND
from sigap.core import clock
from sigap.org.models import Agency
from sigap.reports.monthly import TOTAL_COLUMNS, MonthlyReport, display_code
from sigap.reports.xlsx import CODE_COLOURS, month_label

MARGIN = 8 * mm
PAGE = landscape(A4)
FONT = "Helvetica"
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=5, leading=5.8)
HEAD = ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=11, leading=14, alignment=1)
SUB = ParagraphStyle("sub", fontName=FONT, fontSize=9, leading=11, alignment=1)
NOTE = ParagraphStyle("note", fontName=FONT, fontSize=6, leading=7.5)
SIGN = ParagraphStyle("sign", fontName=FONT, fontSize=8, leading=10, alignment=1)
FILLS = {code: colors.HexColor(f"#{rgb}") for code, rgb in CODE_COLOURS.items()}
OFF = colors.HexColor("#D9D9D9")
HEADER_BG = colors.HexColor("#D9E2F3")
BOLD = "Helvetica-Bold"
FONT_SIZE, PADDING = 4.5, 0.8
DAY_WIDTH, MIN_WIDTH, NUMBER_WIDTH = 15, 9, 10
LEAVE_TYPES = ("CT", "CB", "CS", "CM", "CAP", "CBER", "CLTN")
PDF_TOTALS = tuple(
    "C" if code == "CT" else code for code in TOTAL_COLUMNS if code not in LEAVE_TYPES[1:]
)


def _letterhead(report: MonthlyReport) -> list:
    return [
        Paragraph(escape(report.agency.name.upper()), HEAD),
        Paragraph(escape(report.unit.name), SUB),
        HRFlowable(width="100%", thickness=1.2, color=colors.black, spaceAfter=4),
        Paragraph(escape(_("Monthly attendance report")).upper(), HEAD),
        Paragraph(escape(month_label(report)), SUB),
        Spacer(1, 4 * mm),
    ]


def _pdf_totals(row) -> list[int]:
    """The PDF's totals: every code of TOTAL_COLUMNS, the leave types summed in "C"."""
    leave = sum(row.totals[code] for code in LEAVE_TYPES)
    return [leave if code == "C" else row.totals[code] for code in PDF_TOTALS]


def _person(row) -> Paragraph:
    lines = [f"<b>{escape(row.name)}</b>", f"NIP {escape(row.nip)}"]
    if row.position:
        lines.append(escape(row.position))
    return Paragraph("<br/>".join(lines), CELL)


def _header(report: MonthlyReport) -> list[str]:
    """Stacked labels ("PSW" over "1") keep the total columns narrow."""
    totals = [code[:-1] + "\n" + code[-1] if code[-1].isdigit() else code for code in PDF_TOTALS]
    late, early = _("Late (min)"), _("Early (min)")
    extra = [late.replace(" (", "\n("), early.replace(" (", "\n("), "TPP\n%"]
    days = [str(d.date.day) for d in report.days]
    return ["No", _("Name / NIP / position"), *days, *totals, *extra]


def _table_data(report: MonthlyReport, header: list[str]) -> list[list]:
    data: list[list] = [header]
    for row in report.rows:
        deduction = "-" if row.deduction_pct is None else f"{row.deduction_pct:g}"
        data.append(
            [
                row.number,
                _person(row),
                *(display_code(code) for code in row.codes),
                *_pdf_totals(row),
                row.late_minutes,
                row.early_minutes,
                deduction,
            ]
        )
    return data


def _day_font(report: MonthlyReport) -> float:
    """5 pt, or smaller when a long code (SAKIT, PSW1...) would not fit its day cell."""
    codes = {display_code(code) for row in report.rows for code in row.codes} | {"31"}
    widest = max(stringWidth(code, FONT, 1) for code in codes)
    return min(FONT_SIZE, (DAY_WIDTH - 2 * PADDING) / widest)


def _widths(report: MonthlyReport, header: list[str]) -> list[float]:
    """Day columns of DAY_WIDTH, the others as wide as their header (at least MIN_WIDTH);
    the name column takes the rest of the page."""
    first_total = 2 + len(report.days)
    others = [
        max(
            MIN_WIDTH,
            *(stringWidth(line, BOLD, FONT_SIZE) + 2 * PADDING + 1 for line in label.split("\n")),
        )
        for label in header[first_total:]
    ]
    fixed = NUMBER_WIDTH + DAY_WIDTH * len(report.days) + sum(others)
    return [NUMBER_WIDTH, PAGE[0] - 2 * MARGIN - fixed, *[DAY_WIDTH] * len(report.days), *others]


def _table_style(report: MonthlyReport, first_day: int) -> TableStyle:
    last_day = first_day + len(report.days) - 1
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), FONT, FONT_SIZE),
        ("FONT", (first_day, 1), (last_day, -1), FONT, _day_font(report)),
        ("FONT", (0, 0), (-1, 0), BOLD, FONT_SIZE, FONT_SIZE + 0.5),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("ALIGN", (1, 1), (1, -1), "LEFT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
    for offset, column in enumerate(report.days):
        if column.off:
            commands.append(("BACKGROUND", (first_day + offset, 0), (first_day + offset, -1), OFF))
    for number, row in enumerate(report.rows, start=1):
        for offset, code in enumerate(row.codes):
            if code in FILLS:
                cell = (first_day + offset, number)
                commands.append(("BACKGROUND", cell, cell, FILLS[code]))
    return TableStyle(commands)


def _table(report: MonthlyReport) -> Table:
    header = _header(report)
    widths = _widths(report, header)
    table = Table(_table_data(report, header), colWidths=widths, repeatRows=1)
    table.setStyle(_table_style(report, first_day=2))
    return table


def _legend(report: MonthlyReport) -> Paragraph:
    entries = [f"<b>{code}</b> {escape(str(label))}" for code, label in CODE_LEGEND.items()]
    entries += [
        "<b>-</b> " + escape(_("Day off (weekend, holiday or no shift)")),
        "<b>H</b> " + escape(_("Days present (HADIR, TL and PSW days)")),
        "<b>HK</b> " + escape(_("Working days")),
        "<b>C</b> " + escape(_("Leave (CT, CB, CS, CM, CAP, CBER, CLTN)")),
        "<b>TPP %</b> " + escape(_("TPP discipline deduction (% of the discipline part)")),
    ]
    return Paragraph(f"<b>{escape(_('Legend'))}:</b> " + "; ".join(entries), NOTE)


def place_and_date(agency: Agency) -> str:
    """The signature's "<place>, <date>" (not escaped): `settings["exports"]["place"]`
    (dotted to fill in by hand when not set), today in the agency's zone ("j F Y")."""
    place = (agency.settings or {}).get("exports", {}).get("place") or "............"
    return f"{place}, {date_format(clock.today(agency.time_zone), 'j F Y')}"


def _signature(report: MonthlyReport) -> KeepTogether:
    lines = [
        Paragraph(escape(place_and_date(report.agency)), SIGN),
        Paragraph(escape(_("Head of %(unit)s") % {"unit": report.unit.name}), SIGN),
        Spacer(1, 16 * mm),
        Paragraph(f"<b><u>{escape(report.head_name or '....................')}</u></b>", SIGN),
        Paragraph(f"NIP {escape(report.head_nip or '....................')}", SIGN),
    ]
    block = Table([["", lines]], colWidths=[PAGE[0] - 2 * MARGIN - 90 * mm, 90 * mm])
    return KeepTogether([Spacer(1, 5 * mm), block])


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 6)
    text = _("Page %(n)d") % {"n": doc.page}
    canvas.drawRightString(PAGE[0] - MARGIN, MARGIN / 2, text)
    canvas.restoreState()


def monthly_pdf(report: MonthlyReport) -> bytes:
    """The PDF's bytes."""
    buffer = io.BytesIO()
    title = f"{_('Monthly attendance report')} {report.unit.name} {month_label(report)}"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=report.agency.name,
    )
    story = [*_letterhead(report), _table(report), Spacer(1, 3 * mm), _legend(report)]
    story.append(_signature(report))
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()
