"""Checks of a hand-edited roster grid, to highlight cells before saving. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sigap.arrangements.rules.base import (
    _MODE_VALUES,
    REMOTE_MODES,
    EntryReason,
    Mode,
    iso_week,
)
from sigap.arrangements.rules.rotation import (
    Person,
    Problem,
)

# --- roster validation ---------------------------------------------------------------------


def roster_violations(
    *,
    unit_id: int,
    days: Sequence[date],
    modes: Mapping[tuple[int, date], str],
    people: Sequence[Person],
    cap: int,
    seats: Mapping[date, int | None],
    weekly_flexible_cap: int,
    release_public_service: bool,
    flexible_reasons: Mapping[tuple[int, date], str] | None = None,
    caps: Mapping[date, int] | None = None,
) -> tuple[Problem, ...]:
    """Cells of a unit head's grid that break a rule, to highlight before saving.

    `caps` gives a day its own quota cap (a policy that starts mid-period); other days
    use `cap`.

    Codes, per day in date order: over_quota (detail wfo, cap), over_seats (wfo, seats),
    public_service_not_in_office (person_id, mode: anything but WFO, OFF or DL, a missing
    cell included, unless released), invalid_mode (person_id, mode), over_weekly_cap
    (person_id, week, remote_days, cap; reported on the first remote day over the cap).
    Remote (WFH/WFA) days count toward the weekly flexible cap unless `flexible_reasons`
    gives them reason POLICY: without that mapping every remote day counts. Only cells of
    `people` on `days` are looked at.
    """
    ordered = sorted(set(days))
    office, remote, invalid = _scan_grid(unit_id, set(ordered), modes, people, flexible_reasons)
    over_cap = _weekly_cap_problems(unit_id, remote, weekly_flexible_cap)
    bound = [] if release_public_service else sorted(p.id for p in people if p.public_service)
    problems: list[Problem] = []
    for day in ordered:
        wfo = office.get(day, 0)
        day_cap = caps.get(day, cap) if caps else cap
        if wfo > day_cap:
            message = (
                f"On {day}, {wfo} people are in the office but the WFO quota allows {day_cap}."
            )
            detail = {"wfo": wfo, "cap": day_cap}
            problems.append(Problem(day, unit_id, "over_quota", message, detail))
        free = seats.get(day)
        if free is not None and wfo > max(free, 0):
            message = f"On {day}, {wfo} people are in the office but there are {free} free seats."
            problems.append(
                Problem(day, unit_id, "over_seats", message, {"wfo": wfo, "seats": free})
            )
        for person_id in bound:
            mode = modes.get((person_id, day))
            if mode not in (Mode.WFO, Mode.OFF, Mode.DL):
                message = f"On {day}, public-service person {person_id} is not in the office."
                detail = {"person_id": person_id, "mode": mode}
                problems.append(
                    Problem(day, unit_id, "public_service_not_in_office", message, detail)
                )
        problems.extend(invalid.get(day, ()))
        problems.extend(over_cap.get(day, ()))
    return tuple(problems)


_Remote = dict[tuple[int, tuple[int, int]], list[date]]  # (person, ISO week) -> remote days


def _scan_grid(
    unit_id: int,
    in_period: set[date],
    modes: Mapping[tuple[int, date], str],
    people: Sequence[Person],
    flexible_reasons: Mapping[tuple[int, date], str] | None,
) -> tuple[dict[date, int], _Remote, dict[date, list[Problem]]]:
    ids = {p.id for p in people}
    office: dict[date, int] = {}
    remote: _Remote = {}
    invalid_cells: list[tuple[date, int, str]] = []
    for (person_id, day), mode in modes.items():
        if person_id not in ids or day not in in_period:
            continue
        if mode == Mode.WFO:
            office[day] = office.get(day, 0) + 1
        elif mode in REMOTE_MODES:
            reason = flexible_reasons.get((person_id, day)) if flexible_reasons else None
            if reason != EntryReason.POLICY:
                remote.setdefault((person_id, iso_week(day)), []).append(day)
        elif mode not in _MODE_VALUES:
            invalid_cells.append((day, person_id, mode))
    invalid: dict[date, list[Problem]] = {}
    for day, person_id, mode in sorted(invalid_cells):
        detail = {"person_id": person_id, "mode": mode}
        problem = Problem(day, unit_id, "invalid_mode", f"Unknown mode {mode!r}.", detail)
        invalid.setdefault(day, []).append(problem)
    return office, remote, invalid


def _weekly_cap_problems(unit_id: int, remote: _Remote, cap: int) -> dict[date, list[Problem]]:
    out: dict[date, list[Problem]] = {}
    for (person_id, (year, week)), remote_days in sorted(remote.items()):
        if len(remote_days) <= cap:
            continue
        day = sorted(remote_days)[max(cap, 0)]
        label = f"{year}-W{week:02d}"
        message = (
            f"Person {person_id} works remotely on {len(remote_days)} days in week {label}; "
            f"the flexible cap is {cap}."
        )
        detail = {
            "person_id": person_id,
            "week": label,
            "remote_days": len(remote_days),
            "cap": cap,
        }
        out.setdefault(day, []).append(Problem(day, unit_id, "over_weekly_cap", message, detail))
    return out
