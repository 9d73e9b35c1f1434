"""Surprise inspections (sidak): an inspector (or an HR admin) opens an inspection of a unit
(with its subtree) at a time, ticks who is physically there and saves; closing freezes it.

Each active employee of the unit is compared with their latest counted check-in of that
day before the inspection time (`status_at`): checked in for WFO and not yet out, they are
expected there; WFH/WFA/DL or already checked out, they are not; no check-in at all, they
are not expected either. The finding (`inspection_finding`):
- expected but not there -> `absent_checked_in`; when the inspection is closed the
  check-in gets the risk reason "absent_at_inspection", its score is recomputed over its
  stored reasons plus this one and it goes to review (the inspector's queue);
- there without a check-in -> `present_no_check_in` (for HR to follow up);
- not there and no check-in -> `absent`; everything else -> `ok`.
Saving can be repeated while the inspection is open (the last save counts); the check-ins
are flagged once, when it is closed.

Who: inspectors and HR admins of the agency; others get Forbidden; a unit or an
inspection of another agency is NotFound.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import models, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sigap.attendance.models import CheckIn, Kind, Review, WorkMode
from sigap.attendance.services import attendance_day_recompute
from sigap.core import clock
from sigap.core.exceptions import Conflict, Forbidden, InvalidInput, NotFound
from sigap.core.models import User
from sigap.org.models import Employee, Role, Unit
from sigap.org.rules import subtree
from sigap.org.selectors import Scope, office_map, unit_children_map
from sigap.verification import rules
from sigap.verification.models import Finding, Inspection, InspectionEntry

INSPECT_ROLES = frozenset({Role.INSPECTOR, Role.HR_ADMIN})
ABSENT_REASON = "absent_at_inspection"
REVIEW_REASON = "verification"
FUTURE_SLACK = dt.timedelta(minutes=5)


class AtInspection(models.TextChoices):
    """Where an employee's check-ins put them at the inspection time."""

    WFO_IN = "wfo_in", _("checked in at the office")
    CHECKED_OUT = "checked_out", _("already checked out")
    WFH = "wfh", _("checked in working from home")
    WFA = "wfa", _("checked in working from anywhere")
    DL = "dl", _("checked in on official travel")
    NONE = "none", _("no check-in")


_MODE_STATUS: dict[str, AtInspection] = {
    WorkMode.WFO: AtInspection.WFO_IN,
    WorkMode.WFH: AtInspection.WFH,
    WorkMode.WFA: AtInspection.WFA,
    WorkMode.DL: AtInspection.DL,
}


def status_at(latest: CheckIn | None) -> AtInspection:
    """The status given by the latest counted check-in before the inspection."""
    if latest is None:
        return AtInspection.NONE
    if latest.kind == Kind.OUT:
        return AtInspection.CHECKED_OUT
    return _MODE_STATUS.get(latest.mode, AtInspection.WFA)


def inspection_finding(status: str, present: bool) -> Finding:
    if status == AtInspection.WFO_IN:
        return Finding.OK if present else Finding.ABSENT_BUT_CHECKED_IN
    if status == AtInspection.NONE:
        return Finding.PRESENT_WITHOUT_CHECK_IN if present else Finding.ABSENT
    return Finding.OK


# --- who may inspect ----------------------------------------------------------------------


def may_inspect(scope: Scope) -> bool:
    return scope.agency_id is not None and bool(scope.roles & INSPECT_ROLES)


def _agency_of(scope: Scope) -> int:
    if not may_inspect(scope):
        raise Forbidden()
    assert scope.agency_id is not None
    return scope.agency_id


def inspection_units(scope: Scope) -> list[Unit]:
    if not may_inspect(scope):
        return []
    units = Unit.objects.filter(agency_id=_agency_of(scope), active=True)
    return list(units.only("pk", "name", "code").order_by("name", "pk"))


def inspection_unit(*, scope: Scope, unit_id: int) -> Unit:
    agency_id = _agency_of(scope)
    unit = (
        Unit.objects.select_related("agency")
        .filter(pk=unit_id, agency_id=agency_id, active=True)
        .first()
    )
    if unit is None:
        raise NotFound(_("No such unit."))
    return unit


def inspections_visible(*, scope: Scope) -> QuerySet[Inspection]:
    """The agency's inspections, newest first, with their counts of findings."""
    agency_id = _agency_of(scope)
    counts = {
        f"n_{finding.value}": Count("entries", filter=Q(entries__finding=finding))
        for finding in (Finding.ABSENT_BUT_CHECKED_IN, Finding.PRESENT_WITHOUT_CHECK_IN)
    }
    return (
        Inspection.objects.filter(agency_id=agency_id)
        .select_related("unit", "inspector", "inspector__employee")
        .annotate(n_entries=Count("entries"), **counts)
        .order_by("-at", "-pk")
    )


def inspection_visible(*, scope: Scope, inspection_id: int) -> Inspection:
    agency_id = _agency_of(scope)
    inspection = (
        Inspection.objects.select_related(
            "unit", "unit__agency", "agency", "inspector", "inspector__employee"
        )
        .filter(pk=inspection_id, agency_id=agency_id)
        .first()
    )
    if inspection is None:
        raise NotFound(_("No such inspection."))
    return inspection


# --- who was expected ------------------------------------------------------------------


@dataclass
class Person:
    employee: Employee
    check_in: CheckIn | None
    status: AtInspection
    present: bool | None = None
    finding: str | None = None

    @property
    def expected(self) -> bool:
        return self.status == AtInspection.WFO_IN


def unit_zone(unit: Unit) -> ZoneInfo:
    """The time zone of the unit's office (else the agency's)."""
    offices = office_map(unit.agency_id)
    office_id = offices.by_unit.get(unit.pk)
    office = offices.by_office.get(office_id) if office_id is not None else None
    return ZoneInfo(office.time_zone if office else unit.agency.time_zone)


