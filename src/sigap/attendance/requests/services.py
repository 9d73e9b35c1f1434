"""Request use cases (writes): submit, decide, cancel; HR reopens and closes months.

An approved request changes its days at once (effects.py). Attachments are checked by
content (attachments.py); the reads behind validation live in selectors.py.
Who decides: the approver of the current step; HR admin only the steps that have no
active approver (nobody up the unit tree heads a unit, or the approver left).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from sigap.attendance.models import (
    AttendanceRequest,
    Decision,
    MonthReopening,
    RequestStatus,
    RequestStep,
)
from sigap.attendance.requests import calendar, rules, selectors
from sigap.attendance.requests.attachments import attachment_content, attachment_store
from sigap.attendance.requests.effects import request_apply
from sigap.core import clock
from sigap.core.exceptions import Conflict, Forbidden, InvalidInput
from sigap.core.models import User
from sigap.core.notifications import notify
from sigap.org.models import Agency, Employee, Role
from sigap.org.selectors import scope_for
from sigap.worktime.selectors import employee_zone

REQUESTS_URL = "/pengajuan/"

ISSUE_MESSAGES = {
    "end_before_start": _("The end date is before the start date."),
    "too_long": _("This request lasts at most %(max)s %(unit)s: end it by %(latest_end)s."),
    "spans_years": _("Annual leave cannot run into the next year: end it in %(year)s."),
    "service_too_short": _("This leave needs %(min_years)s full years of service."),
    "ct_min_one_day": _("Annual leave must cover at least one working day."),
    "balance_exceeded": _(
        "You asked for %(requested)s working days of annual leave; %(remaining)s remain."
    ),
    "government_doctor_note_required": _(
        "Sick leave over %(after_days)s days needs a government doctor's note."
    ),
    "doctor_note_required": _(
        "Sick leave of %(from_days)s days or more needs a doctor's note as an attachment."
    ),
    "in_the_future": _("This request cannot be for a future date."),
    "reference_required": _("Official travel needs the number of the assignment letter."),
    "overlaps": _("You already have a request for these dates."),
    "month_locked": _("%(months)s is closed for requests; ask HR to reopen it."),
    "correction_fields_required": _("A correction needs its date, kind and time."),
    "correction_kind_invalid": _("The kind of a correction is 'in' or 'out'."),
    "correction_date_mismatch": _("A correction covers only its own date (%(date)s)."),
    "correction_too_old": _("Corrections are accepted up to %(max_days)s days back."),
    "day_has_leave": _("That day is already covered by an approved request."),
}
UNITS = {"days": _("days"), "months": _("months"), "years": _("years")}


# --- submit ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class RequestDraft:
    """What the employee asks for. KOREKSI takes date/kind/time (start and end default
    to the date); DL a destination, with coordinates when check-ins are to be checked."""

    type: str
    reason: str
    start: dt.date | None = None
    end: dt.date | None = None
    reference: str = ""
    destination: str = ""
    destination_latitude: float | None = None
    destination_longitude: float | None = None
    correction_date: dt.date | None = None
    correction_kind: str | None = None
    correction_time: dt.time | None = None
    government_doctor_note: bool = False


def request_submit(
    *, employee: Employee, draft: RequestDraft, attachment: Any = None
) -> AttendanceRequest:
    """Validate (rules + database), then store the request, its approval steps and its
    attachment and tell the first approver: one transaction, nothing half-saved."""
    draft = _complete(draft)
    assert draft.start is not None and draft.end is not None
    content = attachment_content(attachment) if attachment is not None else None
    settings = selectors.RequestSettings.for_agency(employee.agency)
    stored = ""
    try:
        with transaction.atomic():
            _lock(Employee, employee.pk)  # one submission of an employee at a time
            today = clock.today(employee_zone(employee))
            ctx = selectors.request_context(
                employee=employee,
                draft=draft,
                settings=settings,
                today=today,
                has_attachment=content is not None,
            )
            issues = rules.validate_request(
                type=draft.type,
                start=draft.start,
                end=draft.end,
                today=today,
                ctx=ctx,
                limits=settings.limits,
            )
            if issues:
                raise _refusal(issues)
            stored = attachment_store(content) if content else ""
            created = _create(employee, draft, ctx, stored)
            chain = selectors.approval_chain(employee=employee, type=draft.type, settings=settings)
            _create_steps(created, chain)
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    return created


def _complete(draft: RequestDraft) -> RequestDraft:
    """Default a correction's start/end to its date; refuse missing or half inputs (422)."""
    required = [str(_("This field is required."))]
    if draft.type not in {kind.value for kind in rules.RequestType}:
        raise InvalidInput(detail={"fields": {"type": [str(_("Unknown request type."))]}})
    if draft.type == rules.RequestType.KOREKSI:
        day = draft.correction_date
        if day is None:
            raise InvalidInput(detail={"fields": {"date": required}})
        draft = dataclasses.replace(draft, start=draft.start or day, end=draft.end or day)
    fields = {name: required for name in ("start", "end") if getattr(draft, name) is None}
    if not draft.reason.strip():
        fields["reason"] = [str(_("Give a reason."))]
    coordinates = (draft.destination_latitude, draft.destination_longitude)
    if coordinates.count(None) == 1:
        fields["destination_latitude"] = [str(_("Give both coordinates or neither."))]
    if fields:
        raise InvalidInput(detail={"fields": fields})
    return dataclasses.replace(
        draft, reason=draft.reason.strip(), reference=draft.reference.strip()
    )


