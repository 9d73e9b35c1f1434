"""Flexible work: an employee applies with a reason and a work plan; the unit head decides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sigap.arrangements import rules
from sigap.arrangements.models import ApplicationStatus, FlexibleWorkApplication, Mode
from sigap.arrangements.selectors import ArrangementSettings
from sigap.core import clock
from sigap.core.exceptions import Conflict, Forbidden, InvalidInput
from sigap.core.models import User
from sigap.core.notifications import notify
from sigap.org.models import Employee
from sigap.org.selectors import scope_for
from sigap.worktime.selectors import employee_zone

MAX_VALIDITY_DAYS = 366

ELIGIBILITY_MESSAGES = {
    "position_not_eligible": _("Your position is not eligible for flexible work."),
    "under_sanction": _("Flexible work is not available while a discipline sanction runs."),
    "new_employee": _("Flexible work is available after your first year of service."),
}


def flexible_work_apply(
    *,
    employee: Employee,
    reason: str,
    work_plan: str,
    days_per_week: int,
    valid_from: dt.date,
    valid_until: dt.date,
    mode: str = Mode.WFH,
    preferred_weekdays: Sequence[int] = (),
) -> FlexibleWorkApplication:
    settings = ArrangementSettings.for_agency(employee.agency)
    today = clock.today(employee_zone(employee))
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = str(_("Give a reason."))
    if not work_plan.strip():
        errors["work_plan"] = str(_("Give a work plan with measurable targets."))
    if mode not in (Mode.WFH, Mode.WFA):
        errors["mode"] = str(_("Choose WFH or WFA."))
    if not 1 <= days_per_week <= settings.weekly_flexible_cap:
        errors["days_per_week"] = str(
            _("Between 1 and %(cap)d days a week.") % {"cap": settings.weekly_flexible_cap}
        )
    if any(d not in range(5) for d in preferred_weekdays):
        errors["preferred_weekdays"] = str(_("Weekdays are 0 (Monday) to 4 (Friday)."))
    if valid_until < valid_from:
        errors["valid_until"] = str(_("The end is before the start."))
    elif (valid_until - valid_from).days >= MAX_VALIDITY_DAYS:
        errors["valid_until"] = str(_("At most one year at a time."))
    if valid_from < today:
        errors["valid_from"] = str(_("The start cannot be in the past."))
    if errors:
        raise InvalidInput(detail={"fields": errors})
    eligibility = rules.flexible_eligibility(
        position_eligible=bool(employee.position and employee.position.flexible_eligible),
        start_of_service=employee.start_date,
        on=valid_from,
        under_sanction=bool(employee.sanction_until and employee.sanction_until >= valid_from),
        min_service_days=settings.min_service_days,
        block_sanctioned=settings.block_sanctioned,
        block_new=settings.block_new_employees,
    )
    if not eligibility.eligible:
        raise InvalidInput(
            " ".join(str(ELIGIBILITY_MESSAGES[r]) for r in eligibility.reasons),
            code="not_eligible",
            detail={"reasons": list(eligibility.reasons)},
        )
    with transaction.atomic():
        if FlexibleWorkApplication.objects.filter(
            employee=employee,
            status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED],
            valid_from__lte=valid_until,
            valid_until__gte=valid_from,
        ).exists():
            raise Conflict(
                _("You already have an application for this period."), code="overlapping"
            )
        application = FlexibleWorkApplication.objects.create(
            employee=employee,
            reason=reason.strip(),
            work_plan=work_plan.strip(),
            mode=mode,
            days_per_week=days_per_week,
            preferred_weekdays=sorted(set(preferred_weekdays)),
            valid_from=valid_from,
            valid_until=valid_until,
            submitted_at=clock.now(),
        )
        head = employee.unit.head
        if head is not None and head.user_id:
            notify(
                user_id=head.user_id,
                kind="flexible",
                title=_("A flexible-work application waits for you"),
                body=employee.name,
                url="/kerja-fleksibel/",
            )
    return application


def flexible_work_decide(
    *, user: User, application: FlexibleWorkApplication, approve: bool, note: str = ""
) -> FlexibleWorkApplication:
    """The unit head (of the applicant's unit subtree) approves or refuses."""
    scope = scope_for(user)
    if application.employee.unit_id not in scope.unit_ids:
        raise Forbidden(_("Only the unit head decides flexible-work applications."))
    if application.employee_id == scope.employee_id:
        raise Forbidden(_("You cannot decide your own application."))
    with transaction.atomic():
        locked = FlexibleWorkApplication.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.SUBMITTED:
            raise Conflict(_("This application is already decided."), code="already_decided")
        if not approve and not note.strip():
            raise InvalidInput(detail={"fields": {"note": str(_("Say why it is refused."))}})
        locked.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REFUSED
        locked.decided_by = user
        locked.decided_at = clock.now()
        locked.decision_note = note.strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        if locked.employee.user_id:
            title = (
                _("Your flexible-work application is approved")
                if approve
                else _("Your flexible-work application is refused")
            )
            notify(user_id=locked.employee.user_id, kind="flexible", title=title, body=note)
    return locked
