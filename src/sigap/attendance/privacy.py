"""What attendance (and, below it, org and arrangements) holds of a person, registered with
sigap.privacy (imported by AttendanceConfig.ready):

- retention: "selfies" (a check-in's selfie file is deleted once its month has been locked
  `selfie_days` days; the check-in and the day stay), "refused_attempts" (refused check-ins
  of months locked `refused_days` days ago are deleted);
- subject export: profile (org), attendance days, check-ins (+ selfie files), refused
  attempts, requests with their steps (+ attachments), roster entries, flexible-work
  applications, notifications;
- breach categories: selfie, location, profile (contact data).

A month's retention clock starts the day after its clarification deadline (the month is
locked, its TPP final) or, when HR reopened it, the day HR closed it again; while it is
reopened it does not run (sigap.privacy.rules.month_lock_clock). A check-in belongs to its
local work date's month, as its attendance day does; a refused attempt to the local date
of its time in the employee's office zone."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.core.files.storage import default_storage
from django.db.models import Min, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sigap.arrangements.models import FlexibleWorkApplication, RosterEntry
from sigap.attendance.models import (
    AttendanceDay,
    AttendanceRequest,
    CheckIn,
    MonthReopening,
    RefusedCheckIn,
    RequestStep,
)
from sigap.attendance.requests import calendar
from sigap.attendance.requests.selectors import RequestSettings, agency_holidays
from sigap.core import clock
from sigap.core.models import Notification
from sigap.org.models import Agency, Employee
from sigap.org.selectors import office_map
from sigap.privacy import rules
from sigap.privacy.purge import files_delete_on_commit
from sigap.privacy.registry import (
    BreachCategory,
    PurgeCount,
    RetentionRule,
    SubjectSection,
    register_breach_category,
    register_retention,
    register_subject_section,
)

BATCH = 1000
Ranges = list[tuple[dt.date, dt.date]]

# --- month locks -------------------------------------------------------------------------


def month_lock_clocks(
    *, agency: Agency, since: dt.date, today: dt.date
) -> dict[tuple[int, int], dt.date | None]:
    """For each month from `since`'s to last month: the day its retention clock started,
    or None while it is not locked (three queries)."""
    months = [ym for ym in calendar.months_touched(since, today) if ym < (today.year, today.month)]
    if not months:
        return {}
    nth = RequestSettings.for_agency(agency).clarification_working_day
    end = today + dt.timedelta(days=62)
    holidays = agency_holidays(agency_id=agency.pk, start=dt.date(*months[0], 1), end=end)
    zone = ZoneInfo(agency.time_zone)
    reopenings: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    rows = MonthReopening.objects.filter(agency=agency, year__gte=months[0][0])
    for year, month, opened, closed in rows.values_list(
        "year", "month", "reopened_at", "closed_at"
    ):
        local_closed = closed.astimezone(zone).date() if closed is not None else None
        reopenings[(year, month)].append((opened.astimezone(zone).date(), local_closed))
    return {
        ym: rules.month_lock_clock(
            calendar.clarification_deadline(*ym, holidays=holidays, nth_working_day=nth),
            reopenings.get(ym, ()),
            today,
        )
        for ym in months
    }


def _due_ranges(agency: Agency, since: dt.date | None, days: int, today: dt.date) -> Ranges:
    if since is None:
        return []
    clocks = month_lock_clocks(agency=agency, since=since, today=today)
    return rules.month_ranges(rules.due_months(clocks, days, today))


def _date_q(field: str, ranges: Ranges) -> Q:
    condition = Q(pk__in=[])
    for first, last in ranges:
        condition |= Q(**{f"{field}__range": (first, last)})
    return condition


# --- retention: selfies ----------------------------------------------------------------------


def selfie_due_check_ins(*, agency: Agency, today: dt.date, days: int) -> QuerySet[CheckIn]:
    """The agency's check-ins whose month has been locked `days` days by `today` (with or
    without a selfie still stored): their selfies, and what was derived from them, go."""
    events = CheckIn.objects.filter(employee__agency=agency)
    since = events.aggregate(first=Min("work_date"))["first"]
    ranges = _due_ranges(agency, since, days, today)
    return events.filter(_date_q("work_date", ranges)) if ranges else events.none()


def _purge_selfies(agency: Agency, today: dt.date, settings, dry_run: bool) -> PurgeCount:
    due = selfie_due_check_ins(agency=agency, today=today, days=settings.selfie_days)
    rows = list(due.exclude(selfie="").values_list("pk", "selfie"))
    names = {name for _pk, name in rows}
    if dry_run or not rows:
        return PurgeCount(len(rows), len(names))
    now = clock.now()
    for start in range(0, len(rows), BATCH):
        ids = [pk for pk, _name in rows[start : start + BATCH]]
        CheckIn.objects.filter(pk__in=ids).update(selfie="", selfie_deleted_at=now)
    return PurgeCount(len(rows), files_delete_on_commit(names))


# --- retention: refused attempts -------------------------------------------------------------


def _zones(agency: Agency, employee_ids: Iterable[int]) -> dict[int, ZoneInfo]:
    """Each employee's office zone (the agency's when no office serves them)."""
    offices = office_map(agency.pk)
    rows = Employee.objects.filter(pk__in=set(employee_ids)).values_list(
        "pk", "office_id", "unit_id"
    )
    zones = {}
    for pk, office_id, unit_id in rows:
        office = offices.by_office.get(office_id or offices.by_unit.get(unit_id, 0))
        zones[pk] = ZoneInfo(office.time_zone if office is not None else agency.time_zone)
    return zones


def refused_due_ids(*, agency: Agency, today: dt.date, days: int) -> list[int]:
    """The refused attempts whose local month has been locked `days` days by `today`."""
    attempts = RefusedCheckIn.objects.filter(employee__agency=agency)
    first = attempts.aggregate(first=Min("at"))["first"]
    since = first.date() - dt.timedelta(days=1) if first is not None else None
    ranges = _due_ranges(agency, since, days, today)
    if not ranges:
        return []
    near = Q(pk__in=[])
    for low, high in ranges:  # a day's margin either side: the exact zone is checked below
        start = dt.datetime.combine(low - dt.timedelta(days=1), dt.time(), dt.UTC)
        end = dt.datetime.combine(high + dt.timedelta(days=2), dt.time(), dt.UTC)
        near |= Q(at__gte=start, at__lt=end)
    rows = list(attempts.filter(near).values_list("pk", "employee_id", "at"))
    zones = _zones(agency, (employee_id for _pk, employee_id, _at in rows))
    return [
        pk
        for pk, employee_id, at in rows
        if rules.in_ranges(at.astimezone(zones[employee_id]).date(), ranges)
    ]


def _purge_refused(agency: Agency, today: dt.date, settings, dry_run: bool) -> PurgeCount:
    ids = refused_due_ids(agency=agency, today=today, days=settings.refused_days)
    if not dry_run:
        for start in range(0, len(ids), BATCH):
            RefusedCheckIn.objects.filter(pk__in=ids[start : start + BATCH]).delete()
    return PurgeCount(len(ids), 0)


# --- subject export ----------------------------------------------------------------------------


def _opener(name: str):
    return lambda: default_storage.open(name, "rb")


def profile_section(employee: Employee) -> SubjectSection:
    e = Employee.objects.select_related("agency", "unit", "position", "supervisor", "office").get(
        pk=employee.pk
    )
    row = {
        "nip": e.nip,
        "name": e.name,
        "employment_type": e.employment_type,
        "agency": e.agency.name,
        "unit": e.unit.name if e.unit else None,
        "position": e.position.name if e.position else None,
        "supervisor": e.supervisor.name if e.supervisor else None,
        "assigned_office": e.office.name if e.office else None,
        "email": e.email,
        "phone": e.phone,
        "home_latitude": e.home_latitude,
        "home_longitude": e.home_longitude,
        "home_radius_m": e.home_radius_m,
        "start_date": e.start_date,
        "sanction_until": e.sanction_until,
        "active": e.active,
        "username": e.user.username if e.user else None,
    }
    return SubjectSection([row])


DAY_FIELDS = (
    "date", "status", "codes", "flags", "mode", "check_in", "check_out", "late_minutes",
    "early_minutes", "schedule_start", "schedule_end", "final",
)  # fmt: skip


def attendance_days_section(employee: Employee) -> SubjectSection:
    rows = AttendanceDay.objects.filter(employee=employee).order_by("date")
    days = [
        {**row, "codes": " ".join(row["codes"]), "flags": " ".join(map(str, row["flags"]))}
        for row in rows.values(*DAY_FIELDS)
    ]
    return SubjectSection(days)


CHECK_IN_FIELDS = (
    "id", "kind", "recorded_at", "captured_at", "work_date", "time_zone", "mode", "latitude",
    "longitude", "accuracy_m", "mock_location", "device_id", "place_kind", "place_name",
    "place_latitude", "place_longitude", "place_radius_m", "distance_m", "inside", "source",
    "delay_seconds", "review", "review_note", "verification", "risk_score",
    "exif_captured_at", "exif_device", "selfie_deleted_at", "selfie",
)  # fmt: skip


def check_ins_section(employee: Employee) -> SubjectSection:
    rows, files = [], {}
    events = CheckIn.objects.filter(employee=employee).order_by("recorded_at", "pk")
    for row in events.values(*CHECK_IN_FIELDS, "risk_reasons", "review_reasons"):
        stored = row.pop("selfie")
        row["risk_reasons"] = " ".join(map(str, row["risk_reasons"]))
        row["review_reasons"] = " ".join(map(str, row["review_reasons"]))
        row["selfie_file"] = ""
        if stored:
            name = f"swafoto/{row['work_date']:%Y-%m-%d}_{row['kind']}_{row['id']}.jpg"
            row["selfie_file"] = name
            files[name] = _opener(stored)
        rows.append(row)
    return SubjectSection(rows, files)


def refused_section(employee: Employee) -> SubjectSection:
    rows = RefusedCheckIn.objects.filter(employee=employee).order_by("at", "pk")
    fields = ("id", "at", "kind", "latitude", "longitude", "accuracy_m", "code")
    return SubjectSection([dict(row) for row in rows.values(*fields)])


def requests_section(employee: Employee) -> SubjectSection:
    found = AttendanceRequest.objects.filter(employee=employee).order_by("submitted_at", "pk")
    steps = defaultdict(list)
    step_rows = RequestStep.objects.filter(request__employee=employee).select_related("approver")
    for step in step_rows.order_by("request_id", "order"):
        steps[step.request_id].append(
            {
                "order": step.order,
                "role": step.role,
                "approver": step.approver.name if step.approver else None,
                "decision": step.decision,
                "note": step.note,
                "decided_at": step.decided_at,
            }
        )
    rows, files = [], {}
    for request in found:
        name = ""
        stored = request.attachment.name or ""
        if stored:
            name = f"lampiran/{request.pk}_{stored.rsplit('/', 1)[-1]}"
            files[name] = _opener(stored)
        rows.append(
            {
                "id": request.pk,
                "type": request.type,
                "status": request.status,
                "start": request.start,
                "end": request.end,
                "reason": request.reason,
                "reference": request.reference,
                "working_days": request.working_days,
                "destination": request.destination,
                "destination_latitude": request.destination_latitude,
                "destination_longitude": request.destination_longitude,
                "correction_kind": request.correction_kind,
                "correction_time": request.correction_time,
                "submitted_at": request.submitted_at,
                "decided_at": request.decided_at,
                "attachment_file": name,
                "steps": steps.get(request.pk, []),
            }
        )
    return SubjectSection(rows, files)


def roster_section(employee: Employee) -> SubjectSection:
    entries = RosterEntry.objects.filter(employee=employee).order_by("date")
    fields = (
        "date", "mode", "reason", "office__name", "room__name", "absence_code", "destination",
        "destination_latitude", "destination_longitude", "note", "changed_at",
    )  # fmt: skip
    return SubjectSection([dict(row) for row in entries.values(*fields)])


def flexible_section(employee: Employee) -> SubjectSection:
    found = FlexibleWorkApplication.objects.filter(employee=employee).order_by("submitted_at")
    fields = (
        "id", "reason", "work_plan", "mode", "days_per_week", "preferred_weekdays",
        "valid_from", "valid_until", "status", "submitted_at", "decided_at", "decision_note",
    )  # fmt: skip
    rows = [
        {**row, "preferred_weekdays": " ".join(map(str, row["preferred_weekdays"] or []))}
        for row in found.values(*fields)
    ]
    return SubjectSection(rows)


def notifications_section(employee: Employee) -> SubjectSection:
    if employee.user_id is None:
        return SubjectSection([])
    found = Notification.objects.filter(user_id=employee.user_id).order_by("created_at", "pk")
    fields = ("kind", "title", "body", "url", "created_at", "read_at")
    return SubjectSection([dict(row) for row in found.values(*fields)])


# --- breach categories -------------------------------------------------------------------------


def selfie_holders(agency: Agency, start: dt.datetime, end: dt.datetime) -> set[int]:
    """Employees with a selfie stored at some time in the window (kept, or deleted after
    its start)."""
    held = Q(selfie_deleted_at__isnull=True) & ~Q(selfie="") | Q(selfie_deleted_at__gte=start)
    rows = CheckIn.objects.filter(held, employee__agency=agency, recorded_at__lte=end)
    return set(rows.values_list("employee_id", flat=True).distinct())


def location_holders(agency: Agency, start: dt.datetime, end: dt.datetime) -> set[int]:
    """Employees with a check-in or refused attempt located by the window's end (check-ins
    are kept; refused attempts still stored), or a registered home location (held now;
    when it was recorded is not known, so it counts for any window)."""
    events = CheckIn.objects.filter(employee__agency=agency, recorded_at__lte=end)
    refused = RefusedCheckIn.objects.filter(
        employee__agency=agency, at__lte=end, latitude__isnull=False
    )
    homes = Employee.objects.filter(agency=agency, home_latitude__isnull=False)
    return (
        set(events.values_list("employee_id", flat=True).distinct())
        | set(refused.values_list("employee_id", flat=True).distinct())
        | set(homes.values_list("pk", flat=True))
    )


def profile_holders(agency: Agency, start: dt.datetime, end: dt.datetime) -> set[int]:
    """Every employee record of the agency (NIP, name, contacts are held for all)."""
    return set(Employee.objects.filter(agency=agency).values_list("pk", flat=True))


def register() -> None:
    register_retention(RetentionRule("selfies", _("Check-in selfies"), _purge_selfies))
    register_retention(
        RetentionRule("refused_attempts", _("Refused check-in attempts"), _purge_refused)
    )
    for name, exporter in (
        ("profile", profile_section),
        ("attendance_days", attendance_days_section),
        ("check_ins", check_ins_section),
        ("refused_check_ins", refused_section),
        ("requests", requests_section),
        ("roster", roster_section),
        ("flexible_work", flexible_section),
        ("notifications", notifications_section),
    ):
        register_subject_section(name, exporter)
    register_breach_category(BreachCategory("selfie", _("selfies"), selfie_holders))
    register_breach_category(BreachCategory("location", _("locations"), location_holders))
    register_breach_category(
        BreachCategory("profile", _("profile and contact data"), profile_holders)
    )


register()
