"""The agency's TPP tables: which version applies to a month, and whether a version may be
saved (valid bands and rates, no overlap with another version, no frozen month touched)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from sigap.discipline import rules
from sigap.discipline.messages import problem_message
from sigap.discipline.models import BandKind, TppBand, TppLeaveRate, TppStatement, TppTableVersion
from sigap.org.models import Agency


def month_first(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def month_last(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _in_force(agency_id: int, first: dt.date):
    return TppTableVersion.objects.filter(agency_id=agency_id, effective_from__lte=first).filter(
        Q(effective_until__isnull=True) | Q(effective_until__gte=first)
    )


def table_from_rows(
    version: TppTableVersion, bands: Iterable[TppBand], leave_rates: Iterable[TppLeaveRate]
) -> rules.TppTable:
    """The pure table of a version and its (possibly unsaved) band and leave rows."""

    def band_list(kind: str) -> tuple[rules.Band, ...]:
        chosen = [b for b in bands if b.kind == kind]
        chosen.sort(key=lambda b: b.low if b.low is not None else -1)
        return tuple(rules.Band(b.code, b.low, b.high, Decimal(b.rate)) for b in chosen)

    return rules.TppTable(
        late_bands=band_list(BandKind.LATE),
        early_bands=band_list(BandKind.EARLY),
        absent_rate=Decimal(version.absent_rate),
        missed_rollcall_rate=Decimal(version.missed_rollcall_rate),
        discipline_share=Decimal(version.discipline_share),
        cap=Decimal(version.cap),
        convert_minutes=version.convert_minutes,
        missing_punch_minutes=version.missing_punch_minutes,
        leave_rates={r.code: Decimal(r.rate) for r in leave_rates},
    )


def table_of(version: TppTableVersion) -> rules.TppTable:
    return table_from_rows(version, version.bands.all(), version.leave_rates.all())


def table_for(
    *, agency_id: int, year: int, month: int
) -> tuple[TppTableVersion | None, rules.TppTable]:
    """The version in force on the month's first day and its table; the shipped defaults
    (version None) when the agency has none for that month. Three queries at most."""
    version = (
        _in_force(agency_id, month_first(year, month))
        .prefetch_related("bands", "leave_rates")
        .first()
    )
    if version is None:
        return None, rules.DEFAULT_TABLE
    return version, table_of(version)


def frozen_months_of(version: TppTableVersion) -> list[tuple[int, int]]:
    """The months whose statements were frozen with this version (it is then read-only)."""
    if version.pk is None:
        return []
    rows = TppStatement.objects.filter(table_version=version, frozen_at__isnull=False)
    return sorted(set(rows.values_list("year", "month")))


def version_problems(
    version: TppTableVersion,
    bands: Iterable[TppBand],
    leave_rates: Iterable[TppLeaveRate],
) -> dict[str, list[str]]:
    """field -> messages; empty when the version may be saved as given."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    start, until = version.effective_from, version.effective_until
    if start is not None and start.day != 1:
        add("effective_from", _("A table takes effect on the first day of a month."))
    if until is not None and until != month_last(until.year, until.month):
        add("effective_until", _("A table ends on the last day of a month."))
    if start and until and until < start:
        add("effective_until", _("The end is before the start."))
    if start is not None and version.agency_id is not None:
        for other in _overlapping(version):
            add(
                "effective_from",
                _("It overlaps the version “%(name)s” (%(range)s).")
                % {"name": other.name, "range": _range(other)},
            )
    for problem in rules.table_problems(table_from_rows(version, bands, leave_rates)):
        add(problem.field, problem_message(problem))
    frozen = frozen_months_of(version)
    if frozen:
        months = ", ".join(f"{m:02d}/{y}" for y, m in frozen)
        add(
            "__all__",
            _(
                "This version was used for locked months (%(months)s) and cannot change; "
                "add a new version from the next open month instead."
            )
            % {"months": months},
        )
    return problems


def _overlapping(version: TppTableVersion) -> list[TppTableVersion]:
    start = version.effective_from
    until = version.effective_until or dt.date.max
    others = TppTableVersion.objects.filter(agency_id=version.agency_id).exclude(pk=version.pk)
    return list(
        others.filter(effective_from__lte=until).filter(
            Q(effective_until__isnull=True) | Q(effective_until__gte=start)
        )
    )


def _range(version: TppTableVersion) -> str:
    until = f"{version.effective_until:%d-%m-%Y}" if version.effective_until else "…"
    return f"{version.effective_from:%d-%m-%Y} – {until}"


def default_version(*, agency: Agency, effective_from: dt.date, name: str) -> TppTableVersion:
    """A stored copy of the shipped defaults (DOMAIN.md section 6), for the back office."""
    table = rules.DEFAULT_TABLE
    version = TppTableVersion.objects.create(
        agency=agency,
        name=name,
        effective_from=effective_from,
        absent_rate=table.absent_rate,
        missed_rollcall_rate=table.missed_rollcall_rate,
        discipline_share=table.discipline_share,
        cap=table.cap,
        convert_minutes=table.convert_minutes,
        missing_punch_minutes=table.missing_punch_minutes,
    )
    rows = [
        TppBand(table=version, kind=kind, code=b.code, low=b.low, high=b.high, rate=b.rate)
        for kind, bands in ((BandKind.LATE, table.late_bands), (BandKind.EARLY, table.early_bands))
        for b in bands
    ]
    TppBand.objects.bulk_create(rows)
    return version
