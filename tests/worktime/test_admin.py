"""Back office for working time: scoped to the HR admin's agency, edits refresh the cache."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

from sigap.org.models import Role
from sigap.worktime.models import Holiday, ScheduleVersion, Shift, ShiftAssignment
from sigap.worktime.selectors import calendar_for
from sigap.worktime.services import holidays_seed
from tests.factories import AgencyFactory, EmployeeFactory, RoleFactory, UnitFactory

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def hr(client):
    person = EmployeeFactory(name="Admin BKPSDM")
    person.user.is_staff = True
    person.user.save()
    RoleFactory(user=person.user, agency=person.agency, role=Role.HR_ADMIN)
    person.user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["worktime", "org"])
    )
    client.force_login(person.user)
    return person


def test_holidays_are_scoped_to_the_agency(client, hr):
    Holiday.objects.create(agency=hr.agency, date=D("2026-07-14"), name="Hari Jadi Mamuju")
    Holiday.objects.create(agency=AgencyFactory(), date=D("2026-07-15"), name="Hari Jadi Lain")
    html = client.get("/admin/worktime/holiday/").content.decode()
    assert "Hari Jadi Mamuju" in html
    assert "Hari Jadi Lain" not in html


def test_removing_a_package_holiday_deactivates_it_and_refreshes_the_calendar(client, hr):
    holidays_seed(agency=hr.agency, year=2026)
    day = D("2026-08-17")
    assert day in calendar_for(agency=hr.agency, day=day, zone="Asia/Makassar").holidays
    row = Holiday.objects.get(agency=hr.agency, date=day)
    assert client.get(f"/admin/worktime/holiday/{row.pk}/delete/").status_code == 403
    response = client.post(
        "/admin/worktime/holiday/",
        {"action": "deactivate", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.active is False
    assert day not in calendar_for(agency=hr.agency, day=day, zone="Asia/Makassar").holidays
    assert holidays_seed(agency=hr.agency, year=2026) == 0


def test_moving_a_holiday_in_the_admin_refreshes_the_calendar(client, hr):
    row = Holiday.objects.create(agency=hr.agency, date=D("2026-07-14"), name="Hari Jadi")
    zone = "Asia/Makassar"
    assert (
        D("2026-07-14") in calendar_for(agency=hr.agency, day=D("2026-07-14"), zone=zone).holidays
    )
    response = client.post(
        f"/admin/worktime/holiday/{row.pk}/change/",
        {
            "agency": hr.agency.pk,
            "date": "2026-07-13",
            "name": "Hari Jadi",
            "kind": "LOCAL",
            "source": "ADMIN",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    holidays = calendar_for(agency=hr.agency, day=D("2026-07-14"), zone=zone).holidays
    assert D("2026-07-13") in holidays and D("2026-07-14") not in holidays


def test_schedule_version_with_weekly_hours_inline(client, hr):
    assert client.get("/admin/worktime/scheduleversion/add/").status_code == 200
    prefix = "weekly_hours"
    response = client.post(
        "/admin/worktime/scheduleversion/add/",
        {
            "agency": hr.agency.pk,
            "effective_from": "2026-07-01",
            "window_start": "05:00",
            "window_end": "23:59",
            "note": "Perbup 12/2026",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-period": "NORMAL",
            f"{prefix}-0-weekday": "0",
            f"{prefix}-0-start": "08:00",
            f"{prefix}-0-end": "16:00",
            f"{prefix}-0-break_minutes": "60",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    version = ScheduleVersion.objects.get(agency=hr.agency)
    assert version.weekly_hours.count() == 1
    calendar = calendar_for(agency=hr.agency, day=D("2026-07-06"), zone="Asia/Makassar")
    assert calendar.weekly[0].start == dt.time(8, 0)


def test_shift_assignments_are_scoped_through_the_employee(client, hr):
    ward = UnitFactory(agency=hr.agency, shift_based=True)
    nurse = EmployeeFactory(agency=hr.agency, unit=ward, name="Perawat Sini")
    shift = Shift.objects.create(
        agency=hr.agency, code="PAGI", name="Pagi", start=dt.time(7), end=dt.time(14)
    )
    ShiftAssignment.objects.create(employee=nurse, date=D("2026-11-23"), shift=shift)
    other_agency = AgencyFactory()
    other_ward = UnitFactory(agency=other_agency, shift_based=True)
    stranger = EmployeeFactory(agency=other_agency, unit=other_ward, name="Perawat Sana")
    other_shift = Shift.objects.create(
        agency=other_agency, code="PAGI", name="Pagi", start=dt.time(7), end=dt.time(14)
    )
    ShiftAssignment.objects.create(employee=stranger, date=D("2026-11-23"), shift=other_shift)
    html = client.get("/admin/worktime/shiftassignment/").content.decode()
    assert "Perawat Sini" in html
    assert "Perawat Sana" not in html
    add = client.get("/admin/worktime/shiftassignment/add/").content.decode()
    assert "admin-autocomplete" in add
