"""Request rules (DOMAIN.md sections 3, 4 and 10). Pure: standard library only, no clock.

Requests are the exceptions to attendance: leave (PP 11/2017), sick, permission,
official duty (DL), study assignment (TB) and corrections (KOREKSI). The caller passes
`today`, the holidays and the agency's `LeaveLimits`; every answer is a value.

How lengths count:
- CT counts working days (weekends and holidays excluded); its balance is in working days.
- CS and SAKIT count calendar days; CB, CM and CAP calendar months; CLTN calendar years.
  IZIN, DL and TB have no length limit.
- A period of N months that starts on `start` ends the day before the same day of the
  month N months later (15 Jan + 1 month ends 14 Feb). When that day does not exist,
  the period runs to the end of the shorter month (31 Jan + 1 month ends 28/29 Feb).
  Years are 12 months; a service year that starts on 29 Feb completes on 28 Feb.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Sequence
from enum import StrEnum

# The calendar helpers live in calendar.py; they are re-exported here (explicit aliases).
from sigap.attendance.requests.calendar import WEEKEND as WEEKEND
from sigap.attendance.requests.calendar import clarification_deadline as clarification_deadline
from sigap.attendance.requests.calendar import month_locked as month_locked
from sigap.attendance.requests.calendar import months_after as months_after
from sigap.attendance.requests.calendar import months_touched as months_touched
from sigap.attendance.requests.calendar import period_end as period_end
from sigap.attendance.requests.calendar import working_days as working_days
from sigap.attendance.requests.calendar import working_days_between as working_days_between

RULE_VERSION = "2026.1"


class RequestType(StrEnum):
    CT = "CT"  # annual leave
    CB = "CB"  # long leave
    CS = "CS"  # sick leave
    CM = "CM"  # maternity leave
    CAP = "CAP"  # leave for important reasons
    CLTN = "CLTN"  # unpaid leave
    SAKIT = "SAKIT"  # sick for one day, told to the supervisor
    IZIN = "IZIN"  # permission
    DL = "DL"  # official duty elsewhere (dinas luar), with a letter number
    TB = "TB"  # study assignment (tugas belajar)
    KOREKSI = "KOREKSI"  # correction of a missed or wrong check-in/out


class RequestStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class Decision(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


class CorrectionKind(StrEnum):
    IN = "in"
    OUT = "out"


class Step(StrEnum):
    SUPERVISOR = "supervisor"
    UNIT_HEAD = "unit_head"


ACTIVE_STATUSES = frozenset({RequestStatus.SUBMITTED, RequestStatus.APPROVED})

# After the supervisor, the unit head also approves leave other than CT (PP 11/2017
# gives it to the official authorised to grant leave) and study assignment. CT, SAKIT,
# IZIN and corrections stop at the supervisor, who knows the day; a DL already carries
# an assignment letter signed by the unit head, so the supervisor only confirms it.
DEFAULT_UNIT_HEAD_TYPES = frozenset(
    {RequestType.CB, RequestType.CS, RequestType.CM, RequestType.CAP, RequestType.CLTN}
    | {RequestType.TB}
)


def day_code_for(type: RequestType | str) -> str | None:
    """The day code an approved request gives each day it covers (CT -> "CT", DL -> "DL").
    KOREKSI gives none: it adds a corrected event and the day is recomputed from events."""
    kind = RequestType(type)
    return None if kind is RequestType.KOREKSI else kind.value


@dataclasses.dataclass(frozen=True, slots=True)
class LeaveLimits:
    """The agency's leave policy; the defaults are PP 11/2017 (DOMAIN.md section 4)."""

    annual_days: int = 12  # CT, working days a year
    min_service_years_for_ct: int = 1
    ct_carry_over_cap_total: int = 18  # entitlement + carry-over in one year
    cb_max_months: int = 3
    cb_min_service_years: int = 5
    cs_max_days: int = 548  # 1 year + 6 months, in calendar days
    cs_doctor_note_from_days: int = 2
    cs_government_doctor_after_days: int = 14
    cm_max_months: int = 3
    cap_max_months: int = 1
    cltn_max_years: int = 3
    sakit_max_days: int = 1  # SAKIT without a leave request; longer is CS
    correction_max_days_back: int = 31  # the month lock usually refuses earlier


