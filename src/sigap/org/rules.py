"""Organisation rules: NIP, the unit/supervisor trees, time zones. Pure; no Django."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

NIP_LENGTH = 18
MIN_APPOINTMENT_AGE_YEARS = 18
INDONESIAN_ZONES = ("Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura")


class NipError(ValueError):
    """Why a NIP is not valid (message in English; callers translate the code)."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class NipParts:
    birth_date: dt.date
    appointment_year: int
    appointment_month: int
    gender: str  # "M" or "F"
    sequence: int


def parse_nip(nip: str) -> NipParts:
    """Split and validate an 18-digit NIP (DOMAIN.md section 11).

    YYYYMMDD birth date + YYYYMM appointment (TMT) + gender digit (1 male, 2 female)
    + 3-digit sequence. PPPK numbers follow the same pattern.
    """
    if len(nip) != NIP_LENGTH or not nip.isascii() or not nip.isdigit():
        raise NipError("nip_format", "A NIP is exactly 18 digits.")
    try:
        birth = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError as exc:
        raise NipError(
            "nip_birth_date", "The NIP's birth date (digits 1-8) is not a date."
        ) from exc
    if birth.year < 1900:
        raise NipError("nip_birth_date", "The NIP's birth year is implausible.")
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        raise NipError("nip_appointment", "The NIP's appointment month (digits 13-14) is not 1-12.")
    if (year, month) < (birth.year + MIN_APPOINTMENT_AGE_YEARS, birth.month):
        raise NipError(
            "nip_appointment",
            "The NIP's appointment date (digits 9-14) is less than 18 years after birth.",
        )
    gender_digit = nip[14]
    if gender_digit not in "12":
        raise NipError("nip_gender", "The NIP's gender digit (digit 15) must be 1 or 2.")
    sequence = int(nip[15:18])
    if sequence == 0:
        raise NipError("nip_sequence", "The NIP's sequence number (digits 16-18) cannot be 000.")
    return NipParts(
        birth_date=birth,
        appointment_year=year,
        appointment_month=month,
        gender="M" if gender_digit == "1" else "F",
        sequence=sequence,
    )


def make_nip(birth: dt.date, appointment: tuple[int, int], gender: str, sequence: int) -> str:
    """The inverse of parse_nip (used by the demo seeder and tests)."""
    digit = "1" if gender == "M" else "2"
    nip = f"{birth:%Y%m%d}{appointment[0]:04d}{appointment[1]:02d}{digit}{sequence:03d}"
    parse_nip(nip)
    return nip


def creates_cycle(parent_of: Mapping[int, int | None], node: int, new_parent: int | None) -> bool:
    """Would pointing `node` at `new_parent` close a loop in the tree `parent_of`?

    Used for both the unit tree (unit -> parent unit) and the supervisor chain
    (employee -> supervisor). Walks up from new_parent; a pre-existing loop above
    it also counts as a cycle.
    """
    seen: set[int] = set()
    current = new_parent
    while current is not None:
        if current == node or current in seen:
            return True
        seen.add(current)
        current = parent_of.get(current)
    return False


def subtree(children_of: Mapping[int | None, list[int]], root: int) -> set[int]:
    """`root` and every node below it."""
    found = {root}
    stack = [root]
    while stack:
        for child in children_of.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_valid_time_zone(name: str) -> bool:
    if not name or name not in _known_zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
