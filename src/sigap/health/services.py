"""Health watch writes: declarations, test results, WFH suggestions and test reminders.
Every channel (phone API, web page, demo) calls these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sigap.arrangements.models import Mode
from sigap.arrangements.services.roster import roster_set
from sigap.core import clock
from sigap.core.exceptions import Conflict, Forbidden, InvalidInput, NotFound
from sigap.core.models import User
from sigap.core.notifications import notify
from sigap.health import rules, selectors
from sigap.health.documents import CONTENT_TYPES, document_content, document_delete, document_store
from sigap.health.models import (
    Declaration,
    HealthTest,
    ScreeningReminder,
    SuggestionStatus,
    TestKind,
    TestResult,
    WfhSuggestion,
)
from sigap.health.settings import health_settings
from sigap.org.models import Agency, Employee, Role, Unit
from sigap.org.selectors import scope_for
from sigap.worktime.selectors import employee_day_schedule

HEALTH_OVERRIDE = "health"  # the roster override reason when WFH breaks the unit's rules
TEST_HISTORY_DAYS = 365
UNIT_PAGE = "/kesehatan/unit/"


def _invalid(fields: dict[str, str], message: Any = None) -> InvalidInput:
    return InvalidInput(message, detail={"fields": {k: [v] for k, v in fields.items()}})


def _temperature(value: float | Decimal | str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.1"))
    except InvalidOperation as exc:
        raise _invalid({"temperature_c": "not a number"}) from exc


# --- declarations --------------------------------------------------------------------


def declaration_submit(
    *,
    employee: Employee,
    day: dt.date,
    symptoms: Sequence[str],
    temperature_c: float | Decimal | str | None,
    notes: str = "",
) -> Declaration:
    """Store (or replace) the employee's declaration for `day` (today or yesterday in the
    office's zone). 422 for an unknown symptom, a temperature outside 34-43 °C or another
    date; 409 `declarations_off` when the agency collects none. Newly flagged: the unit
    head is told and WFH is suggested; no longer flagged: a pending suggestion goes."""
    settings = health_settings(employee.agency)
    if settings.declaration is rules.Requirement.OFF:
        raise Conflict(
            _("Your agency does not collect health declarations."), code="declarations_off"
        )
    if not rules.declarable(day, selectors.employee_today(employee)):
        raise _invalid({"date": "only today or yesterday"}, _("Declare for today (or yesterday)."))
    temperature = _temperature(temperature_c)
    problems = rules.declaration_problems(
        symptoms=list(symptoms), temperature_c=temperature, notes=notes or ""
    )
    if problems:
        raise _invalid(problems.fields)
    codes = rules.normalised_symptoms(symptoms)
    flagged = rules.is_flagged(
        symptoms=codes, temperature_c=temperature, threshold_c=settings.temperature_threshold_c
    )
    now = clock.now()
    values = {
        "symptoms": codes,
        "temperature_c": temperature,
        "notes": notes or "",
        "flagged": flagged,
        "threshold_c": settings.temperature_threshold_c,
        "rule_version": rules.RULE_VERSION,
        "updated_at": now,
    }
    with transaction.atomic():
        before = Declaration.objects.select_for_update().filter(employee=employee, date=day)
        was_flagged = bool(before.values_list("flagged", flat=True).first())
        declaration, _created = Declaration.objects.update_or_create(
            employee=employee,
            date=day,
            defaults=values,
            create_defaults={**values, "created_at": now},
        )
        decided = WfhSuggestion.objects.filter(declaration=declaration).exists()
        if flagged and not was_flagged and not decided:
            _suggest(employee, day, declaration=declaration)
        elif was_flagged and not flagged:
            WfhSuggestion.objects.filter(
                declaration=declaration, status=SuggestionStatus.PENDING
            ).delete()
    return declaration


# --- test results --------------------------------------------------------------------


def health_test_record(
    *,
    user: User,
    employee: Employee,
    kind: str,
    taken_on: dt.date,
    result: str,
    document: Any = None,
) -> HealthTest:
    """A test result, entered by the employee (with its document) or by HR (document
    optional). 403 for anyone else; 422 for an unknown kind/result, a future date or a
    date over a year back, or a document that is not a real PDF/JPEG/PNG; 413 over 5 MB.
    A positive result tells the unit head and suggests WFH."""
    scope = scope_for(user)
    own = scope.employee_id == employee.pk
    if not own and not (scope.has_role(Role.HR_ADMIN) and scope.agency_id == employee.agency_id):
        raise Forbidden(_("Only the employee and HR enter test results."))
    _check_test(kind, taken_on, result, selectors.employee_today(employee))
    if own and document is None:
        raise _invalid({"document": "required"}, _("Attach the result document."))
    stored = ""
    if document is not None:
        data, extension = document_content(document)
        stored = document_store(data, extension)
    try:
        with transaction.atomic():
            test = HealthTest.objects.create(
                employee=employee,
                kind=kind,
                taken_on=taken_on,
                result=result,
                document=stored,
                document_type=CONTENT_TYPES[stored.rsplit(".", 1)[-1]] if stored else "",
                document_size=len(data) if stored else 0,
                entered_by=user,
                entered_at=clock.now(),
            )
            if result == TestResult.POSITIVE:
                _suggest(employee, taken_on, test=test)
    except Exception:
        document_delete(stored)
        raise
    return test


def _check_test(kind: str, taken_on: dt.date, result: str, today: dt.date) -> None:
    problems = {}
    if kind not in TestKind.values:
        problems["kind"] = "antigen or pcr"
    if result not in TestResult.values:
        problems["result"] = "negative, positive or invalid"
    if taken_on > today or taken_on < today - dt.timedelta(days=TEST_HISTORY_DAYS):
        problems["taken_on"] = "not in the future, at most a year back"
    if problems:
        raise _invalid(problems)


# --- WFH suggestions -----------------------------------------------------------------


def _working_days_after(employee: Employee, day: dt.date, today: dt.date, count: int):
    start = max(day + dt.timedelta(days=1), today)
    candidates = [start + dt.timedelta(days=n) for n in range(count * 3 + 10)]
    return [d for d in candidates if employee_day_schedule(employee=employee, day=d).working]


def _suggest(employee: Employee, day: dt.date, **cause: Any) -> WfhSuggestion:
    settings = health_settings(employee.agency)
    today = selectors.employee_today(employee)
    days = rules.wfh_suggestion_days(
        event_day=day,
        today=today,
        working_days=_working_days_after(employee, day, today, settings.wfh_days),
        count=settings.wfh_days,
    )
    suggestion = WfhSuggestion.objects.create(
        employee=employee, days=[d.isoformat() for d in days], created_at=clock.now(), **cause
    )
    what = _("a positive test") if "test" in cause else _("a flagged health declaration")
    for user_id in _notice_user_ids(employee):
        notify(
            user_id=user_id,
            kind="health_flag",
            title=_("Health notice: %(name)s") % {"name": employee.name},
            body=_("%(what)s was recorded; WFH is suggested for the next %(n)d working days.")
            % {"what": what, "n": len(days)},
            url=UNIT_PAGE,
        )
    return suggestion


def _notice_user_ids(employee: Employee) -> list[int]:
    """The unit head above the person (see rules.notice_recipient), else HR."""
    units = Unit.objects.filter(agency_id=employee.agency_id).values_list(
        "id", "parent_id", "head_id", "head__user_id"
    )
    parent_of, head_of, user_of = {}, {}, {}
    for unit_id, parent_id, head_id, user_id in units:
        parent_of[unit_id] = parent_id
        if head_id is not None:
            head_of[unit_id] = head_id
            user_of[head_id] = user_id
    head = rules.notice_recipient(
        unit_id=employee.unit_id, employee_id=employee.pk, parent_of=parent_of, head_of=head_of
    )
    if head is not None and user_of.get(head) is not None:
        return [user_of[head]]
    return selectors.hr_user_ids(employee.agency_id)


def _decidable(user: User, suggestion_id: int) -> WfhSuggestion:
    found = selectors.suggestion_visible(user=user, suggestion_id=suggestion_id)
    if found is None:
        raise NotFound()
    return found


def suggestion_accept(*, user: User, suggestion_id: int) -> WfhSuggestion:
    """Plan WFH on the suggested days that are not past (roster_set, mode WFH, override
    reason "health" where the unit's rules would be broken); days a request covers or
    that are no longer working days are left as they are. A decided suggestion is
    returned unchanged (a second click changes nothing)."""
    _decidable(user, suggestion_id)
    with transaction.atomic():
        suggestion = WfhSuggestion.objects.select_for_update().get(pk=suggestion_id)
        if suggestion.status != SuggestionStatus.PENDING:
            return suggestion
        employee = Employee.objects.select_related("unit", "agency").get(pk=suggestion.employee_id)
        today = selectors.employee_today(employee)
        applied = []
        for day in sorted(dt.date.fromisoformat(d) for d in suggestion.days):
            if day < today:
                continue
            try:
                roster_set(
                    user=user,
                    employee=employee,
                    day=day,
                    mode=Mode.WFH,
                    override_reason=HEALTH_OVERRIDE,
                )
            except (Conflict, InvalidInput):
                continue
            applied.append(day.isoformat())
        _decide(suggestion, user, SuggestionStatus.ACCEPTED, applied)
        if applied:
            notify(
                user_id=employee.user_id,
                kind="health_wfh",
                title=str(_("WFH planned for you")),
                body=_("Your unit head planned work from home on: %(days)s.")
                % {"days": ", ".join(applied)},
                url="/jadwal/",
            )
    return suggestion


def suggestion_dismiss(*, user: User, suggestion_id: int) -> WfhSuggestion:
    """Leave the roster as it is. A decided suggestion is returned unchanged."""
    _decidable(user, suggestion_id)
    with transaction.atomic():
        suggestion = WfhSuggestion.objects.select_for_update().get(pk=suggestion_id)
        if suggestion.status == SuggestionStatus.PENDING:
            _decide(suggestion, user, SuggestionStatus.DISMISSED, [])
    return suggestion


def _decide(suggestion: WfhSuggestion, user: User, status: str, applied: list[str]) -> None:
    suggestion.status = status
    suggestion.applied_days = applied
    suggestion.decided_by = user
    suggestion.decided_at = clock.now()
    suggestion.save(update_fields=["status", "applied_days", "decided_by", "decided_at"])


# --- reminders -----------------------------------------------------------------------


def screening_reminders_send(*, agency: Agency, today: dt.date | None = None) -> int:
    """Remind front-line staff of a test due soon or overdue; each reminder once (the
    daily job may run again). Returns how many were sent."""
    today = today or clock.today(agency.time_zone)
    rows = selectors.screening_rows(
        agency=agency, employees=Employee.objects.filter(agency=agency), today=today
    )
    wanted: dict[int, tuple[selectors.ScreeningRow, str]] = {}
    for row in rows:
        key = rules.reminder_key(row.status)
        if key is not None:
            wanted[row.employee.pk] = (row, key)
    sent = set(
        ScreeningReminder.objects.filter(employee_id__in=wanted).values_list("employee_id", "key")
    )
    new = [(pk, row, key) for pk, (row, key) in wanted.items() if (pk, key) not in sent]
    with transaction.atomic():
        ScreeningReminder.objects.bulk_create(
            [ScreeningReminder(employee_id=pk, key=key, sent_on=today) for pk, _row, key in new],
            ignore_conflicts=True,
        )
        for _pk, row, _key in new:
            notify(
                user_id=row.employee.user_id,
                kind="health_test_due",
                title=_reminder_title(row.status),
                body="",
                url="/kesehatan/",
            )
    return len(new)


def _reminder_title(status: rules.ScreeningStatus) -> Any:
    if status.state is rules.ScreeningState.DUE_SOON and status.due_on is not None:
        return _("Your periodic health test is due on %(day)s.") % {
            "day": f"{status.due_on:%d-%m-%Y}"
        }
    if status.due_on is None:
        return _("A periodic health test is required of you: none is on record.")
    return _("Your periodic health test is overdue (due on %(day)s).") % {
        "day": f"{status.due_on:%d-%m-%Y}"
    }
