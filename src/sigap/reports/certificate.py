"""A certificate of appreciation (piagam penghargaan) for one of the month's best
(`sigap.discipline.rewards`): an employee (perfect attendance, the longest on-time streak,
approved daily reports) or an OPD (attendance rate, punctuality, report completion).

One A4 landscape page (reportlab) inside a double border: the agency, the title, the
recipient (name, NIP and unit; an OPD: its name), the category in words, the rank and the
month, the score in words, then the place and date (as the monthly report's, see
`pdf.place_and_date`) and the regional secretary's signature block with the name and NIP
left blank to fill in by hand.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sigap.discipline.rewards import EmployeeEntry, UnitEntry
from sigap.org.models import Agency
from sigap.reports.pdf import BOLD, FONT, PAGE, place_and_date
from sigap.reports.tpp_xlsx import month_label
from sigap.reports.xlsx import _slug

# category -> (the category in words, the score in words)
EMPLOYEE_CATEGORIES = {
    "perfect_attendance": (
        gettext_lazy("perfect attendance"),
        gettext_lazy("%(score)s working days present, every one of them on time"),
    ),
    "on_time_streak": (
        gettext_lazy("the longest on-time streak"),
        gettext_lazy("%(score)s working days in a row present and on time"),
    ),
    "reports": (
        gettext_lazy("approved daily reports"),
        gettext_lazy("%(score)s %% of the daily reports due approved"),
    ),
}
UNIT_CATEGORIES = {
    "attendance_rate": (
        gettext_lazy("the best OPD by attendance rate"),
        gettext_lazy("an attendance rate of %(score)s %%"),
    ),
    "punctuality": (
        gettext_lazy("punctuality"),
        gettext_lazy("%(score)s %% of the days present on time"),
    ),
    "report_completion": (
        gettext_lazy("report completion"),
        gettext_lazy("%(score)s %% of the daily reports due approved"),
    ),
}
CATEGORIES = {**EMPLOYEE_CATEGORIES, **UNIT_CATEGORIES}

NAVY = colors.HexColor("#1F3864")
GOLD = colors.HexColor("#BF9000")
BORDER = 10 * mm
MARGIN = 22 * mm
TOP = 30 * mm
SERIF, SERIF_BOLD = "Times-Roman", "Times-Bold"


def _style(name: str, font: str, size: float, *, colour=colors.black, after: float = 0):
    return ParagraphStyle(
        name,
        fontName=font,
        fontSize=size,
        leading=size * 1.25,
        alignment=1,
        textColor=colour,
        spaceAfter=after,
    )


AGENCY = _style("agency", BOLD, 14, colour=NAVY, after=6)
TITLE = _style("title", SERIF_BOLD, 34, colour=GOLD, after=16)
TEXT = _style("text", FONT, 12, after=4)
NAME = _style("name", SERIF_BOLD, 26, colour=NAVY, after=4)
CATEGORY = _style("category", SERIF_BOLD, 18, colour=NAVY, after=4)
SIGN = _style("sign", FONT, 11)


def score_text(value: object) -> str:
    """A score in the active language: whole numbers without decimals ("20"), others with
    two ("97,50" in Indonesian)."""
    number = Decimal(str(value))
    places = 0 if number == number.to_integral_value() else 2
    return number_format(number, decimal_pos=places, use_l10n=True)


def _recipient(entry: EmployeeEntry | UnitEntry) -> list:
    if isinstance(entry, EmployeeEntry):
        return [
            Paragraph(escape(entry.name), NAME),
            Paragraph(f"NIP {escape(entry.nip)}", TEXT),
            Paragraph(escape(entry.unit_name), TEXT),
        ]
    return [Paragraph(escape(entry.name), NAME)]


def _achievement(category: str, entry, year: int, month: int) -> list:
    words, score = CATEGORIES[category]
    rank = _("Rank %(rank)d · %(month)s") % {"rank": entry.rank, "month": month_label(year, month)}
    return [
        Paragraph(escape(_("for the achievement in the category")), TEXT),
        Paragraph(escape(capfirst(str(words))), CATEGORY),
        Paragraph(escape(rank), TEXT),
        Paragraph(escape(capfirst(str(score) % {"score": score_text(entry.score)})), TEXT),
    ]


def _signature(agency: Agency) -> Table:
    lines = [
        Paragraph(escape(place_and_date(agency)), SIGN),
        Paragraph(escape(_("Regional Secretary")), SIGN),
        Spacer(1, 20 * mm),
        Paragraph("<b>....................................</b>", SIGN),
        Paragraph("NIP ....................................", SIGN),
    ]
    width = PAGE[0] - 2 * MARGIN
    block = Table([["", lines]], colWidths=[width - 95 * mm, 95 * mm])
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return block


def _border(canvas, _doc) -> None:
    canvas.saveState()
    width, height = PAGE
    canvas.setStrokeColor(NAVY)
    canvas.setLineWidth(4)
    canvas.rect(BORDER, BORDER, width - 2 * BORDER, height - 2 * BORDER)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1.2)
    inner = BORDER + 3 * mm
    canvas.rect(inner, inner, width - 2 * inner, height - 2 * inner)
    canvas.restoreState()


def certificate_pdf(
    *, agency: Agency, year: int, month: int, category: str, entry: EmployeeEntry | UnitEntry
) -> bytes:
    """The certificate's bytes. ValueError for an unknown category or an entry of the other
    kind (an OPD for an employee category or the reverse)."""
    dt.date(year, month, 1)  # ValueError for a month that does not exist
    expected = EmployeeEntry if category in EMPLOYEE_CATEGORIES else UnitEntry
    if category not in CATEGORIES or not isinstance(entry, expected):
        raise ValueError(f"no certificate for {category!r} and {type(entry).__name__}")
    buffer = io.BytesIO()
    title = _("Certificate of appreciation")
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP,
        bottomMargin=MARGIN - 6 * mm,
        title=f"{title} {entry.name} {month_label(year, month)}",
        author=agency.name,
    )
    story = [
        Paragraph(escape(agency.name.upper()), AGENCY),
        Paragraph(escape(title.upper()), TITLE),
        Paragraph(escape(_("is presented to")), TEXT),
        *_recipient(entry),
        Spacer(1, 7 * mm),
        *_achievement(category, entry, year, month),
        Spacer(1, 8 * mm),
        _signature(agency),
    ]
    doc.build(story, onFirstPage=_border, onLaterPages=_border)
    return buffer.getvalue()


def certificate_filename(*, category: str, year: int, month: int, name: str) -> str:
    """piagam-<category>-YYYY-MM-<name>.pdf (ASCII only)."""
    return f"piagam-{_slug(category)}-{year:04d}-{month:02d}-{_slug(name)}.pdf"