def issue_message(issue: rules.Issue) -> str:
    """The issue in the active language, its parameters filled in."""
    params = {
        k: ", ".join(map(str, v)) if isinstance(v, list) else v for k, v in issue.params.items()
    }
    if "unit" in params:
        params["unit"] = UNITS.get(str(params["unit"]), params["unit"])
    message = ISSUE_MESSAGES.get(issue.code, _("The request cannot be submitted."))
    return str(message % params if params else message)


def _refusal(issues: list[rules.Issue]) -> InvalidInput:
    """422 with the first issue's code and message; every issue listed in detail."""
    listed = [
        {"code": i.code, "field": i.field, "message": issue_message(i), "params": i.params}
        for i in issues
    ]
    first = issues[0]
    return InvalidInput(
        listed[0]["message"], code=first.code, detail={**first.params, "issues": listed}
    )


def _create(
    employee: Employee, draft: RequestDraft, ctx: rules.RequestContext, attachment: str
) -> AttendanceRequest:
    assert draft.start is not None and draft.end is not None
    created = AttendanceRequest(
        employee=employee,
        type=draft.type,
        start=draft.start,
        end=draft.end,
        reason=draft.reason,
        reference=draft.reference,
        attachment=attachment,
        working_days=calendar.working_days_between(draft.start, draft.end, holidays=ctx.holidays),
        destination=draft.destination.strip(),
        destination_latitude=draft.destination_latitude,
        destination_longitude=draft.destination_longitude,
        correction_kind=draft.correction_kind or "",
        correction_time=draft.correction_time.replace(tzinfo=None)
        if draft.correction_time
        else None,
        submitted_at=clock.now(),
    )
    created.full_clean()
    created.save(force_insert=True)
    return created


def _create_steps(request: AttendanceRequest, chain: list[tuple[str, Employee | None]]) -> None:
    steps = [
        RequestStep(request=request, order=n, role=role, approver=approver)
        for n, (role, approver) in enumerate(chain, start=1)
    ]
    RequestStep.objects.bulk_create(steps)
    _notify_turn(request, steps[0])


# --- decide, cancel ------------------------------------------------------------------------


def request_decide(
    *, user: User, request: AttendanceRequest, approve: bool, note: str = ""
) -> AttendanceRequest:
    """The current step's approver approves or rejects (a note is optional and kept).
    The last approval approves the request and changes its days at once."""
    with transaction.atomic():
        locked = _locked(request)
        if locked.status != RequestStatus.SUBMITTED:
            raise Conflict(_("This request is already decided or cancelled."))
        steps = list(locked.steps.select_related("approver").order_by("order"))
        current = next((s for s in steps if s.decision == Decision.PENDING), None)
        if current is None:
            raise Conflict(_("This request has no step left to decide."))
        _authorise(user, locked, current, steps)
        now = clock.now()
        done = sum(s.decision == Decision.APPROVED for s in steps)
        decision = rules.Decision.APPROVED if approve else rules.Decision.REJECTED
        outcome = rules.next_status(done, len(steps), decision)
        current.decision = decision.value
        current.decided_by, current.decided_at, current.note = user, now, note.strip()
        current.save(update_fields=["decision", "decided_by", "decided_at", "note"])
        if outcome == RequestStatus.SUBMITTED:
            _notify_turn(locked, steps[steps.index(current) + 1])
            return locked
        locked.status, locked.decided_at = outcome, now
        locked.save(update_fields=["status", "decided_at"])
        locked.steps.filter(decision=Decision.PENDING).update(decision=Decision.SKIPPED)
        if outcome == RequestStatus.APPROVED:
            request_apply(request=locked, user=user)
        _notify_outcome(locked, note)
    return locked


def _lock(model: type[Model], pk: int) -> None:
    """Lock one row until the transaction ends (serialises concurrent writers)."""
    model._default_manager.select_for_update().filter(pk=pk).values_list("pk").first()


def _locked(request: AttendanceRequest) -> AttendanceRequest:
    return (
        AttendanceRequest.objects.select_for_update(of=("self",))
        .select_related("employee__unit", "employee__agency")
        .get(pk=request.pk)
    )


