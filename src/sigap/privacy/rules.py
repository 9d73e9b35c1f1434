"""Pure rules of personal data (DOMAIN.md section 10): retention deadlines and role-based
masking. No Django here."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class RetentionSettings:
    selfie_days: int = 90  # after the selfie's month is locked (its TPP is final)
    refused_days: int = 90  # refused attempts, likewise
    health_days: int = 365  # after the declaration's / test's date


def purge_on(start: dt.date, days: int) -> dt.date:
    """The first day data kept `days` days from `start` (the day its clock started) may go."""
    if days < 0:
        raise ValueError("days must not be negative")
    return start + dt.timedelta(days=days)


def retention_expired(start: dt.date | None, days: int, today: dt.date) -> bool:
    """Is data whose retention clock started on `start` due for deletion today? A clock
    that has not started (None: the month is not locked yet) never expires."""
    return start is not None and today >= purge_on(start, days)


def last_expired_start(days: int, today: dt.date) -> dt.date:
    """The latest clock start that has expired by `today` (filter `start <= this`)."""
    return today - dt.timedelta(days=days)


# --- month locks: when a month's retention clock starts ---------------------------------


def month_lock_start(
    deadline: dt.date, reopenings: Iterable[tuple[dt.date, dt.date | None]] = ()
) -> dt.date:
    """The day from which a month has been locked without a break (its TPP final), given
    its clarification deadline and HR's reopenings of it as (reopened on, closed on or None)
    local dates: the day after the deadline, or the day HR last closed it again if that is
    later. A reopening still open means the month is not locked: use `month_lock_clock`."""
    start = deadline + dt.timedelta(days=1)
    for _reopened, closed in reopenings:
        if closed is not None and closed > start:
            start = closed
    return start


def month_lock_clock(
    deadline: dt.date, reopenings: Iterable[tuple[dt.date, dt.date | None]], today: dt.date
) -> dt.date | None:
    """When the retention clock of a month started, as of `today`: None while the month
    is not locked (its deadline not past, or HR's reopening still open)."""
    reopenings = list(reopenings)
    if any(closed is None for _reopened, closed in reopenings):
        return None
    start = month_lock_start(deadline, reopenings)
    return start if start <= today else None


def due_months(
    clocks: Mapping[tuple[int, int], dt.date | None], days: int, today: dt.date
) -> list[tuple[int, int]]:
    """The (year, month)s whose data kept `days` days after the lock is due today."""
    return sorted(ym for ym, start in clocks.items() if retention_expired(start, days, today))


def month_ranges(months: Iterable[tuple[int, int]]) -> list[tuple[dt.date, dt.date]]:
    """Months as the fewest date ranges (first day, last day), consecutive months joined
    (December -> January included)."""
    ranges: list[tuple[dt.date, dt.date]] = []
    for year, month in sorted(set(months)):
        first = dt.date(year, month, 1)
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        if ranges and ranges[-1][1] + dt.timedelta(days=1) == first:
            ranges[-1] = (ranges[-1][0], last)
        else:
            ranges.append((first, last))
    return ranges


def in_ranges(day: dt.date, ranges: Iterable[tuple[dt.date, dt.date]]) -> bool:
    return any(first <= day <= last for first, last in ranges)


def held_during(
    created: dt.datetime, deleted: dt.datetime | None, start: dt.datetime, end: dt.datetime
) -> bool:
    """Was data stored at `created` (and deleted at `deleted`, None: still held) held at
    some time from start to end inclusive? (breach listings)"""
    return created <= end and (deleted is None or deleted >= start)


# --- masking ---------------------------------------------------------------------------


class Relation(StrEnum):
    """How a viewer stands to the person whose record is shown."""

    SELF = "self"
    SUPERVISOR = "supervisor"  # the direct supervisor
    SUBORDINATE = "subordinate"  # the viewer reports directly to the person
    UNIT_HEAD = "unit_head"  # heads the person's unit or one above it
    HR_ADMIN = "hr_admin"
    INSPECTOR = "inspector"
    LEADER = "leader"
    OTHER = "other"  # a colleague who sees a list (a roll call, a ranking)


class Field(StrEnum):
    NIP = "nip"
    PHONE = "phone"
    EMAIL = "email"
    HOME = "home"  # the registered home location


# Who needs what. NIP identifies a civil servant in every official document, so those who
# act on the record see it, and so does a direct subordinate (leave forms and performance
# agreements name the direct supervisor with NIP); contacts are for reaching the person
# (their line and HR); the home location only for the person and HR (who register and
# check it).
AUDIENCE: dict[Field, frozenset[Relation]] = {
    Field.NIP: frozenset(
        {
            Relation.SELF,
            Relation.SUPERVISOR,
            Relation.SUBORDINATE,
            Relation.UNIT_HEAD,
            Relation.HR_ADMIN,
            Relation.INSPECTOR,
        }
    ),
    Field.PHONE: frozenset(
        {Relation.SELF, Relation.SUPERVISOR, Relation.UNIT_HEAD, Relation.HR_ADMIN}
    ),
    Field.EMAIL: frozenset(
        {Relation.SELF, Relation.SUPERVISOR, Relation.UNIT_HEAD, Relation.HR_ADMIN}
    ),
    Field.HOME: frozenset({Relation.SELF, Relation.HR_ADMIN}),
}


def visible_fields(relations: frozenset[Relation] | set[Relation]) -> frozenset[Field]:
    """The fields a viewer with these relations to a person may see in full."""
    return frozenset(f for f, who in AUDIENCE.items() if who & set(relations))


def mask_nip(nip: str) -> str:
    """Birth year and the last three digits stay (enough to tell two people apart in a
    list); the birth date, appointment and gender digits go."""
    if len(nip) <= 7:
        return "*" * len(nip)
    return nip[:4] + "*" * (len(nip) - 7) + nip[-3:]


def mask_phone(phone: str) -> str:
    digits = [i for i, c in enumerate(phone) if c.isdigit()]
    if len(digits) <= 6:
        return "*" * len(phone) if phone else ""
    keep = set(digits[:4]) | set(digits[-2:])
    return "".join(c if (i in keep or not c.isdigit()) else "*" for i, c in enumerate(phone))


def mask_email(email: str) -> str:
    local, at, domain = email.partition("@")
    if not at:
        return "*" * len(email)
    return (local[:1] + "***" if local else "***") + "@" + domain


def masked(field: Field, value: str, relations: frozenset[Relation] | set[Relation]) -> str:
    """`value` as this viewer may see it."""
    if field in visible_fields(relations) or not value:
        return value
    if field is Field.NIP:
        return mask_nip(value)
    if field is Field.PHONE:
        return mask_phone(value)
    if field is Field.EMAIL:
        return mask_email(value)
    return ""