# --- service and annual leave ----------------------------------------------------


def service_complete_on(start_of_service: dt.date, years: int) -> dt.date:
    """The first day on which `years` full years of service are complete."""
    return months_after(start_of_service, 12 * years)


def has_service_years(start_of_service: dt.date | None, day: dt.date, years: int) -> bool:
    """Are `years` full years of service complete on `day`? Unknown start: no."""
    return start_of_service is not None and day >= service_complete_on(start_of_service, years)


def ct_entitled_on(start_of_service: dt.date | None, day: dt.date, *, min_years: int = 1) -> bool:
    """May a CT start on `day`? Only once one full year of service is complete."""
    return has_service_years(start_of_service, day, min_years)


@dataclasses.dataclass(frozen=True, slots=True)
class LeaveBalance:
    """A year's CT balance in working days; `entitled_from` is the first day of the
    year a CT may start (None when there is no CT that year)."""

    year: int
    entitlement: int
    carried_over: int
    cuti_bersama: int
    taken: int
    pending: int
    remaining: int
    entitled_from: dt.date | None = None


def annual_leave_balance(
    *,
    year: int,
    start_of_service: dt.date | None,
    carried_over_days: int,
    cuti_bersama_days: int,
    taken_days: int,
    pending_days: int = 0,
    long_leave_this_year: bool = False,
    limits: LeaveLimits,
) -> LeaveBalance:
    """The CT balance of `year`.

    The year's entitlement counts when one full year of service completes on or before
    31 Dec of that year; a CT may only start from that day (`entitled_from`). Carry-over
    is capped so that entitlement + carry-over <= `ct_carry_over_cap_total`. Cuti
    bersama, taken and pending days reduce it; `remaining` never goes below 0. A CB in
    the year means no CT at all that year: no entitlement and no carry-over.
    """
    if min(carried_over_days, cuti_bersama_days, taken_days, pending_days) < 0:
        raise ValueError("leave day counts cannot be negative")
    complete = None
    if start_of_service is not None:
        complete = service_complete_on(start_of_service, limits.min_service_years_for_ct)
    entitlement = carried = 0
    entitled_from = None
    if complete is not None and complete.year <= year and not long_leave_this_year:
        entitlement = limits.annual_days
        carried = min(carried_over_days, max(0, limits.ct_carry_over_cap_total - entitlement))
        entitled_from = max(complete, dt.date(year, 1, 1))
    cuti_bersama, taken, pending = cuti_bersama_days, taken_days, pending_days
    remaining = max(0, entitlement + carried - cuti_bersama - taken - pending)
    return LeaveBalance(
        year, entitlement, carried, cuti_bersama, taken, pending, remaining, entitled_from
    )


# --- validation ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class Issue:
    """One reason to refuse a request: a stable snake_case code the service translates,
    the offending input field and JSON-ready parameters for the message."""

    code: str
    field: str | None = None
    params: dict[str, object] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True)
class ExistingRequest:
    """Another request of the same employee (its own id excluded by the caller)."""

    id: int
    type: RequestType
    start: dt.date
    end: dt.date
    status: RequestStatus
    correction_kind: str | None = None  # KOREKSI only


@dataclasses.dataclass(frozen=True, slots=True)
class RequestContext:
    """What validation needs besides the dates. CT working days are counted here from
    `holidays` and `weekend`; `balance` (required for CT) is the CT balance of the
    start's year with this request not yet counted as pending. `locked_months` are
    the (year, month) pairs `month_locked` says are closed."""

    start_of_service: dt.date | None = None
    holidays: Collection[dt.date] = frozenset()
    weekend: Collection[int] = WEEKEND
    balance: LeaveBalance | None = None
    has_attachment: bool = False
    government_doctor_note: bool = False  # the attachment is from a government doctor
    reference: str = ""
    correction_date: dt.date | None = None
    correction_kind: str | None = None
    correction_time: dt.time | None = None
    existing: Sequence[ExistingRequest] = ()
    locked_months: Collection[tuple[int, int]] = frozenset()


def overlapping(
    start: dt.date, end: dt.date, existing: Sequence[tuple[int, dt.date, dt.date]]
) -> list[int]:
    """Ids of the (id, start, end) ranges that share a day with start..end (inclusive)."""
    return [id_ for id_, first, last in existing if first <= end and start <= last]


