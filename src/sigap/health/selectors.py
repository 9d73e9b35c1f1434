"""Read queries of the health watch, scoped.

Who sees what (DOMAIN.md sections 9 and 10): everyone sees their own health data; the
individual declarations, temperatures, test results and documents of someone else only
the head of that person's unit subtree and HR (`sees_details`); leaders, inspectors and
other unit viewers see counts per unit (`unit_counts`), never a person's data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sigap.core import clock
from sigap.core.exceptions import Forbidden, NotFound
from sigap.core.models import User
from sigap.health import rules
from sigap.health.models import Declaration, HealthTest, SuggestionStatus, TestResult, WfhSuggestion
from sigap.health.settings import health_settings
from sigap.org import rules as org_rules
from sigap.org.models import Agency, Employee, Role, RoleAssignment, Unit
from sigap.org.selectors import Scope, scope_for, unit_children_map
from sigap.worktime.selectors import employee_zone

POSITIVE_WINDOW_DAYS = 14  # "positive in the last N days" on the dashboard


def employee_today(employee: Employee) -> dt.date:
    """Today in the employee's office time zone (the date a declaration is made for)."""
    return clock.today(employee_zone(employee))


def agency_today(agency: Agency) -> dt.date:
    return clock.today(agency.time_zone)


def declaration_of(*, employee: Employee, day: dt.date) -> Declaration | None:
    return Declaration.objects.filter(employee=employee, date=day).first()


@dataclass(frozen=True)
class CheckInGate:
    """What the phone page needs: is a declaration asked for, made, and does it hold
    the check-in back (only when the agency requires it)."""

    requirement: rules.Requirement
    today: dt.date
    declaration: Declaration | None

    @property
    def offered(self) -> bool:
        return self.requirement is not rules.Requirement.OFF

    @property
    def blocks_check_in(self) -> bool:
        return self.requirement is rules.Requirement.REQUIRED and self.declaration is None


def check_in_gate(*, employee: Employee) -> CheckInGate:
    settings = health_settings(employee.agency)
    today = employee_today(employee)
    declared = (
        declaration_of(employee=employee, day=today)
        if settings.declaration is not rules.Requirement.OFF
        else None
    )
    return CheckInGate(settings.declaration, today, declared)


# --- who sees a person's health data -----------------------------------------------


def sees_details(scope: Scope, employee: Employee) -> bool:
    """The person themselves, HR of their agency, the head of their unit subtree."""
    if employee.pk == scope.employee_id:
        return True
    if scope.has_role(Role.HR_ADMIN) and scope.agency_id == employee.agency_id:
        return True
    return employee.unit_id in scope.unit_ids


def detail_employees(scope: Scope) -> QuerySet[Employee]:
    """Everyone whose individual health data the viewer may see (besides themselves)."""
    qs = Employee.objects.filter(active=True)
    if scope.has_role(Role.HR_ADMIN) and scope.agency_id is not None:
        return qs.filter(agency_id=scope.agency_id)
    if scope.unit_ids:
        return qs.filter(unit_id__in=scope.unit_ids)
    return qs.none()


def is_health_manager(scope: Scope) -> bool:
    """Unit heads and HR: they act on flags, suggestions and overdue tests."""
    return bool(scope.unit_ids) or (scope.has_role(Role.HR_ADMIN) and scope.agency_id is not None)


def health_detail_access(*, user: User, nip: str) -> Employee:
    """The employee with `nip` whose health data the viewer may see: 404 when they are
    outside the viewer's scope (or unknown), 403 when in scope but not theirs to see (a
    direct supervisor, a leader, an inspector)."""
    scope = scope_for(user)
    employee = (
        scope.employees().select_related("unit", "agency", "position").filter(nip=nip).first()
    )
    if employee is None:
        raise NotFound(_("No employee with that NIP in your scope."))
    if not sees_details(scope, employee):
        raise Forbidden(_("Only the unit head and HR see a person's health data."))
    return employee


def health_test_visible(*, user: User, test_id: int) -> HealthTest | None:
    """A test (with its document) for its owner, their unit head and HR; else None."""
    test = HealthTest.objects.select_related("employee").filter(pk=test_id).first()
    if test is None or not sees_details(scope_for(user), test.employee):
        return None
    return test


def suggestion_visible(*, user: User, suggestion_id: int) -> WfhSuggestion | None:
    found = (
        WfhSuggestion.objects.select_related("employee__unit", "declaration", "test")
        .filter(pk=suggestion_id)
        .first()
    )
    if found is None:
        return None
    scope = scope_for(user)
    if found.employee_id == scope.employee_id or not sees_details(scope, found.employee):
        return None
    return found


# --- front-line staff and their tests ----------------------------------------------


def front_line(*, agency: Agency, employees: QuerySet[Employee] | None = None):
    """The agency's front-line employees (active): in a marked unit or below it, or, when
    the agency says so, in a direct-public-service position."""
    settings = health_settings(agency)
    base = employees if employees is not None else Employee.objects.filter(agency=agency)
    base = base.filter(active=True, agency=agency)
    condition = Q(pk__in=[])
    if settings.front_line_units:
        marked = set(
            Unit.objects.filter(agency=agency, code__in=settings.front_line_units).values_list(
                "id", flat=True
            )
        )
        children = unit_children_map(agency.pk)
        unit_ids: set[int] = set()
        for unit_id in marked:
            unit_ids |= org_rules.subtree(children, unit_id)
        condition |= Q(unit_id__in=unit_ids)
    if settings.public_service_positions:
        condition |= Q(position__public_service=True)
    return base.filter(condition)


