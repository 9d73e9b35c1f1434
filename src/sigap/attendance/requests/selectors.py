"""Read queries of requests: the agency's request settings, the CT balance, what
validation needs from the database, the approval chain and the scoped request lists."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sigap.attendance.models import (
    AttendanceRequest,
    Decision,
    MonthReopening,
    RequestStatus,
    RequestStep,
    RequestType,
)
from sigap.attendance.requests import calendar, rules
from sigap.core import clock
from sigap.core.exceptions import NotFound
from sigap.core.models import User
from sigap.org.models import Agency, Employee, Role, RoleAssignment, Unit
from sigap.org.rules import subtree
from sigap.org.selectors import scope_for, unit_children_map
from sigap.worktime.models import Holiday
from sigap.worktime.selectors import cuti_bersama_days, employee_zone

if TYPE_CHECKING:
    from sigap.attendance.requests.services import RequestDraft

ACTIVE = (RequestStatus.SUBMITTED, RequestStatus.APPROVED)


@dataclasses.dataclass(frozen=True, slots=True)
class RequestSettings:
    """Agency.settings["requests"]: {"unit_head_types": [...], "clarification_working_day": 3,
    "limits": {LeaveLimits field: value}}; the defaults are DOMAIN.md section 4's."""

    unit_head_types: frozenset[str] = rules.DEFAULT_UNIT_HEAD_TYPES
    clarification_working_day: int = 3
    limits: rules.LeaveLimits = dataclasses.field(default_factory=rules.LeaveLimits)

    @classmethod
    def for_agency(cls, agency: Agency) -> RequestSettings:
        raw: dict[str, Any] = (agency.settings or {}).get("requests", {})
        known = {f.name for f in dataclasses.fields(rules.LeaveLimits)}
        limits = rules.LeaveLimits(**{k: v for k, v in raw.get("limits", {}).items() if k in known})
        types = raw.get("unit_head_types", rules.DEFAULT_UNIT_HEAD_TYPES)
        if any(t not in RequestType.values for t in types):
            raise ValidationError(_("unit_head_types lists an unknown request type."))
        nth = int(raw.get("clarification_working_day", 3))
        if not 1 <= nth <= 20:
            raise ValidationError(_("The clarification deadline must be working day 1 to 20."))
        return cls(frozenset(types), nth, limits)


def agency_holidays(*, agency_id: int, start: dt.date, end: dt.date) -> frozenset[dt.date]:
    """The agency's active holidays (cuti bersama included) from start to end (one query)."""
    rows = Holiday.objects.filter(agency_id=agency_id, active=True, date__range=(start, end))
    return frozenset(rows.values_list("date", flat=True))


# --- the CT balance ----------------------------------------------------------------


def leave_balance(
    *, employee: Employee, year: int | None = None, settings: RequestSettings | None = None
) -> rules.LeaveBalance:
    """The CT balance of `year` (default: this year; three queries). Carry-over is last
    year's unused balance (its own entitlement minus its cuti bersama, approved and pending
    CT days; days it had carried in are not carried again), capped by the agency's
    `ct_carry_over_cap_total`."""
    settings = settings or RequestSettings.for_agency(employee.agency)
    year = year or clock.today(employee_zone(employee)).year
    taken, pending, long_leave = _ct_usage(employee, year)
    previous = _balance(employee, year - 1, 0, taken, pending, long_leave, settings)
    return _balance(employee, year, previous.remaining, taken, pending, long_leave, settings)


def _balance(employee, year, carried, taken, pending, long_leave, settings) -> rules.LeaveBalance:
    return rules.annual_leave_balance(
        year=year,
        start_of_service=employee.start_date,
        carried_over_days=carried,
        cuti_bersama_days=len(cuti_bersama_days(agency=employee.agency, year=year)),
        taken_days=taken[year],
        pending_days=pending[year],
        long_leave_this_year=year in long_leave,
        limits=settings.limits,
    )