def validate_request(
    *,
    type: RequestType | str,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    ctx: RequestContext,
    limits: LeaveLimits,
) -> list[Issue]:
    """Every reason to refuse the request; an empty list means it may be submitted."""
    draft = _Draft(RequestType(type), start, end, today, ctx, limits)
    if draft.kind is RequestType.KOREKSI:
        return _correction_issues(draft)
    if end < start:
        return [Issue("end_before_start", "end")]
    issues = _length_issues(draft)
    check = _TYPE_CHECKS.get(draft.kind)
    issues += check(draft) if check else []
    others = [(r.id, r.start, r.end) for r in _active(ctx.existing) if not _is_correction(r)]
    ids = overlapping(start, end, others)
    if ids:
        issues.append(Issue("overlaps", "start", {"ids": ids}))
    return issues + _locked_issues(start, end, ctx)


@dataclasses.dataclass(frozen=True, slots=True)
class _Draft:
    kind: RequestType
    start: dt.date
    end: dt.date
    today: dt.date
    ctx: RequestContext
    limits: LeaveLimits


def _active(existing: Sequence[ExistingRequest]) -> list[ExistingRequest]:
    return [r for r in existing if RequestStatus(r.status) in ACTIVE_STATUSES]


def _is_correction(request: ExistingRequest) -> bool:
    return RequestType(request.type) is RequestType.KOREKSI


def _locked_issues(start: dt.date, end: dt.date, ctx: RequestContext) -> list[Issue]:
    touched = months_touched(start, end)
    locked = [f"{y:04d}-{m:02d}" for y, m in touched if (y, m) in ctx.locked_months]
    return [Issue("month_locked", "start", {"months": locked})] if locked else []


def _length_issues(d: _Draft) -> list[Issue]:
    limit = {
        RequestType.CB: (d.limits.cb_max_months, "months"),
        RequestType.CM: (d.limits.cm_max_months, "months"),
        RequestType.CAP: (d.limits.cap_max_months, "months"),
        RequestType.CLTN: (d.limits.cltn_max_years, "years"),
        RequestType.CS: (d.limits.cs_max_days, "days"),
        RequestType.SAKIT: (d.limits.sakit_max_days, "days"),
    }.get(d.kind)
    if limit is None:
        return []
    maximum, unit = limit
    if unit == "days":
        latest = d.start + dt.timedelta(days=maximum - 1)
    else:
        latest = period_end(d.start, months=maximum * (12 if unit == "years" else 1))
    if d.end <= latest:
        return []
    params: dict[str, object] = {"max": maximum, "unit": unit, "latest_end": latest.isoformat()}
    return [Issue("too_long", "end", params)]


def _service_issues(d: _Draft, years: int) -> list[Issue]:
    """Refuse unless `years` full years of service are complete on the first day;
    an unknown start of service refuses too."""
    if has_service_years(d.ctx.start_of_service, d.start, years):
        return []
    since = d.ctx.start_of_service
    eligible = service_complete_on(since, years).isoformat() if since else None
    return [Issue("service_too_short", "start", {"min_years": years, "eligible_from": eligible})]


def _annual_issues(d: _Draft) -> list[Issue]:
    if d.ctx.balance is None:
        raise ValueError("a CT request is validated against the year's balance")
    issues: list[Issue] = []
    if d.start.year != d.end.year:
        issues.append(Issue("spans_years", "end", {"year": d.start.year}))
    issues += _service_issues(d, d.limits.min_service_years_for_ct)
    requested = working_days_between(d.start, d.end, holidays=d.ctx.holidays, weekend=d.ctx.weekend)
    remaining = d.ctx.balance.remaining
    if requested < 1:
        issues.append(Issue("ct_min_one_day", "start"))
    elif requested > remaining:
        params: dict[str, object] = {"requested": requested, "remaining": remaining}
        issues.append(Issue("balance_exceeded", "end", params))
    return issues


def _long_leave_issues(d: _Draft) -> list[Issue]:
    return _service_issues(d, d.limits.cb_min_service_years)


