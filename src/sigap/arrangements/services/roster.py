"""Roster writes: manual edits by the unit head, recalls by the supervisor, absences from
approved requests. Every change is logged in RosterChange."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sigap.arrangements.grid import unit_grid
from sigap.arrangements.messages import problem_out
from sigap.arrangements.models import EntryReason, Mode, Room, RosterChange, RosterEntry
from sigap.core import clock
from sigap.core.exceptions import Conflict, Forbidden, InvalidInput
from sigap.core.models import User
from sigap.core.notifications import notify
from sigap.org.models import Employee
from sigap.org.selectors import Scope, scope_for
from sigap.worktime.selectors import employee_zone

EDITABLE_MODES = (Mode.WFO, Mode.WFH, Mode.WFA)


class RosterRefused(InvalidInput):
    """A roster change that breaks a rule (422 with the violations in detail)."""


def _log(employee, day, old, new, reason, note, user, now) -> None:
    RosterChange.objects.create(
        employee=employee,
        date=day,
        old_mode=old or "",
        new_mode=new or "",
        reason=reason,
        note=note[:300],
        changed_by=user,
        changed_at=now,
    )


def _today_for(employee: Employee) -> dt.date:
    return clock.today(employee_zone(employee))


def _require_head(scope: Scope, employee: Employee) -> None:
    """Unit heads (of the employee's unit subtree) and HR edit rosters; nobody else."""
    if scope.has_role("hr_admin") and scope.includes_employee(employee):
        return
    if employee.unit_id in scope.unit_ids:
        return
    raise Forbidden(_("Only the unit head or HR can change this employee's roster."))


def roster_set(
    *,
    user: User,
    employee: Employee,
    day: dt.date,
    mode: str,
    note: str = "",
    override_reason: str = "",
    room: Room | None = None,
) -> RosterEntry:
    """The unit head sets one day's mode (and, for WFO, optionally a room). A change that
    breaks the unit's quota, the seats, public-service staffing or the weekly cap is refused
    unless an override reason is given; a full room is refused outright."""
    _require_head(scope_for(user), employee)
    if mode not in EDITABLE_MODES:
        raise InvalidInput(
            _("Choose WFO, WFH or WFA; leave and travel come from approved requests."),
            code="invalid_mode",
        )
    if day < _today_for(employee):
        raise InvalidInput(_("Past days cannot be re-planned."), code="in_the_past")
    now = clock.now()
    with transaction.atomic():
        entry = RosterEntry.objects.select_for_update().filter(employee=employee, date=day).first()
        if entry is not None and entry.reason == EntryReason.REQUEST:
            raise Conflict(
                _("This day is covered by an approved request; cancel or change the request."),
                code="day_has_request",
            )
        grid = unit_grid(unit=employee.unit, start=day, end=day, with_subtree=False)
        if day not in grid.days:
            raise InvalidInput(_("That is not a working day of this unit."), code="not_working")
        problems = _new_violations(
            grid.violations_after(), grid.violations_after({(employee.pk, day): (mode, "manual")})
        )
        if problems and not override_reason.strip():
            raise RosterRefused(
                _("This change breaks the unit's rules; give a reason to override."),
                code="roster_violation",
                detail={"violations": [problem_out(p) for p in problems]},
            )
        if room is not None:
            _check_room(room, employee, day, mode)
        old = entry.mode if entry is not None else Mode.WFO
        entry = _upsert(
            employee,
            day,
            mode,
            EntryReason.MANUAL,
            user,
            now,
            room=room,
            note=note,
            override_reason=override_reason.strip() if problems else "",
        )
        _log(employee, day, old, mode, EntryReason.MANUAL, override_reason or note, user, now)
    return entry


def _problem_key(problem) -> tuple:
    return (problem.code, problem.day, problem.unit_id, problem.detail.get("person_id"))


def _new_violations(before: list, after: list) -> list:
    """What the change breaks: problems it adds, or counts it makes worse. A unit head
    may always improve a day that already breaks a rule."""
    known = {_problem_key(p): p for p in before}
    worse = []
    for problem in after:
        old = known.get(_problem_key(problem))
        if old is None or int(problem.detail.get("wfo", 0)) > int(old.detail.get("wfo", 0)):
            worse.append(problem)
    return worse


def _check_room(room: Room, employee: Employee, day: dt.date, mode: str) -> None:
    """A room is in the office: only for WFO, only in the employee's agency, never over its
    capacity on the day (locked, so two edits cannot both take the last place)."""
    if mode != Mode.WFO or room.office.agency_id != employee.agency_id:
        raise InvalidInput(_("A room can only be given for office days."), code="invalid_room")
    Room.objects.select_for_update().filter(pk=room.pk).first()
    taken = RosterEntry.objects.filter(room=room, date=day).exclude(employee=employee).count()
    if taken >= room.capacity:
        raise Conflict(
            _("%(room)s is full on that day (%(n)d places).")
            % {"room": room.name, "n": room.capacity},
            code="room_full",
        )


def _upsert(employee, day, mode, reason, user, now, **fields) -> RosterEntry:
    values = {
        "room": None,
        "mode": mode,
        "reason": reason,
        "changed_by": user,
        "changed_at": now,
        "absence_code": "",
        "request_ref": None,
        "destination": "",
        "destination_latitude": None,
        "destination_longitude": None,
        "note": "",
        "override_reason": "",
        **fields,
    }
    entry, _created = RosterEntry.objects.update_or_create(
        employee=employee, date=day, defaults=values
    )
    return entry


def roster_recall(*, user: User, employee: Employee, day: dt.date, note: str = "") -> RosterEntry:
    """The supervisor (or the unit head) recalls a remote worker to the office for a day."""
    scope = scope_for(user)
    if not (employee.supervisor_id == scope.employee_id or employee.unit_id in scope.unit_ids):
        raise Forbidden(_("Only the direct supervisor or the unit head can recall this employee."))
    if day < _today_for(employee):
        raise InvalidInput(_("A recall cannot be in the past."), code="in_the_past")
    now = clock.now()
    with transaction.atomic():
        entry = RosterEntry.objects.select_for_update().filter(employee=employee, date=day).first()
        if entry is None or entry.mode not in (Mode.WFH, Mode.WFA):
            raise Conflict(
                _("The employee is not planned to work remotely that day."), code="not_remote"
            )
        old = entry.mode
        entry = _upsert(employee, day, Mode.WFO, EntryReason.RECALL, user, now, note=note[:300])
        _log(employee, day, old, Mode.WFO, EntryReason.RECALL, note, user, now)
        notify(
            user_id=employee.user_id,
            kind="recall",
            title=_("You are recalled to the office on %(day)s") % {"day": f"{day:%d-%m-%Y}"},
            body=note,
            url="/presensi/",
        )
    return entry


def roster_apply_absence(
    *,
    employee: Employee,
    days: Iterable[dt.date],
    mode: str,
    code: str,
    request_ref: int,
    user: User | None,
    destination: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
) -> None:
    """An approved request plans its days: OFF with the absence code, or DL (travel)."""
    assert mode in (Mode.OFF, Mode.DL)
    now = clock.now()
    existing = {
        e.date: e.mode for e in RosterEntry.objects.filter(employee=employee, date__in=list(days))
    }
    for day in days:
        _upsert(
            employee,
            day,
            mode,
            EntryReason.REQUEST,
            user,
            now,
            absence_code=code if mode == Mode.OFF else "",
            request_ref=request_ref,
            destination=destination[:200],
            destination_latitude=latitude,
            destination_longitude=longitude,
        )
        _log(
            employee,
            day,
            existing.get(day, Mode.WFO),
            mode,
            EntryReason.REQUEST,
            code,
            user,
            now,
        )


def roster_release_absence(*, request_ref: int, user: User | None) -> None:
    """Remove the days an approved request had planned (the request was withdrawn)."""
    now = clock.now()
    for entry in RosterEntry.objects.filter(request_ref=request_ref, reason=EntryReason.REQUEST):
        _log(
            entry.employee,
            entry.date,
            entry.mode,
            Mode.WFO,
            EntryReason.REQUEST,
            "released",
            user,
            now,
        )
        entry.delete()
