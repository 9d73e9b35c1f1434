"""Attendance endpoints of API.md: /me, /me/attendance, /attendance/check-ins, reviews."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from sigap.attendance import presenters, selectors, services
from sigap.attendance.models import CheckIn
from sigap.attendance.schemas import (
    AttendanceListOut,
    CheckInForm,
    CheckInListOut,
    CheckInOut,
    MeOut,
    ReviewIn,
)
from sigap.core import clock
from sigap.core.api_auth import request_user_id
from sigap.core.exceptions import NotFound
from sigap.core.geo import Point
from sigap.org.models import Employee
from sigap.org.selectors import employee_for_user, roles_of, scope_for
from sigap.privacy.access import access_record
from sigap.privacy.models import DataCategory

router = Router(tags=["attendance"])
EMPLOYEE_CACHE_SECONDS = 300


def current_employee(request: HttpRequest) -> Employee:
    """The caller's employee record with unit and agency (cached briefly: it is on the
    check-in hot path; edits in the back office show within EMPLOYEE_CACHE_SECONDS)."""
    user_id = request_user_id(request)
    key = f"att:user-employee:{user_id}"
    employee = cache.get(key)
    if employee is None:
        employee = (
            Employee.objects.select_related("unit", "agency")
            .filter(user_id=user_id, active=True)
            .first()
        )
        if employee is None:
            raise NotFound(_("This account is not an employee."), code="not_an_employee")
        cache.set(key, employee, EMPLOYEE_CACHE_SECONDS)
    return employee


def employee_in_scope(request: HttpRequest, nip: str | None) -> Employee:
    if not nip:
        return current_employee(request)
    employee = (
        scope_for(request.user).employees().select_related("unit", "agency").filter(nip=nip).first()
    )
    if employee is None:
        raise NotFound(_("No employee with that NIP in your scope."))
    return employee


@router.get("/me", response=MeOut)
def me(request: HttpRequest):
    employee = employee_for_user(request.user)
    if employee is None:
        raise NotFound(_("This account is not an employee."), code="not_an_employee")
    arrangement, day = selectors.employee_today(employee=employee)
    extra = presenters.me_extensions(employee, arrangement)
    return {
        "nip": employee.nip,
        "name": employee.name,
        "unit": employee.unit,
        "position": employee.position,
        "supervisor": employee.supervisor,
        "roles": roles_of(scope_for(request.user)),
        **extra,
        "today": presenters.today_out(arrangement, day) | extra["today"],
    }


class RangeQuery(Schema):
    from_: dt.date = Field(alias="from")
    to: dt.date


@router.get("/me/attendance", response=AttendanceListOut)
def my_attendance(request: HttpRequest, q: Query[RangeQuery]):
    employee = current_employee(request)
    days = selectors.employee_attendance(employee=employee, start=q.from_, end=q.to)
    zone = selectors.office_place(employee)[1]
    return {"days": [presenters.day_out(d, zone) for d in days]}


@router.post("/attendance/check-ins", response={200: CheckInOut, 201: CheckInOut})
def check_in(request: HttpRequest, payload: Form[CheckInForm], selfie: File[UploadedFile]):
    employee = current_employee(request)
    command = services.CheckInCommand(
        request_id=payload.request_id,
        kind=payload.kind,
        point=Point(payload.latitude, payload.longitude),
        accuracy_m=payload.accuracy_m,
        captured_at=payload.captured_at,
        selfie=selfie,
        mock_location=payload.mock_location,
        qr_token=payload.qr_token,
        device_id=getattr(getattr(request, "api_token", None), "device_id", "") or "",
        queued=payload.queued,
        source="api" if getattr(request, "api_token", None) else "web",
    )
    outcome = services.attendance_check_in(employee=employee, command=command)
    body = presenters.check_in_out(outcome.event, outcome.day, outcome.arrangement.schedule.zone)
    return Status(200 if outcome.replayed else 201, body)


class CheckInQuery(Schema):
    date: dt.date | None = None
    employee: str | None = None


@router.get("/attendance/check-ins", response=CheckInListOut)
def list_check_ins(request: HttpRequest, q: Query[CheckInQuery]):
    employee = employee_in_scope(request, q.employee)
    zone = selectors.office_place(employee)[1]
    date = q.date or clock.today(zone)
    events = list(selectors.check_ins_for(employee=employee, date=date))
    if events and q.employee:  # the place and distance from it: another's location
        access_record(
            viewer=request.user,
            subject_ids=[employee.pk],
            category=DataCategory.LOCATION,
            what=f"check-ins {date.isoformat()}",
            request=request,
        )
    days = selectors.days_by_key(events)
    return {
        "check_ins": [
            presenters.check_in_out(e, days[(e.employee_id, e.work_date)], zone) for e in events
        ]
    }


@router.get("/attendance/reviews", response=CheckInListOut)
def review_queue(request: HttpRequest):
    events = list(selectors.reviews_pending_for(user=request.user)[:200])
    access_record(
        viewer=request.user,
        subject_ids={e.employee_id for e in events},
        category=DataCategory.LOCATION,
        what="check-ins to review",
        request=request,
    )
    days = selectors.days_by_key(events)
    return {
        "check_ins": [
            presenters.check_in_out(e, days[(e.employee_id, e.work_date)], e.time_zone)
            for e in events
        ]
    }


@router.post("/attendance/check-ins/{check_in_id}/review", response=CheckInOut)
def review(request: HttpRequest, check_in_id: int, payload: ReviewIn):
    visible = scope_for(request.user).employees()
    event = (
        CheckIn.objects.select_related("employee")
        .filter(pk=check_in_id, employee__in=visible)
        .first()
    )
    if event is None:
        raise NotFound()
    decided = services.check_in_review(
        check_in=event,
        reviewer=request.user,
        accept=payload.decision == "accept",
        note=payload.note,
    )
    day = selectors.days_by_key([decided])[(decided.employee_id, decided.work_date)]
    access_record(
        viewer=request.user,
        subject_ids=[decided.employee_id],
        category=DataCategory.LOCATION,
        what=f"check-in {decided.pk}",
        request=request,
    )
    return presenters.check_in_out(decided, day, decided.time_zone)