def _ct_usage(employee: Employee, year: int) -> tuple[dict, dict, set[int]]:
    """Approved and pending CT working days by year, and the years with an approved CB."""
    rows = AttendanceRequest.objects.filter(
        employee=employee,
        type__in=[RequestType.CT, RequestType.CB],
        status__in=ACTIVE,
        start__lte=dt.date(year, 12, 31),
        end__gte=dt.date(year - 1, 1, 1),
    ).values_list("type", "status", "start", "end", "working_days")
    taken: dict[int, int] = defaultdict(int)
    pending: dict[int, int] = defaultdict(int)
    long_leave: set[int] = set()
    for type_, status, start, end, days in rows:
        if type_ == RequestType.CB and status == RequestStatus.APPROVED:
            long_leave |= set(range(start.year, end.year + 1))
        elif type_ == RequestType.CT:
            (taken if status == RequestStatus.APPROVED else pending)[start.year] += days
    return taken, pending, long_leave


# --- validation context ----------------------------------------------------------------


def existing_requests(
    *, employee: Employee, start: dt.date, end: dt.date
) -> list[rules.ExistingRequest]:
    """The employee's submitted and approved requests that share a day with start..end."""
    rows = AttendanceRequest.objects.filter(
        employee=employee, status__in=ACTIVE, start__lte=end, end__gte=start
    ).values_list("id", "type", "start", "end", "status", "correction_kind")
    return [
        rules.ExistingRequest(id_, rules.RequestType(t), s, e, rules.RequestStatus(st), k or None)
        for id_, t, s, e, st, k in rows
    ]


def locked_months(
    *, agency: Agency, start: dt.date, end: dt.date, today: dt.date, nth_working_day: int
) -> frozenset[tuple[int, int]]:
    """The months from start to end closed to requests (at most two queries). Only months
    before today's can be locked; a month HR reopened (not closed again) is open."""
    past = [ym for ym in calendar.months_touched(start, end) if ym < (today.year, today.month)]
    if not past:
        return frozenset()
    reopened = set(
        MonthReopening.objects.filter(agency=agency, closed_at__isnull=True).values_list(
            "year", "month"
        )
    )
    # holidays after today cannot lock a month: they only move a deadline later
    holidays = agency_holidays(agency_id=agency.pk, start=dt.date(*past[0], 1), end=today)
    return frozenset(
        (y, m)
        for y, m in past
        if calendar.month_locked(
            y,
            m,
            today=today,
            holidays=holidays,
            nth_working_day=nth_working_day,
            reopened=(y, m) in reopened,
        )
    )


def request_context(
    *,
    employee: Employee,
    draft: RequestDraft,
    settings: RequestSettings,
    today: dt.date,
    has_attachment: bool,
) -> rules.RequestContext:
    """Everything validate_request needs from the database (the CT balance for CT only)."""
    start, end = draft.start, draft.end
    assert start is not None and end is not None
    balance = None
    if draft.type == rules.RequestType.CT:
        balance = leave_balance(employee=employee, year=start.year, settings=settings)
    return rules.RequestContext(
        start_of_service=employee.start_date,
        holidays=agency_holidays(agency_id=employee.agency_id, start=start, end=end),
        balance=balance,
        has_attachment=has_attachment,
        government_doctor_note=draft.government_doctor_note,
        reference=draft.reference,
        correction_date=draft.correction_date,
        correction_kind=draft.correction_kind,
        correction_time=draft.correction_time,
        existing=existing_requests(employee=employee, start=start, end=end),
        locked_months=locked_months(
            agency=employee.agency,
            start=min(start, end),
            end=max(start, end),
            today=today,
            nth_working_day=settings.clarification_working_day,
        ),
    )


# --- the approval chain -------------------------------------------------------------------


def unit_head_for(employee: Employee) -> Employee | None:
    """The active head of the employee's unit or, when it has none (or the employee heads
    it), of the nearest ancestor unit that has one; None when nobody up the tree does."""
    rows = Unit.objects.filter(agency_id=employee.agency_id).values_list(
        "id", "parent_id", "head_id", "head__active"
    )
    units = {unit_id: (parent_id, head_id, active) for unit_id, parent_id, head_id, active in rows}
    current, seen = employee.unit_id, set()
    while current is not None and current in units and current not in seen:
        seen.add(current)
        parent_id, head_id, active = units[current]
        if head_id is not None and active and head_id != employee.pk:
            return Employee.objects.filter(pk=head_id).first()
        current = parent_id
    return None


