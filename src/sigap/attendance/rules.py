"""Attendance rules (DOMAIN.md section 3). Pure: no Django, no clock.

Times are aware datetimes; the schedule carries the office's zone. A minute of
grace is built into the arithmetic: 07:30:59 is on time, 07:31:00 is one minute
late; leaving at 15:59:01 is on time, 15:59:00 is one minute early.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sigap.core.geo import Point, distance_m, distance_to_polygon_m

RULE_VERSION = "2026.1"
BAND_LIMITS = (30, 60, 90)  # TL1/PSW1 up to 30 min, TL2 up to 60, TL3 up to 90, then TL4


class Code(StrEnum):
    HADIR = "HADIR"
    TL1 = "TL1"
    TL2 = "TL2"
    TL3 = "TL3"
    TL4 = "TL4"
    PSW1 = "PSW1"
    PSW2 = "PSW2"
    PSW3 = "PSW3"
    PSW4 = "PSW4"
    TK = "TK"
    DL = "DL"
    CT = "CT"
    CB = "CB"
    CS = "CS"
    CM = "CM"
    CAP = "CAP"
    CBER = "CBER"
    CLTN = "CLTN"
    SAKIT = "SAKIT"
    IZIN = "IZIN"
    TB = "TB"
    LIBUR = "LIBUR"
    BELUM = "BELUM"


EXCUSED_CODES = frozenset(
    {
        Code.DL,
        Code.CT,
        Code.CB,
        Code.CS,
        Code.CM,
        Code.CAP,
        Code.CBER,
        Code.CLTN,
        Code.SAKIT,
        Code.IZIN,
        Code.TB,
    }
)


class Flag(StrEnum):
    NO_CHECK_IN = "no_check_in"
    NO_CHECK_OUT = "no_check_out"
    REVIEW_PENDING = "review_pending"
    OUTSIDE_GEOFENCE = "outside_geofence"
    OFFLINE_DELAYED = "offline_delayed"
    CORRECTED = "corrected"


@dataclass(frozen=True, slots=True)
class DayInput:
    """What decides a day: its schedule, the counted events and an approved exception."""

    working: bool
    start: dt.datetime | None
    end: dt.datetime | None
    first_in: dt.datetime | None = None
    last_out: dt.datetime | None = None
    exception: str | None = None  # an approved request's code (CT, DL, SAKIT, ...)
    final: bool = False  # the day is over
    flags: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class DayResult:
    status: str
    codes: tuple[str, ...]
    late_minutes: int
    early_minutes: int
    flags: tuple[str, ...] = field(default_factory=tuple)


def minutes_late(first_in: dt.datetime, start: dt.datetime) -> int:
    """Whole minutes after the start; the first 59 seconds are grace."""
    seconds = (first_in - start).total_seconds()
    return max(0, math.floor(seconds / 60))


def minutes_early(last_out: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes before the end; leaving less than a minute early is on time."""
    seconds = (end - last_out).total_seconds()
    return max(0, math.floor(seconds / 60))


def band(minutes: int) -> int:
    """1..4 for a positive number of minutes (1-30, 31-60, 61-90, over 90), 0 for none."""
    if minutes <= 0:
        return 0
    for number, limit in enumerate(BAND_LIMITS, start=1):
        if minutes <= limit:
            return number
    return 4


def day_status(day: DayInput) -> DayResult:
    """The day's main code, every code that applies, late/early minutes and flags."""
    flags = set(day.flags)
    if day.exception:
        return DayResult(day.exception, (day.exception,), 0, 0, tuple(sorted(flags)))
    if not day.working or day.start is None or day.end is None:
        return DayResult(Code.LIBUR, (Code.LIBUR,), 0, 0, tuple(sorted(flags)))
    if day.first_in is None and day.last_out is None:
        status = Code.TK if day.final else Code.BELUM
        if day.final:
            flags |= {Flag.NO_CHECK_IN, Flag.NO_CHECK_OUT}
        return DayResult(status, (status,), 0, 0, tuple(sorted(flags)))
    codes: list[str] = []
    late = early = 0
    if day.first_in is None:
        codes.append(Code.TL4)
        flags.add(Flag.NO_CHECK_IN)
    else:
        late = minutes_late(day.first_in, day.start)
        if late:
            codes.append(f"TL{band(late)}")
    if day.last_out is None:
        if day.final:
            codes.append(Code.PSW4)
            flags.add(Flag.NO_CHECK_OUT)
    else:
        early = minutes_early(day.last_out, day.end)
        if early:
            codes.append(f"PSW{band(early)}")
    main: str = codes[0] if codes else Code.HADIR
    return DayResult(main, tuple(codes) or (Code.HADIR,), late, early, tuple(sorted(flags)))


def first_and_last(
    events: Sequence[tuple[str, dt.datetime]],
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The first check-in and the last check-out among counted (kind, at) events."""
    ins = [at for kind, at in events if kind == "in"]
    outs = [at for kind, at in events if kind == "out"]
    return (min(ins) if ins else None, max(outs) if outs else None)


# --- place checks -------------------------------------------------------------


class PlaceKind(StrEnum):
    OFFICE = "office"
    HOME = "home"
    REGION = "region"
    DESTINATION = "destination"


@dataclass(frozen=True, slots=True)
class Place:
    kind: str
    name: str
    centre: Point
    radius_m: float | None = None
    polygon: tuple[Point, ...] | None = None


@dataclass(frozen=True, slots=True)
class GeofenceResult:
    inside: bool
    distance_m: float  # to the centre for a circle; to the nearest edge (0 inside) for a polygon
    radius_m: float | None


def evaluate_geofence(point: Point, place: Place) -> GeofenceResult:
    """Is the fix inside the place? No benefit of the doubt from GPS accuracy: the
    reported position itself must be inside."""
    if place.polygon:
        outside_by = distance_to_polygon_m(point, place.polygon)
        return GeofenceResult(outside_by == 0, round(outside_by, 1), None)
    if place.radius_m is None:
        raise ValueError("a place needs a radius or a polygon")
    distance = distance_m(point, place.centre)
    return GeofenceResult(distance <= place.radius_m, round(distance, 1), place.radius_m)


def accuracy_acceptable(accuracy_m: float, limit_m: float) -> bool:
    return 0 < accuracy_m <= limit_m


def clock_skew_seconds(captured_at: dt.datetime, received_at: dt.datetime) -> float:
    """Positive when the device's capture time is behind the server's receive time."""
    return (received_at - captured_at).total_seconds()


def skew_refused(skew_seconds: float, *, limit_seconds: float, queued: bool) -> bool:
    """A live check-in must be within the limit both ways; a queued (offline) one may
    be older, but never from the future."""
    if skew_seconds < -limit_seconds:
        return True
    return not queued and skew_seconds > limit_seconds