def _authorise(
    user: User, request: AttendanceRequest, step: RequestStep, steps: list[RequestStep]
) -> None:
    scope = scope_for(user)
    employee = request.employee
    if scope.employee_id is not None and employee.pk == scope.employee_id:
        raise Forbidden(_("You cannot decide your own request."))
    mine = step.approver_id is not None and step.approver_id == scope.employee_id
    if mine and scope.includes_employee(employee):
        return
    approver = step.approver
    orphan = approver is None or not approver.active or approver.user_id is None
    if orphan and scope.has_role(Role.HR_ADMIN) and scope.agency_id == employee.agency_id:
        return
    if any(s.decided_by_id == user.pk for s in steps):
        raise Conflict(_("You have already decided this request."))
    raise Forbidden(_("Only the approver of the current step can decide this request."))


def request_cancel(*, user: User, request: AttendanceRequest) -> AttendanceRequest:
    """The employee withdraws their request while it is still undecided."""
    with transaction.atomic():
        locked = _locked(request)
        if locked.employee.user_id != user.pk:
            raise Forbidden(_("Only the employee can cancel their request."))
        if locked.status != RequestStatus.SUBMITTED:
            raise Conflict(_("Only a request that is not decided yet can be cancelled."))
        locked.status, locked.decided_at = RequestStatus.CANCELLED, clock.now()
        locked.save(update_fields=["status", "decided_at"])
        locked.steps.filter(decision=Decision.PENDING).update(decision=Decision.SKIPPED)
    return locked


# --- notifications -----------------------------------------------------------------------------


def _notify_turn(request: AttendanceRequest, step: RequestStep) -> None:
    """Tell the approver of `step` (HR admins when it has none) that a request waits."""
    approver = step.approver
    if approver is not None and approver.active and approver.user_id is not None:
        users = [approver.user_id]
    else:
        users = selectors.hr_admin_user_ids(agency_id=request.employee.agency_id)
    title = str(_("A request waits for your decision"))
    body = _summary(request)
    for user_id in users:
        notify(user_id=user_id, kind="request", title=title, body=body, url=REQUESTS_URL)


def _notify_outcome(request: AttendanceRequest, note: str) -> None:
    approved = request.status == RequestStatus.APPROVED
    title = str(_("Your request is approved") if approved else _("Your request is rejected"))
    body = " - ".join(filter(None, [_summary(request), note.strip()]))
    notify(
        user_id=request.employee.user_id, kind="request", title=title, body=body, url=REQUESTS_URL
    )


def _summary(request: AttendanceRequest) -> str:
    days = f"{request.start:%d-%m-%Y}" + (
        f" - {request.end:%d-%m-%Y}" if request.end != request.start else ""
    )
    return f"{request.employee.name}: {request.get_type_display()} {days}"


# --- month lock --------------------------------------------------------------------------------


def _require_hr(user: User, agency: Agency) -> None:
    scope = scope_for(user)
    if not (scope.has_role(Role.HR_ADMIN) and scope.agency_id == agency.pk):
        raise Forbidden(_("Only the agency's HR admin can reopen or close a month."))


def month_reopen(
    *, user: User, agency: Agency, year: int, month: int, reason: str
) -> MonthReopening:
    """HR reopens a month for requests and corrections past its clarification deadline."""
    _require_hr(user, agency)
    today = clock.today(agency.time_zone)
    if not 1 <= month <= 12 or (year, month) > (today.year, today.month):
        raise InvalidInput(
            detail={"fields": {"month": [str(_("Choose a past or the current month."))]}}
        )
    if not reason.strip():
        raise InvalidInput(detail={"fields": {"reason": [str(_("Give a reason."))]}})
    with transaction.atomic():
        _lock(Agency, agency.pk)
        open_ = MonthReopening.objects.filter(
            agency=agency, year=year, month=month, closed_at__isnull=True
        )
        if open_.exists():
            raise Conflict(_("This month is already reopened."))
        reopening = MonthReopening(
            agency=agency,
            year=year,
            month=month,
            reason=reason.strip(),
            reopened_by=user,
            reopened_at=clock.now(),
        )
        reopening.full_clean()
        reopening.save(force_insert=True)
    return reopening


def month_close(*, user: User, agency: Agency, year: int, month: int) -> MonthReopening:
    """HR closes a reopened month again (the reopening keeps its record)."""
    _require_hr(user, agency)
    with transaction.atomic():
        reopening = (
            MonthReopening.objects.select_for_update()
            .filter(agency=agency, year=year, month=month, closed_at__isnull=True)
            .first()
        )
        if reopening is None:
            raise Conflict(_("This month is not reopened."))
        reopening.closed_at = clock.now()
        reopening.save(update_fields=["closed_at"])
    return reopening