def approval_chain(
    *, employee: Employee, type: str, settings: RequestSettings
) -> list[tuple[str, Employee | None]]:
    """(role, approver) in order: the active direct supervisor, then the unit head for the
    agency's unit-head types. An approver of None means HR admin decides that step."""
    supervisor = employee.supervisor if employee.supervisor_id else None
    if supervisor is not None and not supervisor.active:
        supervisor = None
    head = unit_head_for(employee)
    roles = rules.approval_steps(
        type=type,
        unit_head_types=settings.unit_head_types,
        has_supervisor=supervisor is not None,
        supervisor_is_unit_head=supervisor is not None and head is not None and supervisor == head,
    )
    return [(role, supervisor if role == rules.Step.SUPERVISOR else head) for role in roles]


def hr_admin_user_ids(*, agency_id: int) -> list[int]:
    rows = RoleAssignment.objects.filter(agency_id=agency_id, role=Role.HR_ADMIN)
    return list(rows.values_list("user_id", flat=True))


# --- lists and look-ups (scoped) ------------------------------------------------------------


def _requests() -> QuerySet[AttendanceRequest]:
    steps = RequestStep.objects.select_related("approver").order_by("order")
    return AttendanceRequest.objects.select_related(
        "employee__agency", "employee__unit"
    ).prefetch_related(Prefetch("steps", queryset=steps))


def awaiting_steps(*, user: User) -> QuerySet[RequestStep]:
    """The current (first pending) steps of submitted requests that the user decides: as
    their approver or, for HR admin, steps without an active approver in the agency."""
    scope = scope_for(user)
    earlier = RequestStep.objects.filter(
        request=OuterRef("request"), order__lt=OuterRef("order"), decision=Decision.PENDING
    )
    mine = Q(approver_id=scope.employee_id) if scope.employee_id else Q(pk__in=[])
    if scope.has_role(Role.HR_ADMIN):
        orphan = Q(approver__isnull=True) | Q(approver__active=False) | Q(approver__user=None)
        mine |= orphan & Q(request__employee__agency_id=scope.agency_id)
    pending = RequestStep.objects.filter(
        decision=Decision.PENDING, request__status=RequestStatus.SUBMITTED
    )
    current = pending.exclude(Exists(earlier)).filter(mine)
    if scope.employee_id is not None:  # never one's own request
        current = current.exclude(request__employee_id=scope.employee_id)
    return current


def requests_for(
    *, user: User, mine: bool = True, status: str | None = None, limit: int = 100
) -> list[AttendanceRequest]:
    """The user's own requests (mine) or those awaiting their decision, newest first."""
    if mine:
        found = _requests().filter(employee__user=user)
    else:
        found = _requests().filter(pk__in=awaiting_steps(user=user).values("request_id"))
    if status:
        found = found.filter(status=status)
    return list(found.order_by("-submitted_at", "-pk")[:limit])


def request_detail(*, request_id: int) -> AttendanceRequest:
    return _requests().get(pk=request_id)


def request_visible_to(*, user: User, request_id: int) -> AttendanceRequest:
    """The request if the user is its employee, one of its approvers or has the employee
    in scope; otherwise 404 (its existence is not revealed)."""
    scope = scope_for(user)
    found = _requests().filter(pk=request_id).first()
    if found is None:
        raise NotFound()
    me = scope.employee_id
    approver = me is not None and any(s.approver_id == me for s in found.steps.all())
    if (me is not None and found.employee_id == me) or approver:
        return found
    if scope.includes_employee(found.employee):
        return found
    raise NotFound()


