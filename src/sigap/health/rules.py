"""Health watch rules (DOMAIN.md section 9), pure: plain values in, values out.

- A declaration lists symptoms from a fixed set and an optional temperature (34-43 °C;
  outside that a thermometer was misread). It is *flagged* when any symptom is ticked or
  the temperature is at or above the agency's threshold (default 37.5 °C).
- A declaration is made for today, or late for yesterday (the office's local dates): a
  phone that was offline at night may still send yesterday's; older days cannot be
  declared after the fact.
- Front-line staff test every `interval` days: the next test is due `interval` days after
  the last one; with no test on record one is due at once. Overdue = past the due date.
  A reminder goes `lead` days before the due date and once when it is overdue.
- A flagged declaration or a positive test suggests WFH on the next `count` working days
  after the event's date that are not already past.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

RULE_VERSION = "health-1"

SYMPTOMS: tuple[str, ...] = (
    "fever",
    "cough",
    "sore_throat",
    "shortness_of_breath",
    "loss_of_smell_taste",
    "other",
)
TEMPERATURE_MIN = Decimal("34.0")
TEMPERATURE_MAX = Decimal("43.0")
NOTES_MAX = 500
LATE_DAYS = 1  # yesterday may still be declared


class Requirement(StrEnum):
    REQUIRED = "required"  # the phone page asks for it before check-in
    OPTIONAL = "optional"  # offered, not required
    OFF = "off"  # the agency collects no declarations


@dataclass(frozen=True)
class HealthSettings:
    declaration: Requirement = Requirement.OPTIONAL
    temperature_threshold_c: Decimal = Decimal("37.5")
    test_interval_days: int = 14
    front_line_units: tuple[str, ...] = ()  # unit codes; their sub-units are included
    public_service_positions: bool = False  # every direct-public-service position too
    wfh_days: int = 3
    reminder_lead_days: int = 2


@dataclass(frozen=True)
class DeclarationProblems:
    """Field name -> what is wrong (empty when the declaration may be stored)."""

    fields: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.fields)


def declaration_problems(
    *, symptoms: Sequence[str], temperature_c: Decimal | None, notes: str
) -> DeclarationProblems:
    fields: dict[str, str] = {}
    unknown = sorted(set(symptoms) - set(SYMPTOMS))
    if unknown:
        fields["symptoms"] = "unknown symptom: " + ", ".join(unknown)
    if temperature_c is not None and not TEMPERATURE_MIN <= temperature_c <= TEMPERATURE_MAX:
        fields["temperature_c"] = f"outside {TEMPERATURE_MIN}-{TEMPERATURE_MAX}"
    if len(notes) > NOTES_MAX:
        fields["notes"] = f"longer than {NOTES_MAX} characters"
    return DeclarationProblems(fields)


def normalised_symptoms(symptoms: Iterable[str]) -> list[str]:
    """Each symptom once, in the checklist's order."""
    chosen = set(symptoms)
    return [s for s in SYMPTOMS if s in chosen]


def is_flagged(
    *, symptoms: Sequence[str], temperature_c: Decimal | None, threshold_c: Decimal
) -> bool:
    return bool(symptoms) or (temperature_c is not None and temperature_c >= threshold_c)


def declarable(day: dt.date, today: dt.date) -> bool:
    """May a declaration be made (or replaced) for `day` on `today`?"""
    return today - dt.timedelta(days=LATE_DAYS) <= day <= today


class ScreeningState(StrEnum):
    OK = "ok"
    DUE_SOON = "due_soon"  # within the reminder lead time (or due today)
    OVERDUE = "overdue"
    NEVER = "never"  # no test on record: due now


@dataclass(frozen=True)
class ScreeningStatus:
    state: ScreeningState
    due_on: dt.date | None  # None: never tested (due at once)
    last_on: dt.date | None


def screening_status(
    *, last_on: dt.date | None, interval_days: int, lead_days: int, today: dt.date
) -> ScreeningStatus:
    """Where a front-line employee stands with their periodic test."""
    if last_on is None:
        return ScreeningStatus(ScreeningState.NEVER, None, None)
    due_on = last_on + dt.timedelta(days=interval_days)
    if today > due_on:
        state = ScreeningState.OVERDUE
    elif today >= due_on - dt.timedelta(days=lead_days):
        state = ScreeningState.DUE_SOON
    else:
        state = ScreeningState.OK
    return ScreeningStatus(state, due_on, last_on)


def needs_test(status: ScreeningStatus) -> bool:
    """Overdue, or never tested: on the unit head's list."""
    return status.state in (ScreeningState.OVERDUE, ScreeningState.NEVER)


def reminder_key(status: ScreeningStatus) -> str | None:
    """The reminder this status calls for, as a key naming its kind and due date
    ("due_soon:2026-11-20", "overdue:2026-11-20", "overdue:never"); None: no reminder.
    Each key is sent once (the caller keeps what was sent)."""
    due = status.due_on.isoformat() if status.due_on is not None else "never"
    if status.state is ScreeningState.DUE_SOON:
        return f"due_soon:{due}"
    if status.state in (ScreeningState.OVERDUE, ScreeningState.NEVER):
        return f"overdue:{due}"
    return None


def wfh_suggestion_days(
    *, event_day: dt.date, today: dt.date, working_days: Iterable[dt.date], count: int
) -> list[dt.date]:
    """The first `count` working days after `event_day` that are not past (today counts)."""
    start = max(event_day + dt.timedelta(days=1), today)
    return sorted(d for d in set(working_days) if d >= start)[: max(count, 0)]


def notice_recipient(
    *,
    unit_id: int,
    employee_id: int,
    parent_of: Mapping[int, int | None],
    head_of: Mapping[int, int],
) -> int | None:
    """The employee who heads the person's unit, or the nearest unit above it with a head
    (a unit head's own notice goes to the head above them); None: no head at all (HR)."""
    seen: set[int] = set()
    current: int | None = unit_id
    while current is not None and current not in seen:
        head = head_of.get(current)
        if head is not None and head != employee_id:
            return head
        seen.add(current)
        current = parent_of.get(current)
    return None
