"""Attendance at a session (check-ins, the unit head's marks), the pre-fill at the cut-off,
confirmations and logged corrections."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sigap.attendance.models import CheckIn, Kind, Review
from sigap.core import clock
from sigap.core.exceptions import Conflict, Forbidden, InvalidInput
from sigap.core.geo import GeoError, Point
from sigap.core.notifications import notify
from sigap.core.signals import day_facts_changed
from sigap.org.models import Employee, Unit
from sigap.org.selectors import Scope
from sigap.rollcall import rules, selectors
from sigap.rollcall.models import (
    Participation,
    ParticipationSource,
    PlaceKind,
    Rollcall,
    UnitReport,
    UnitReportCorrection,
    session_bounds,
)

# --- attendance at the session ----------------------------------------------------------


def _place_of(rollcall: Rollcall) -> rules.Place | None:
    if rollcall.place_kind == PlaceKind.OFFICE and rollcall.office is not None:
        office = rollcall.office
        polygon = tuple(tuple(p) for p in office.polygon) if office.polygon else None
        return rules.Place(office.latitude, office.longitude, office.radius_m, polygon)
    if rollcall.place_kind == PlaceKind.POINT and rollcall.latitude is not None:
        return rules.Place(rollcall.latitude, rollcall.longitude, rollcall.radius_m)
    return None


def _inside(event: CheckIn, rollcall: Rollcall, place: rules.Place | None) -> bool:
    if rollcall.place_kind == PlaceKind.OWN_OFFICES:
        return event.place_kind == "office" and event.inside
    if place is None:
        return False
    try:
        return rules.inside_place(Point(event.latitude, event.longitude), place)
    except GeoError:
        return False


def participations_from_check_ins(*, rollcall: Rollcall) -> int:
    """Scan the session's check-ins once; each one that counts makes its author present
    (the unit head's marks are kept). Returns the number of people made present."""
    if rollcall.virtual:
        return 0
    start, cutoff = session_bounds(rollcall)
    opens, closes = rules.window(start, cutoff)
    events = (
        CheckIn.objects.filter(
            employee__agency_id=rollcall.agency_id,
            work_date=rollcall.date,
            kind=Kind.IN,
            recorded_at__range=(opens, closes),
        )
        .exclude(review=Review.REJECTED)
        .only("id", "employee_id", "recorded_at", "latitude", "longitude", "inside", "place_kind")
        .order_by("recorded_at")
    )
    place = _place_of(rollcall)
    first: dict[int, CheckIn] = {}
    for event in events:
        counts = rules.check_in_counts(
            at=event.recorded_at,
            start=start,
            cutoff=cutoff,
            inside=_inside(event, rollcall, place),
            accepted=True,
        )
        if counts:
            first.setdefault(event.employee_id, event)
    return _store_present(rollcall, first)


def _store_present(rollcall: Rollcall, first: dict[int, CheckIn]) -> int:
    existing = {
        p.employee_id: p
        for p in Participation.objects.filter(rollcall=rollcall, employee_id__in=first)
    }
    new, changed = [], []
    for employee_id, event in first.items():
        row = existing.get(employee_id)
        if row is None:
            new.append(
                Participation(
                    rollcall=rollcall,
                    employee_id=employee_id,
                    present=True,
                    source=ParticipationSource.CHECK_IN,
                    at=event.recorded_at,
                    check_in=event,
                )
            )
        elif row.source == ParticipationSource.MISSED:
            row.present, row.source, row.at, row.check_in = (
                True,
                "check_in",
                event.recorded_at,
                event,
            )
            changed.append(row)
    Participation.objects.bulk_create(new)
    Participation.objects.bulk_update(changed, ["present", "source", "at", "check_in"])
    return len(new) + len(changed)


def participation_mark(
    *, rollcall: Rollcall, employee: Employee, present: bool, by: Employee, scope: Scope
) -> Participation:
    """The unit head marks one of their people present or absent (virtual sessions, or a
    physical one the person attended without a usable check-in)."""
    if employee.unit_id not in scope.unit_ids or employee.pk == by.pk:
        raise Forbidden(_("You may mark only the people of your unit."))
    now = clock.now()
    with transaction.atomic():
        row, _created = Participation.objects.update_or_create(
            rollcall=rollcall,
            employee=employee,
            defaults={
                "present": present,
                "source": ParticipationSource.MARKED,
                "at": now,
                "marked_by": by,
                "check_in": None,
            },
        )
        if rollcall.prefilled_at is not None:
            _write_reports(rollcall, selectors.opd_numbers(rollcall), now)
    day_facts_changed.send(sender=Participation, employee_id=employee.pk, date=rollcall.date)
    return row


# --- the OPD reports ------------------------------------------------------------------


def rollcall_prefill(*, rollcall: Rollcall) -> int:
    """At the cut-off: attendance from check-ins, every OPD's numbers (confirmed reports
    are left alone) and a `missed` row for each person absent without a reason. Before the
    cut-off (HR's "pre-fill now") the numbers are provisional and nobody is missed yet."""
    now = clock.now()
    with transaction.atomic():
        participations_from_check_ins(rollcall=rollcall)
        numbers = selectors.opd_numbers(rollcall)
        written = _write_reports(rollcall, numbers, now)
        after_cutoff = now >= session_bounds(rollcall)[1]
        Participation.objects.bulk_create(
            [
                Participation(
                    rollcall=rollcall,
                    employee_id=employee_id,
                    present=False,
                    source=ParticipationSource.MISSED,
                    at=now,
                )
                for n in numbers.values()
                for employee_id in n.missed
                if after_cutoff  # before it, nobody has missed anything yet
            ],
            ignore_conflicts=True,
        )
        first_time = rollcall.prefilled_at is None
        rollcall.prefilled_at = now
        rollcall.save(update_fields=["prefilled_at"])
        if first_time:
            _tell_heads(rollcall)
    return written


def _write_reports(rollcall: Rollcall, numbers: dict, now: dt.datetime) -> int:
    reports = {r.unit_id: r for r in UnitReport.objects.filter(rollcall=rollcall)}
    new, changed = [], []
    for unit in selectors.opds(rollcall.agency_id):
        n = numbers.get(unit.pk) or selectors.Numbers()
        values = {"expected": n.expected, "present": n.present, "absent_by_reason": n.absent}
        report = reports.get(unit.pk)
        if report is None:
            new.append(
                UnitReport(
                    rollcall=rollcall,
                    unit=unit,
                    prefilled_at=now,
                    rule_version=rules.RULE_VERSION,
                    **values,
                )
            )
        elif report.confirmed_at is None:
            for name, value in values.items():
                setattr(report, name, value)
            report.prefilled_at = now
            changed.append(report)
    UnitReport.objects.bulk_create(new)
    UnitReport.objects.bulk_update(
        changed, ["expected", "present", "absent_by_reason", "prefilled_at"]
    )
    return len(new) + len(changed)


def _tell_heads(rollcall: Rollcall) -> None:
    for unit in selectors.opds(rollcall.agency_id):
        if unit.head is not None:
            notify(
                user_id=unit.head.user_id,
                kind="rollcall",
                title=_("Confirm your OPD's roll-call report"),
                body=f"{rollcall.title} {rollcall.date:%d-%m-%Y}",
                url=f"/apel/{rollcall.pk}/",
            )


def _report(rollcall: Rollcall, unit: Unit) -> UnitReport:
    report = UnitReport.objects.select_for_update().filter(rollcall=rollcall, unit=unit).first()
    if report is None:
        raise Conflict(
            _("The report is pre-filled at the cut-off; confirm it after that."),
            code="not_prefilled",
        )
    return report


def unit_report_confirm(
    *, rollcall: Rollcall, unit: Unit, by: Employee, note: str = ""
) -> UnitReport:
    with transaction.atomic():
        report = _report(rollcall, unit)
        report.confirmed_by, report.confirmed_at, report.note = by, clock.now(), note.strip()
        report.save(update_fields=["confirmed_by", "confirmed_at", "note"])
    return report


def unit_report_correct(
    *,
    rollcall: Rollcall,
    unit: Unit,
    by: Employee,
    present: Any,
    absent_by_reason: dict[str, Any],
    reason: str,
) -> UnitReport:
    """Change the numbers (expected stays), logged with the reason; this also confirms."""
    with transaction.atomic():
        report = _report(rollcall, unit)
        problems = rules.numbers_problems(
            expected=report.expected, present=present, absent=absent_by_reason
        )
        if not reason.strip():
            problems["reason"] = [_("Give the reason for the correction.")]
        if problems:
            raise InvalidInput(detail={"fields": problems})
        now = clock.now()
        UnitReportCorrection.objects.create(
            report=report,
            by=by,
            at=now,
            reason=reason.strip(),
            old={"present": report.present, "absent_by_reason": report.absent_by_reason},
            new={"present": present, "absent_by_reason": dict(absent_by_reason)},
        )
        report.present, report.absent_by_reason = present, dict(absent_by_reason)
        report.corrected, report.confirmed_by, report.confirmed_at = True, by, now
        report.save(update_fields=[*CORRECTED_FIELDS])
    return report


CORRECTED_FIELDS = ("present", "absent_by_reason", "corrected", "confirmed_by", "confirmed_at")