def request_in_agency(*, user: User, request_id: int) -> AttendanceRequest:
    """A request of the user's agency, to decide (who may decide is the service's check:
    403); other agencies' requests are 404."""
    scope = scope_for(user)
    found = _requests().filter(pk=request_id).first()
    if found is None or not (scope.all_agencies or found.employee.agency_id == scope.agency_id):
        raise NotFound()
    return found


def agency_of(*, user: User) -> Agency:
    scope = scope_for(user)
    agency = Agency.objects.filter(pk=scope.agency_id).first() if scope.agency_id else None
    if agency is None:
        raise NotFound(_("This account belongs to no agency."))
    return agency


# --- the web pages: the approver's count, the agency's list, the month lock panel ----------

APPROVER_ROLES = frozenset({"supervisor", "unit_head", Role.HR_ADMIN})


def awaiting_count(*, user: User) -> int:
    """How many requests wait for the user's decision (one COUNT; none for non-approvers)."""
    if not scope_for(user).roles & APPROVER_ROLES:
        return 0
    return awaiting_steps(user=user).count()


@dataclasses.dataclass(frozen=True, slots=True)
class RequestFilter:
    status: str = ""
    type: str = ""
    unit_id: int | None = None  # the unit and every unit below it
    month: tuple[int, int] | None = None  # requests that share a day with the month
    search: str = ""  # part of the name, or the start of the NIP


def requests_in_scope(*, user: User, filters: RequestFilter) -> QuerySet[AttendanceRequest]:
    """The requests of the employees in the user's scope, filtered, newest first (the
    employee, the unit and the steps with their approvers come along)."""
    scope = scope_for(user)
    found = _requests().filter(employee__in=scope.employees())
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.type:
        found = found.filter(type=filters.type)
    if filters.unit_id is not None:
        children = unit_children_map(scope.agency_id) if scope.agency_id else {}
        found = found.filter(employee__unit_id__in=subtree(children, filters.unit_id))
    if filters.month is not None:
        first = dt.date(*filters.month, 1)
        found = found.filter(start__lte=calendar.period_end(first, months=1), end__gte=first)
    if filters.search:
        term = filters.search
        found = found.filter(Q(employee__name__icontains=term) | Q(employee__nip__startswith=term))
    return found.order_by("-submitted_at", "-pk")


@dataclasses.dataclass(frozen=True, slots=True)
class MonthLock:
    month: dt.date  # its first day
    deadline: dt.date  # the last day to clarify the month (the nth working day after it)
    locked: bool  # requests and corrections for the month are refused now
    reopening: MonthReopening | None  # HR's open reopening, if any


def month_locks(*, agency: Agency) -> list[MonthLock]:
    """Last month, this month and every month HR reopened and did not close again, newest
    first, with their deadlines and lock state (two queries)."""
    nth = RequestSettings.for_agency(agency).clarification_working_day
    today = clock.today(agency.time_zone)
    this_month = dt.date(today.year, today.month, 1)
    last_month = calendar.months_after(this_month, -1)
    rows = MonthReopening.objects.filter(agency=agency, closed_at__isnull=True)
    reopened = {(r.year, r.month): r for r in rows.select_related("reopened_by")}
    months = {(last_month.year, last_month.month), (today.year, today.month), *reopened}
    ordered = sorted(months, reverse=True)
    end = calendar.months_after(this_month, 3)  # the deadlines fall within the next month
    holidays = agency_holidays(agency_id=agency.pk, start=dt.date(*ordered[-1], 1), end=end)
    locks = []
    for year, month in ordered:
        deadline = calendar.clarification_deadline(
            year, month, holidays=holidays, nth_working_day=nth
        )
        locked = (year, month) not in reopened and today > deadline
        first = dt.date(year, month, 1)
        locks.append(MonthLock(first, deadline, locked, reopened.get((year, month))))
    return locks


def month_reopenings(*, agency: Agency, limit: int = 10) -> list[MonthReopening]:
    """The agency's latest reopenings (open and closed), newest first: HR's log."""
    rows = MonthReopening.objects.filter(agency=agency).select_related("reopened_by")
    return list(rows.order_by("-reopened_at", "-pk")[:limit])