def _sick_leave_issues(d: _Draft) -> list[Issue]:
    """2+ days need a doctor's note; more than 14 days a government doctor's note."""
    days = (d.end - d.start).days + 1
    after, from_days = d.limits.cs_government_doctor_after_days, d.limits.cs_doctor_note_from_days
    if days > after and not (d.ctx.has_attachment and d.ctx.government_doctor_note):
        return [Issue("government_doctor_note_required", "attachment", {"after_days": after})]
    if days >= from_days and not d.ctx.has_attachment:
        return [Issue("doctor_note_required", "attachment", {"from_days": from_days})]
    return []


def _sick_day_issues(d: _Draft) -> list[Issue]:
    return [Issue("in_the_future", "start")] if d.end > d.today else []


def _duty_issues(d: _Draft) -> list[Issue]:
    return [] if d.ctx.reference.strip() else [Issue("reference_required", "reference")]


_TYPE_CHECKS = {
    RequestType.CT: _annual_issues,
    RequestType.CB: _long_leave_issues,
    RequestType.CS: _sick_leave_issues,
    RequestType.SAKIT: _sick_day_issues,
    RequestType.DL: _duty_issues,
}


def _correction_issues(d: _Draft) -> list[Issue]:
    ctx = d.ctx
    fields = {"date": ctx.correction_date, "kind": ctx.correction_kind, "time": ctx.correction_time}
    missing = [name for name, value in fields.items() if value is None or value == ""]
    if missing or ctx.correction_date is None:
        return [Issue("correction_fields_required", name, {"missing": missing}) for name in missing]
    day = ctx.correction_date
    issues: list[Issue] = []
    if ctx.correction_kind not in set(CorrectionKind):
        allowed = [kind.value for kind in CorrectionKind]
        issues.append(Issue("correction_kind_invalid", "kind", {"allowed": allowed}))
    if d.start != day or d.end != day:
        issues.append(Issue("correction_date_mismatch", "date", {"date": day.isoformat()}))
    if day > d.today:
        issues.append(Issue("in_the_future", "date"))
    elif (d.today - day).days > d.limits.correction_max_days_back:
        max_days = d.limits.correction_max_days_back
        issues.append(Issue("correction_too_old", "date", {"max_days": max_days}))
    return issues + _correction_conflicts(day, ctx) + _locked_issues(day, day, ctx)


def _correction_conflicts(day: dt.date, ctx: RequestContext) -> list[Issue]:
    """A KOREKSI ignores requests of other days; it conflicts with an approved request
    covering its day, and with another correction of the same day and kind."""
    covering = [r for r in _active(ctx.existing) if r.start <= day <= r.end]
    approved = [r for r in covering if RequestStatus(r.status) is RequestStatus.APPROVED]
    leave = [r.id for r in approved if not _is_correction(r)]
    kind = ctx.correction_kind
    twins = [r.id for r in covering if _is_correction(r) and r.correction_kind == kind]
    issues = [Issue("day_has_leave", "date", {"ids": leave})] if leave else []
    return issues + ([Issue("overlaps", "date", {"ids": twins})] if twins else [])


# --- approval ------------------------------------------------------------------


def approval_steps(
    *,
    type: RequestType | str,
    unit_head_types: Collection[str],
    has_supervisor: bool,
    supervisor_is_unit_head: bool,
) -> tuple[str, ...]:
    """The roles that decide, in order: the direct supervisor, then the unit head for
    the configured types. A supervisor who is the unit head decides once (the step is
    "supervisor"); an employee without a supervisor goes straight to the unit head."""
    if not has_supervisor:
        return (Step.UNIT_HEAD,)
    needs_head = RequestType(type) in {RequestType(t) for t in unit_head_types}
    if needs_head and not supervisor_is_unit_head:
        return (Step.SUPERVISOR, Step.UNIT_HEAD)
    return (Step.SUPERVISOR,)


def next_status(steps_done: int, steps_total: int, decision: Decision | str) -> RequestStatus:
    """The status after one more decision; `steps_done` counts the steps approved
    before it. A rejection ends the request; the last approval approves it."""
    if not 0 <= steps_done < steps_total:
        raise ValueError(f"no step left to decide ({steps_done} of {steps_total} done)")
    if Decision(decision) is Decision.REJECTED:
        return RequestStatus.REJECTED
    return RequestStatus.APPROVED if steps_done + 1 == steps_total else RequestStatus.SUBMITTED