@dataclass(frozen=True)
class ScreeningRow:
    employee: Employee
    status: rules.ScreeningStatus


def screening_rows(
    *, agency: Agency, employees: QuerySet[Employee], today: dt.date
) -> list[ScreeningRow]:
    """Each front-line employee among `employees` with where they stand (one query)."""
    settings = health_settings(agency)
    people = (
        front_line(agency=agency, employees=employees)
        .select_related("unit")
        .annotate(last_test=Max("health_tests__taken_on"))
        .order_by("unit__code", "name")
    )
    return [
        ScreeningRow(
            p,
            rules.screening_status(
                last_on=p.last_test,
                interval_days=settings.test_interval_days,
                lead_days=settings.reminder_lead_days,
                today=today,
            ),
        )
        for p in people
    ]


def overdue_staff(
    *, agency: Agency, employees: QuerySet[Employee], today: dt.date
) -> list[ScreeningRow]:
    rows = screening_rows(agency=agency, employees=employees, today=today)
    return [row for row in rows if rules.needs_test(row.status)]


def screening_of(employee: Employee, today: dt.date) -> rules.ScreeningStatus | None:
    """None: the employee is not front-line (no periodic tests)."""
    rows = screening_rows(
        agency=employee.agency, employees=Employee.objects.filter(pk=employee.pk), today=today
    )
    return rows[0].status if rows else None


def tests_of(*, employee: Employee) -> QuerySet[HealthTest]:
    return HealthTest.objects.filter(employee=employee).order_by("-taken_on", "-pk")


def declarations_of(*, employee: Employee, since: dt.date) -> QuerySet[Declaration]:
    return Declaration.objects.filter(employee=employee, date__gte=since).order_by("-date")


# --- the unit dashboard (counts) and the unit head's lists ---------------------------


@dataclass
class UnitCounts:
    unit: Unit
    headcount: int = 0
    declared: int = 0
    flagged: int = 0
    positive: int = 0
    overdue: int = 0


def dashboard_units(scope: Scope, parent: Unit | None) -> list[Unit]:
    """The rows of the dashboard: the children of `parent`, or the viewer's top units."""
    units = scope.units().filter(active=True).order_by("code")
    if parent is not None:
        return list(units.filter(parent=parent))
    if scope.whole_agency or scope.all_agencies:
        return list(units.filter(parent__isnull=True))
    return list(units.filter(pk__in=scope.headed_unit_ids))


def unit_counts(*, agency: Agency, units: Iterable[Unit], day: dt.date) -> list[UnitCounts]:
    """Counts over each unit's subtree: people, declared on `day`, flagged on `day`, people
    with a positive test in the last POSITIVE_WINDOW_DAYS days, front-line staff overdue.
    Five queries, whatever the number of units."""
    children = unit_children_map(agency.pk)
    rows = [UnitCounts(unit) for unit in units]
    trees = {row.unit.pk: org_rules.subtree(children, row.unit.pk) for row in rows}
    every = set().union(*trees.values()) if trees else set()
    people = Employee.objects.filter(agency=agency, active=True, unit_id__in=every)
    declared = Declaration.objects.filter(employee__in=people, date=day)
    positives = HealthTest.objects.filter(
        employee__in=people,
        result=TestResult.POSITIVE,
        taken_on__gt=day - dt.timedelta(days=POSITIVE_WINDOW_DAYS),
        taken_on__lte=day,
    )
    per_unit = {
        "headcount": _per_unit(people.values_list("unit_id", "id")),
        "declared": _per_unit(declared.values_list("employee__unit_id", "employee_id")),
        "flagged": _per_unit(
            declared.filter(flagged=True).values_list("employee__unit_id", "employee_id")
        ),
        "positive": _per_unit(positives.values_list("employee__unit_id", "employee_id")),
        "overdue": _per_unit(
            (row.employee.unit_id, row.employee.pk)
            for row in overdue_staff(agency=agency, employees=people, today=day)
        ),
    }
    for row in rows:
        for name, counts in per_unit.items():
            setattr(row, name, sum(counts.get(u, 0) for u in trees[row.unit.pk]))
    return rows


def _per_unit(pairs: Iterable[tuple[int, int]]) -> dict[int, int]:
    """(unit id, employee id) pairs -> distinct employees per unit."""
    people: dict[int, set[int]] = {}
    for unit_id, employee_id in pairs:
        people.setdefault(unit_id, set()).add(employee_id)
    return {unit_id: len(ids) for unit_id, ids in people.items()}


def flagged_declarations(*, employees: QuerySet[Employee], day: dt.date) -> list[Declaration]:
    return list(
        Declaration.objects.filter(employee__in=employees, date=day, flagged=True)
        .select_related("employee__unit")
        .order_by("employee__name")
    )


def recent_positives(*, employees: QuerySet[Employee], day: dt.date) -> list[HealthTest]:
    return list(
        HealthTest.objects.filter(
            employee__in=employees,
            result=TestResult.POSITIVE,
            taken_on__gt=day - dt.timedelta(days=POSITIVE_WINDOW_DAYS),
        )
        .select_related("employee__unit")
        .order_by("-taken_on")
    )


def pending_suggestions(*, employees: QuerySet[Employee]) -> list[WfhSuggestion]:
    return list(
        WfhSuggestion.objects.filter(employee__in=employees, status=SuggestionStatus.PENDING)
        .select_related("employee__unit", "declaration", "test")
        .order_by("created_at")
    )


def hr_user_ids(agency_id: int) -> list[int]:
    return list(
        RoleAssignment.objects.filter(agency_id=agency_id, role=Role.HR_ADMIN).values_list(
            "user_id", flat=True
        )
    )
