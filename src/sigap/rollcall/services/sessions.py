"""Roll-call sessions: the agency's default series, ad hoc sessions, today's from the series."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sigap.core import clock
from sigap.core.exceptions import InvalidInput
from sigap.core.geo import GeoError, Point
from sigap.core.models import User
from sigap.org.models import Agency, Office
from sigap.rollcall import rules
from sigap.rollcall.models import (
    Frequency,
    PlaceKind,
    Rollcall,
    RollcallSeries,
    SessionKind,
)
from sigap.worktime.selectors import calendar_for

MONDAY_START, MONDAY_CUTOFF = dt.time(7, 30), dt.time(8, 0)


# --- sessions -----------------------------------------------------------------------


def rollcall_series_ensure_defaults(*, agency: Agency) -> list[RollcallSeries]:
    """Every Monday 07:30 (on); the 17th and 29 November (off until the agency keeps them)."""
    existing = list(RollcallSeries.objects.filter(agency=agency))
    if existing:
        return existing
    common = {"agency": agency, "start_time": MONDAY_START, "cutoff_time": MONDAY_CUTOFF}
    rows = [
        RollcallSeries(
            title="Apel pagi hari Senin", frequency=Frequency.WEEKLY, weekday=0, **common
        ),
        RollcallSeries(
            title="Apel tanggal 17", frequency=Frequency.MONTHLY, day=17, active=False, **common
        ),
        RollcallSeries(
            title="Apel HUT KORPRI",
            frequency=Frequency.YEARLY,
            day=29,
            month=11,
            active=False,
            **common,
        ),
    ]
    for row in rows:
        row.full_clean()
    return RollcallSeries.objects.bulk_create(rows)


@dataclass(frozen=True)
class SessionSpec:
    title: str
    date: dt.date
    start_time: dt.time
    cutoff_time: dt.time
    kind: str = SessionKind.PHYSICAL
    place_kind: str = PlaceKind.OWN_OFFICES
    office_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    radius_m: int | None = None
    meeting_link: str = ""


def _place_problems(agency: Agency, spec: SessionSpec) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if spec.cutoff_time <= spec.start_time:
        problems["cutoff_time"] = [_("The cut-off must be after the start.")]
    if spec.kind == SessionKind.VIRTUAL and not spec.meeting_link:
        problems["meeting_link"] = [_("A virtual roll call needs a meeting link.")]
    if spec.kind == SessionKind.PHYSICAL and spec.place_kind == PlaceKind.ONLINE:
        problems["place_kind"] = [_("A physical roll call needs a place.")]
    office_place = spec.kind == SessionKind.PHYSICAL and spec.place_kind == PlaceKind.OFFICE
    offices = Office.objects.filter(pk=spec.office_id, agency=agency, active=True)
    if office_place and not offices.exists():
        problems["office"] = [_("Choose an office of the agency.")]
    if spec.kind == SessionKind.PHYSICAL and spec.place_kind == PlaceKind.POINT:
        try:
            Point(float(spec.latitude), float(spec.longitude))  # type: ignore[arg-type]
        except (TypeError, ValueError, GeoError):
            problems["latitude"] = [_("Give valid coordinates.")]
        if not spec.radius_m or spec.radius_m <= 0:
            problems["radius_m"] = [_("Give a radius in metres.")]
    return problems


def rollcall_create(
    *, agency: Agency, spec: SessionSpec, user: User | None = None, series=None
) -> Rollcall:
    """An ad hoc session (or one from a series). 422 with the fields when it is not valid."""
    problems = _place_problems(agency, spec)
    if problems:
        raise InvalidInput(detail={"fields": problems})
    virtual = spec.kind == SessionKind.VIRTUAL
    office = Office.objects.filter(pk=spec.office_id).first() if spec.office_id else None
    keep_office = not virtual and spec.place_kind == PlaceKind.OFFICE
    keep_point = not virtual and spec.place_kind == PlaceKind.POINT
    rollcall = Rollcall(
        agency=agency,
        series=series,
        title=spec.title,
        date=spec.date,
        start_time=spec.start_time,
        cutoff_time=spec.cutoff_time,
        kind=spec.kind,
        place_kind=PlaceKind.ONLINE if virtual else spec.place_kind,
        office=office if keep_office else None,
        latitude=spec.latitude if keep_point else None,
        longitude=spec.longitude if keep_point else None,
        radius_m=spec.radius_m if keep_point else None,
        meeting_link=spec.meeting_link,
        time_zone=office.time_zone if keep_office and office else agency.time_zone,
        created_by=user,
        created_at=clock.now(),
    )
    try:
        rollcall.full_clean()
    except ValidationError as exc:
        raise InvalidInput(detail={"fields": exc.message_dict}) from exc
    rollcall.save()
    return rollcall


def rollcalls_create_due(*, agency: Agency, date: dt.date) -> Rollcall | None:
    """Today's session from the agency's series, once (idempotent)."""
    series = {s.pk: s for s in RollcallSeries.objects.filter(agency=agency, active=True)}
    calendar = calendar_for(agency=agency, day=date, zone=agency.time_zone)
    working = date.weekday() in calendar.weekly and date not in calendar.holidays
    due = rules.series_due(
        [
            rules.Recurrence(s.pk, s.frequency, s.weekday, s.day, s.month, s.on_holidays)
            for s in series.values()
        ],
        date,
        working_day=working,
    )
    if due is None:
        return None
    chosen = series[due.key]
    found = Rollcall.objects.filter(series=chosen, date=date).first()
    if found is not None:
        return found
    spec = SessionSpec(
        title=chosen.title,
        date=date,
        start_time=chosen.start_time,
        cutoff_time=chosen.cutoff_time,
        kind=chosen.kind,
        place_kind=chosen.place_kind,
        office_id=chosen.office_id,
        latitude=chosen.latitude,
        longitude=chosen.longitude,
        radius_m=chosen.radius_m,
        meeting_link=chosen.meeting_link,
    )
    try:
        with transaction.atomic():
            return rollcall_create(agency=agency, spec=spec, series=chosen)
    except IntegrityError:  # created meanwhile by another worker
        return Rollcall.objects.get(series=chosen, date=date)
