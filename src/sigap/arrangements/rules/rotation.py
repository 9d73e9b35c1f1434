"""The rotation generator: a unit's roster for a period within its constraints. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sigap.arrangements.rules.base import (
    _MODE_VALUES,
    DEFAULT_WEEKLY_FLEXIBLE_CAP,
    REMOTE_MODES,
    EntryReason,
    Mode,
    iso_week,
    wfo_cap,
)

# --- rotation ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    public_service: bool = False  # direct public service: WFO every working day unless released
    flexible_days_per_week: int = 0  # approved flexible-work days a week (0 = none)
    flexible_mode: str = Mode.WFH  # WFH or WFA on those days
    preferred_weekdays: frozenset[int] = frozenset()  # 0=Mon..4=Fri, a wish, not a must


@dataclass(frozen=True, slots=True)
class RotationInput:
    unit_id: int
    days: tuple[date, ...]  # the unit's working days in the period
    people: tuple[Person, ...]
    share_percent: int  # WFO share of the policy for this unit (100 = no emergency policy)
    headcount: int  # staff count the quota is computed on (usually len(people))
    # free office seats per day, other units' use already subtracted; None or missing = unlimited
    seats: Mapping[date, int | None] = field(default_factory=dict)
    # (person, day) -> Mode already decided and never changed: leave, DL, recall, manual edits
    fixed: Mapping[tuple[int, date], str] = field(default_factory=dict)
    release_public_service: bool = False
    weekly_flexible_cap: int = DEFAULT_WEEKLY_FLEXIBLE_CAP
    # remote days already used per (person, ISO week) on days outside `days`
    # (a period starting mid-week); they count against the weekly allowance
    flexible_used: Mapping[tuple[int, tuple[int, int]], int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Assignment:
    person_id: int
    day: date
    mode: str
    reason: str


@dataclass(frozen=True, slots=True)
class Problem:
    day: date | None
    unit_id: int
    code: str
    message: str  # plain English; callers translate by `code`
    detail: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RotationResult:
    assignments: tuple[Assignment, ...]  # one per person and day that is not fixed
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(slots=True)
class _Plan:
    """Working state of one generation; people are referred to by index (sorted by id)."""

    people: list[Person]
    days: list[date]
    cap: int
    bound: list[int]  # office-bound public-service people
    others: list[int]
    fixed: dict[date, dict[int, str]]  # day -> person -> fixed mode
    flexible: dict[date, set[int]]  # day -> people on a flexible day
    score: list[int]  # fixed WFO days in the whole period + rotation WFO days so far
    pointer: int = 0  # round-robin tie-break


def generate_rotation(data: RotationInput) -> RotationResult:
    """The unit's roster for `data.days`: one assignment per person and non-fixed day.

    Algorithm (deterministic greedy; people ordered by id, days by date):

    1. Flexible days. For a person with approved flexible work who is not office-bound,
       each ISO week gets `min(flexible_days_per_week, weekly_flexible_cap)` minus the
       remote days already fixed in that week (and `flexible_used`) flexible days, taken
       from the person's non-fixed days of the week: preferred weekdays first, then the
       day with the fewest flexible people so far (spreads the office load), then date.
       Public-service people who are not released get no flexible days.
    2. Each day, `limit = min(cap, seats)` and `room = max(0, limit - F)` where F is the
       number of fixed WFO entries. Non-fixed public-service people take the room first;
       the rest goes to the candidates (not fixed, not public-service-bound, not on a
       flexible day) ranked by score = fixed WFO days in the whole period + rotation WFO
       days so far, ties by id order rotated by a round-robin pointer. The first `room`
       ranked are WFO (DEFAULT), the others WFH (POLICY).

    Hard constraints. WFO on a day = F + b + r with b + r <= room. If F <= limit then
    WFO <= limit, i.e. within both the quota cap and the seats. If F > limit the
    generator adds nobody and reports `fixed_exceeds_quota`/`fixed_exceeds_seats`: the
    excess comes from entries it may not change. Every non-fixed public-service person
    is WFO exactly when F + P <= limit; otherwise `public_service_exceeds_quota` or
    `_seats` is reported (detail: needed = F + P, cap or seats) and the room is shared
    among them by the same ranking: the roster never breaks the quota or the seats
    itself. Flexible days never exceed the allowance by construction. Any problem makes
    `ok` false: the caller must not save the roster without a person looking at it.

    Fairness. Two employees are *comparable* when the generator could place them in the
    office on exactly the same days (same candidate days: not public-service-bound, not
    fixed, not on a flexible day) and they have the same number of fixed WFO days in the
    period. Claim: their WFO days in the period differ by at most 1. Proof: let
    D = score(a) - score(b); D = 0 before the first day (equal fixed WFO counts). On a
    day that is a candidate day of neither, neither score changes (fixed WFO is counted
    up front). On a common candidate day both are ranked and the WFO people are a prefix
    of the ranking, which orders by score first. If D = 0, at most one of them gains 1.
    If D = 1, b ranks strictly before a, so a chosen implies b chosen: D stays 1 or drops
    to 0, never 2 (D = -1 symmetrically). By induction |D| <= 1 at the end, and D is the
    difference of their WFO days. This holds whatever the room of each day, the other
    people and the tie-break. Without flexible work or fixed entries, every person who is
    not public-service-bound is comparable to every other. Counting fixed WFO (a recall)
    in the score also lets the rotation compensate people who were recalled.

    Cost: O(days * n log n) in the worst case; fixed entries are read once.
    """
    problems = _input_problems(data)
    if problems:
        return RotationResult(assignments=(), problems=tuple(problems))
    plan = _make_plan(data)
    assignments: list[Assignment] = []
    for day in plan.days:
        _roster_day(data, plan, day, assignments, problems)
    return RotationResult(assignments=tuple(assignments), problems=tuple(problems))


def _input_problems(data: RotationInput) -> list[Problem]:
    problems: list[Problem] = []

    def bad(code: str, message: str, day: date | None = None, **detail: object) -> None:
        problems.append(Problem(day, data.unit_id, code, message, detail))

    if not 0 <= data.share_percent <= 100:
        bad("invalid_share", "The WFO share must be within 0..100.", share=data.share_percent)
    if data.headcount < 0:
        bad("invalid_headcount", "The headcount cannot be negative.", headcount=data.headcount)
    if data.weekly_flexible_cap < 0:
        bad("invalid_weekly_cap", "The weekly flexible cap cannot be negative.")
    seen: set[int] = set()
    for person in data.people:
        if person.id in seen:
            bad("duplicate_person", f"Person {person.id} is listed twice.", person_id=person.id)
        seen.add(person.id)
        if person.flexible_days_per_week > 0 and person.flexible_mode not in REMOTE_MODES:
            bad("invalid_flexible_mode", "Flexible days are WFH or WFA.", person_id=person.id)
    for (person_id, day), mode in data.fixed.items():
        if mode not in _MODE_VALUES:
            bad("invalid_fixed_mode", f"Unknown mode {mode!r}.", day, person_id=person_id)
    return problems


def _make_plan(data: RotationInput) -> _Plan:
    people = sorted(data.people, key=lambda p: p.id)
    days = sorted(set(data.days))
    index = {p.id: i for i, p in enumerate(people)}
    in_period = set(days)
    fixed: dict[date, dict[int, str]] = {}
    by_person: dict[int, dict[date, str]] = {}
    score = [0] * len(people)
    for (person_id, day), mode in data.fixed.items():  # entries outside the input are ignored
        i = index.get(person_id)
        if i is None or day not in in_period:
            continue
        fixed.setdefault(day, {})[i] = mode
        by_person.setdefault(i, {})[day] = mode
        score[i] += mode == Mode.WFO
    release = data.release_public_service
    bound = [i for i, p in enumerate(people) if p.public_service and not release]
    others = [i for i, p in enumerate(people) if release or not p.public_service]
    flexible = _flexible_days(data, people, days, others, by_person)
    cap = wfo_cap(headcount=data.headcount, share_percent=data.share_percent)
    return _Plan(people, days, cap, bound, others, fixed, flexible, score)


def _flexible_days(
    data: RotationInput,
    people: list[Person],
    days: list[date],
    others: list[int],
    fixed_by_person: dict[int, dict[date, str]],
) -> dict[date, set[int]]:
    weeks: dict[tuple[int, int], list[date]] = {}
    for day in days:
        weeks.setdefault(iso_week(day), []).append(day)
    load = dict.fromkeys(days, 0)
    plan: dict[date, set[int]] = {}
    for i in others:
        person = people[i]
        allowance = min(max(person.flexible_days_per_week, 0), data.weekly_flexible_cap)
        if allowance == 0:
            continue
        mine = fixed_by_person.get(i, {})
        for week, week_days in weeks.items():
            used = data.flexible_used.get((person.id, week), 0)
            used += sum(1 for d in week_days if mine.get(d) in REMOTE_MODES)
            free = [d for d in week_days if d not in mine]
            for day in _choose(free, allowance - used, person.preferred_weekdays, load):
                load[day] += 1
                plan.setdefault(day, set()).add(i)
    return plan


def _choose(
    free: list[date], count: int, preferred: frozenset[int], load: dict[date, int]
) -> list[date]:
    if count <= 0:
        return []
    return sorted(free, key=lambda d: (d.weekday() not in preferred, load[d], d))[:count]


def _roster_day(
    data: RotationInput, plan: _Plan, day: date, out: list[Assignment], problems: list[Problem]
) -> None:
    fixed = plan.fixed.get(day, {})
    flexible = plan.flexible.get(day, set())
    raw_seats = data.seats.get(day)
    seats = None if raw_seats is None else max(raw_seats, 0)
    fixed_office = sum(1 for mode in fixed.values() if mode == Mode.WFO)
    bound = [i for i in plan.bound if i not in fixed]
    candidates = [i for i in plan.others if i not in fixed and i not in flexible]
    problems.extend(
        _capacity_problems(data.unit_id, day, fixed_office, len(bound), plan.cap, seats)
    )
    limit = plan.cap if seats is None else min(plan.cap, seats)
    room = max(0, limit - fixed_office)
    office = _pick(bound, room, plan)
    chosen = _pick(candidates, room - len(office), plan)
    if len(chosen) < len(candidates):
        plan.pointer = (plan.pointer + len(chosen)) % len(plan.people)
    office |= chosen
    for i, person in enumerate(plan.people):
        if i in fixed:
            continue
        if i in office:
            plan.score[i] += 1
            out.append(Assignment(person.id, day, Mode.WFO, EntryReason.DEFAULT))
        elif i in flexible:
            out.append(Assignment(person.id, day, person.flexible_mode, EntryReason.FLEXIBLE))
        else:
            out.append(Assignment(person.id, day, Mode.WFH, EntryReason.POLICY))


def _pick(candidates: list[int], room: int, plan: _Plan) -> set[int]:
    """The first `room` candidates by (score, id order rotated by the pointer)."""
    if room <= 0:
        return set()
    if room >= len(candidates):
        return set(candidates)
    score, pointer, n = plan.score, plan.pointer, len(plan.people)
    ranked = sorted(candidates, key=lambda i: (score[i], (i - pointer) % n))
    return set(ranked[:room])


def _capacity_problems(
    unit_id: int, day: date, fixed_office: int, bound: int, cap: int, seats: int | None
) -> list[Problem]:
    out = []
    limits = [("quota", "cap", cap, "the WFO quota allows")]
    if seats is not None:
        limits.append(("seats", "seats", seats, "there are free seats for"))
    for name, key, limit, allows in limits:
        if fixed_office > limit:
            message = (
                f"On {day}, unit {unit_id} has {fixed_office} fixed office entries "
                f"(recalls, manual edits) but {allows} {limit}."
            )
            detail = {"fixed_office": fixed_office, key: limit}
            out.append(Problem(day, unit_id, f"fixed_exceeds_{name}", message, detail))
        if bound and fixed_office + bound > limit:
            needed = fixed_office + bound
            message = (
                f"On {day}, unit {unit_id} needs {needed} people in the office "
                f"({bound} public-service staff, {fixed_office} fixed) but {allows} {limit}."
            )
            detail = {
                "needed": needed,
                key: limit,
                "public_service": bound,
                "fixed_office": fixed_office,
            }
            out.append(Problem(day, unit_id, f"public_service_exceeds_{name}", message, detail))
    return out


def rotation_figures(data: RotationInput, result: RotationResult) -> dict[str, object]:
    """Summary of a generated roster (for benchmarks and reports); valid inputs only.

    max_wfo / over_cap_days / over_seats_days count fixed WFO entries too;
    public_service_coverage is the percent of non-fixed public-service person-days in the
    office (100.0 when there are none); fairness_spread is the largest difference of WFO
    days among comparable employees (see `generate_rotation`).
    """
    cap = wfo_cap(headcount=data.headcount, share_percent=data.share_percent)
    days = sorted(set(data.days))
    ids = {p.id for p in data.people}
    office = dict.fromkeys(days, 0)
    fixed_office: dict[int, int] = {}
    for (person_id, day), mode in data.fixed.items():
        if person_id in ids and day in office and mode == Mode.WFO:
            office[day] += 1
            fixed_office[person_id] = fixed_office.get(person_id, 0) + 1
    release = data.release_public_service
    bound = {p.id for p in data.people if p.public_service and not release}
    bound_days = bound_office = flexible = policy = 0
    candidate_days: dict[int, list[date]] = {}
    rotation_office: dict[int, int] = {}
    for a in result.assignments:
        in_office = a.mode == Mode.WFO
        office[a.day] += in_office
        flexible += a.reason == EntryReason.FLEXIBLE
        policy += a.reason == EntryReason.POLICY
        if a.person_id in bound:
            bound_days += 1
            bound_office += in_office
        elif a.reason != EntryReason.FLEXIBLE:
            candidate_days.setdefault(a.person_id, []).append(a.day)
            rotation_office[a.person_id] = rotation_office.get(a.person_id, 0) + in_office
    groups: dict[tuple[object, ...], list[int]] = {}
    for person_id, own_days in candidate_days.items():
        key = (fixed_office.get(person_id, 0), *sorted(own_days))
        groups.setdefault(key, []).append(rotation_office[person_id])
    over_seats = 0
    for day in days:
        seats = data.seats.get(day)
        over_seats += seats is not None and office[day] > max(seats, 0)
    return {
        "unit_id": data.unit_id,
        "people": len(data.people),
        "days": len(days),
        "cap": cap,
        "max_wfo": max(office.values(), default=0),
        "over_cap_days": sum(1 for n in office.values() if n > cap),
        "over_seats_days": over_seats,
        "public_service_coverage": 100.0 * bound_office / bound_days if bound_days else 100.0,
        "fairness_spread": max((max(g) - min(g) for g in groups.values()), default=0),
        "flexible_days": flexible,
        "policy_home_days": policy,
        "problems": len(result.problems),
    }