def inspection_zone(inspection: Inspection) -> ZoneInfo:
    return unit_zone(inspection.unit)


def inspection_day(inspection: Inspection) -> dt.date:
    return inspection.at.astimezone(inspection_zone(inspection)).date()


def people_at(inspection: Inspection) -> list[Person]:
    """The unit's (and subtree's) active employees with their check-in status at the
    inspection time (bounded: no query per employee)."""
    units = subtree(unit_children_map(inspection.agency_id), inspection.unit_id)
    staff = list(
        Employee.objects.filter(agency_id=inspection.agency_id, unit_id__in=units, active=True)
        .select_related("unit")
        .order_by("unit__name", "name", "pk")
    )
    latest: dict[int, CheckIn] = {}
    events = (
        CheckIn.objects.filter(
            employee_id__in=[e.pk for e in staff],
            work_date=inspection_day(inspection),
            recorded_at__lte=inspection.at,
        )
        .exclude(review=Review.REJECTED)
        .order_by("recorded_at", "pk")
    )
    for event in events:
        latest[event.employee_id] = event
    return [Person(e, latest.get(e.pk), status_at(latest.get(e.pk))) for e in staff]


def inspection_people(inspection: Inspection) -> list[Person]:
    """While open: everyone now in the unit, with what was saved; closed: what was saved."""
    saved = {
        entry.employee_id: entry
        for entry in InspectionEntry.objects.filter(inspection=inspection).select_related(
            "employee", "employee__unit", "check_in"
        )
    }
    if inspection.closed_at is not None:
        people = [
            Person(e.employee, e.check_in, status_at(e.check_in), e.present, e.finding)
            for e in saved.values()
        ]
        return sorted(people, key=lambda p: (p.employee.unit.name, p.employee.name, p.employee.pk))
    people = people_at(inspection)
    for person in people:
        entry = saved.get(person.employee.pk)
        if entry is not None:
            person.present, person.finding = entry.present, entry.finding
    return people


# --- open, record, close -------------------------------------------------------------------


def inspection_open(
    *, scope: Scope, by: User, unit_id: int, at: dt.datetime | None = None, note: str = ""
) -> Inspection:
    """Open an inspection of a unit at `at` (default now; a naive time is read in the
    unit's office zone)."""
    unit = inspection_unit(scope=scope, unit_id=unit_id)
    now = clock.now()
    when = at or now
    if when.tzinfo is None:
        when = when.replace(tzinfo=unit_zone(unit))
    if when > now + FUTURE_SLACK:
        raise InvalidInput(
            _("An inspection cannot be in the future."), detail={"fields": {"at": ["future"]}}
        )
    inspection = Inspection(
        agency_id=unit.agency_id,
        unit=unit,
        at=when,
        note=(note or "").strip()[:2000],
        inspector=by,
        created_at=now,
    )
    inspection.full_clean(exclude=["agency", "unit", "inspector", "note"])
    inspection.save(force_insert=True)
    return inspection


def _locked_open(inspection: Inspection) -> Inspection:
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if locked.closed_at is not None:
        raise Conflict(_("This inspection is closed."), code="inspection_closed")
    return locked


def inspection_record(*, inspection: Inspection, present: Iterable[int]) -> list[Person]:
    """Save who is there (employee ids; anyone else of the unit is not) and the findings."""
    there = set(present)
    with transaction.atomic():
        _locked_open(inspection)
        people = people_at(inspection)
        for person in people:
            person.present = person.employee.pk in there
            person.finding = inspection_finding(person.status, person.present)
        InspectionEntry.objects.filter(inspection=inspection).delete()
        InspectionEntry.objects.bulk_create(
            InspectionEntry(
                inspection=inspection,
                employee=person.employee,
                present=bool(person.present),
                check_in=person.check_in,
                finding=person.finding or Finding.OK,
            )
            for person in people
        )
    return people


def inspection_close(*, inspection: Inspection) -> Inspection:
    """Freeze the inspection and send the check-ins of the absent to review."""
    with transaction.atomic():
        locked = _locked_open(inspection)
        entries = InspectionEntry.objects.filter(inspection=locked)
        if not entries.exists():
            raise Conflict(
                _("Save who is there before closing the inspection."), code="not_recorded"
            )
        absent = entries.filter(
            finding=Finding.ABSENT_BUT_CHECKED_IN, check_in__isnull=False
        ).select_related("check_in__employee")
        for entry in absent:
            assert entry.check_in is not None
            check_in_flag_absent(check_in=entry.check_in)
        locked.closed_at = clock.now()
        locked.save(update_fields=["closed_at"])
    inspection.closed_at = locked.closed_at
    return locked


def check_in_flag_absent(*, check_in: CheckIn) -> CheckIn:
    """Add "absent_at_inspection" to a check-in, recompute its score, send it to review."""
    locked = CheckIn.objects.select_for_update().get(pk=check_in.pk)
    if locked.review == Review.REJECTED:
        return locked  # voided already: it does not count
    codes = list(locked.risk_reasons)
    if ABSENT_REASON not in codes:
        codes.append(ABSENT_REASON)
    locked.risk_reasons = codes
    locked.risk_score = rules.risk_score(rules.Reason(code) for code in codes)
    locked.review = Review.PENDING
    if REVIEW_REASON not in locked.review_reasons:
        locked.review_reasons = [*locked.review_reasons, REVIEW_REASON]
    locked.save(update_fields=["risk_reasons", "risk_score", "review", "review_reasons"])
    attendance_day_recompute(employee=check_in.employee, date=locked.work_date)
    return locked
