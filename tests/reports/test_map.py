"""The check-in map selector: scope (a head's subtree, HR's agency), the local day of each
office's zone, refused attempts on request, categories and their reasons."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from sigap.attendance.models import CheckIn, RefusedCheckIn, Review
from sigap.core.exceptions import Forbidden, NotFound
from sigap.org.models import Employee, Office, Role, Unit
from sigap.org.selectors import scope_for
from sigap.reports.map import Category, category_of, checkin_map, flag_reasons, map_allowed
from tests.factories import (
    AgencyFactory,
    EmployeeFactory,
    OfficeFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)

MONDAY = dt.date(2026, 11, 23)
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")


def check_in(employee, at: dt.datetime, *, zone: str = "Asia/Makassar", **extra) -> CheckIn:
    """A stored check-in at local time `at` (aware), its work date the local date."""
    values = {
        "employee": employee,
        "request_id": uuid.uuid4(),
        "kind": "in",
        "recorded_at": at,
        "captured_at": at,
        "work_date": at.astimezone(ZoneInfo(zone)).date(),
        "time_zone": zone,
        "mode": "WFO",
        "latitude": -2.6801,
        "longitude": 118.8901,
        "accuracy_m": 8.0,
        "place_kind": "office",
        "place_name": "Kantor Bupati",
        "place_latitude": -2.68,
        "place_longitude": 118.89,
        "place_radius_m": 100.0,
        "distance_m": 15.0,
        "inside": True,
        "rule_version": "test",
    }
    return CheckIn.objects.create(**(values | extra))


def refused(employee, at: dt.datetime, code: str = "outside_geofence", **extra):
    values = {"kind": "in", "at": at, "latitude": -2.69, "longitude": 118.9, "code": code}
    return RefusedCheckIn.objects.create(employee=employee, **(values | extra))


@dataclass
class MapWorld:
    agency: object
    unit_a: Unit
    unit_a1: Unit
    unit_b: Unit
    office_a: Office
    office_b: Office
    head_a: Employee
    staff_a: Employee
    staff_a1: Employee
    staff_b: Employee
    supervisor_b: Employee
    hr_user: object
    other_unit: Unit


@pytest.fixture
def map_world(db, freeze) -> MapWorld:
    """OPD A (circle office, WITA) with sub-unit A1, OPD B (polygon office, WIT); frozen
    on Monday 23 November 2026 10:00 WITA."""
    freeze(2026, 11, 23, 10, 0)
    agency = AgencyFactory(time_zone="Asia/Makassar")
    unit_a = UnitFactory(agency=agency, name="Dinas A")
    unit_a1 = UnitFactory(agency=agency, name="Bidang A1", parent=unit_a)
    unit_b = UnitFactory(agency=agency, name="Dinas B")
    office_a = OfficeFactory(agency=agency, name="Kantor A", radius_m=100)
    office_a.units.add(unit_a)
    ring = [[-2.5, 140.7], [-2.5, 140.71], [-2.51, 140.71], [-2.5, 140.7]]
    office_b = OfficeFactory(
        agency=agency, name="Kantor B", latitude=-2.505, longitude=140.705, radius_m=None,
        polygon=ring, time_zone="Asia/Jayapura",
    )  # fmt: skip
    office_b.units.add(unit_b)
    head_a = EmployeeFactory(agency=agency, unit=unit_a, name="Kepala A")
    unit_a.head = head_a
    unit_a.save(update_fields=["head"])
    supervisor_b = EmployeeFactory(agency=agency, unit=unit_b, name="Atasan B")
    hr_user = UserFactory()
    RoleFactory(user=hr_user, agency=agency, role=Role.HR_ADMIN)
    return MapWorld(
        agency=agency,
        unit_a=unit_a,
        unit_a1=unit_a1,
        unit_b=unit_b,
        office_a=office_a,
        office_b=office_b,
        head_a=head_a,
        staff_a=EmployeeFactory(agency=agency, unit=unit_a, name="Staf A", supervisor=head_a),
        staff_a1=EmployeeFactory(agency=agency, unit=unit_a1, name="Staf A1"),
        staff_b=EmployeeFactory(agency=agency, unit=unit_b, name="Staf B", supervisor=supervisor_b),
        supervisor_b=supervisor_b,
        hr_user=hr_user,
        other_unit=UnitFactory(name="Dinas lain"),
    )


def names(result) -> set[str]:
    return {p.name for p in result.points}


def at_wita(hour: int, minute: int = 0, day: dt.date = MONDAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WITA)


@pytest.mark.parametrize(
    ("review", "risk", "expected"),
    [
        (Review.NONE, 0, Category.ACCEPTED),
        (Review.ACCEPTED, 0, Category.ACCEPTED),
        (Review.ACCEPTED, 50, Category.ACCEPTED),  # a person looked at it and accepted
        (Review.NONE, 50, Category.FLAGGED),
        (Review.PENDING, 0, Category.FLAGGED),
        (Review.REJECTED, 0, Category.FLAGGED),
    ],
)
def test_category_of(review, risk, expected):
    assert category_of(review=review, risk_score=risk) is expected


def test_flag_reasons_put_a_rejection_first_without_repeats():
    got = flag_reasons(
        review=Review.REJECTED,
        review_reasons=["outside_geofence"],
        risk_reasons=["mock_location", "outside_geofence"],
    )
    assert got == ("rejected", "outside_geofence", "mock_location")


def test_head_sees_the_subtree_only(map_world):
    w = map_world
    for person in (w.head_a, w.staff_a, w.staff_a1, w.staff_b):
        check_in(person, at_wita(7, 30))
    result = checkin_map(scope=scope_for(w.head_a.user))
    assert names(result) == {"Kepala A", "Staf A", "Staf A1"}
    assert [o.name for o in result.offices] == ["Kantor A"]


def test_hr_sees_the_agency_and_each_office_day(map_world):
    w = map_world
    check_in(w.staff_a, at_wita(7, 30))
    check_in(w.staff_b, at_wita(6, 30), zone="Asia/Jayapura")  # 07:30 WIT
    check_in(w.staff_a1, at_wita(7, 30, MONDAY - dt.timedelta(days=1)))  # yesterday
    result = checkin_map(scope=scope_for(w.hr_user))
    assert names(result) == {"Staf A", "Staf B"}
    assert {o.name for o in result.offices} == {"Kantor A", "Kantor B"}
    by_name = {p.name: p for p in result.points}
    assert by_name["Staf B"].at.strftime("%H:%M %Z") == "07:30 WIT"
    earlier = checkin_map(scope=scope_for(w.hr_user), date=MONDAY - dt.timedelta(days=1))
    assert names(earlier) == {"Staf A1"}


def test_a_wit_office_is_already_on_the_next_day(map_world, freeze):
    w = map_world
    freeze(2026, 11, 23, 23, 30)  # 00:30 on Tuesday in Jayapura
    check_in(w.staff_a, at_wita(7, 30))  # Monday in WITA: still today
    check_in(w.staff_b, at_wita(8, 0), zone="Asia/Jayapura")  # Monday in WIT: yesterday
    check_in(w.staff_b, at_wita(23, 20), zone="Asia/Jayapura", kind="out")  # Tuesday WIT
    result = checkin_map(scope=scope_for(w.hr_user))
    assert sorted((p.name, p.kind) for p in result.points) == [("Staf A", "in"), ("Staf B", "out")]


def test_refused_attempts_only_when_asked_and_only_today(map_world):
    w = map_world
    check_in(w.staff_a, at_wita(7, 30))
    refused(w.staff_a1, at_wita(7, 10), code="accuracy_too_low")
    refused(w.staff_a1, at_wita(7, 10, MONDAY - dt.timedelta(days=1)))
    refused(w.staff_b, at_wita(7, 0))  # outside the head's subtree
    refused(w.staff_a, at_wita(7, 5), latitude=None, longitude=None)  # nothing to draw
    scope = scope_for(w.head_a.user)
    assert [p.category for p in checkin_map(scope=scope).points] == [Category.ACCEPTED]
    result = checkin_map(scope=scope, refused=True)
    attempts = [p for p in result.points if p.category is Category.REFUSED]
    assert [(p.name, p.reasons, p.at.hour) for p in attempts] == [
        ("Staf A1", ("accuracy_too_low",), 7)
    ]
    assert len(checkin_map(scope=scope_for(w.hr_user), refused=True).points) == 3


def test_categories_and_kind_filter(map_world):
    w = map_world
    check_in(w.staff_a, at_wita(7, 30))
    check_in(w.staff_a1, at_wita(7, 31), review=Review.PENDING, review_reasons=["outside_geofence"])
    check_in(w.staff_b, at_wita(7, 32), zone="Asia/Jayapura", risk_score=50,
             risk_reasons=["mock_location"])  # fmt: skip
    check_in(w.head_a, at_wita(7, 33), review=Review.REJECTED)
    check_in(w.staff_a, at_wita(16, 0), kind="out")
    result = checkin_map(scope=scope_for(w.hr_user), kind="in")
    got = {p.name: (p.category, p.reasons) for p in result.points}
    assert got == {
        "Staf A": (Category.ACCEPTED, ()),
        "Staf A1": (Category.FLAGGED, ("outside_geofence",)),
        "Staf B": (Category.FLAGGED, ("mock_location",)),
        "Kepala A": (Category.FLAGGED, ("rejected",)),
    }
    outs = checkin_map(scope=scope_for(w.hr_user), kind="out").points
    assert [(p.name, p.kind) for p in outs] == [("Staf A", "out")]


def test_unit_filter_within_scope(map_world):
    w = map_world
    check_in(w.staff_a, at_wita(7, 30))
    check_in(w.staff_a1, at_wita(7, 30))
    check_in(w.staff_b, at_wita(7, 30))
    head = scope_for(w.head_a.user)
    assert names(checkin_map(scope=head, unit_id=w.unit_a1.pk)) == {"Staf A1"}
    assert names(checkin_map(scope=head, unit_id=w.unit_a.pk)) == {"Staf A", "Staf A1"}
    with pytest.raises(Forbidden):
        checkin_map(scope=head, unit_id=w.unit_b.pk)
    with pytest.raises(NotFound):
        checkin_map(scope=head, unit_id=w.other_unit.pk)
    with pytest.raises(NotFound):
        checkin_map(scope=scope_for(w.hr_user), unit_id=w.other_unit.pk)
    assert names(checkin_map(scope=scope_for(w.hr_user), unit_id=w.unit_b.pk)) == {"Staf B"}


def test_plain_employee_and_supervisor_are_refused(map_world):
    w = map_world
    check_in(w.staff_b, at_wita(7, 30))
    for user in (w.staff_a.user, w.supervisor_b.user):
        scope = scope_for(user)
        assert not map_allowed(scope)
        with pytest.raises(Forbidden):
            checkin_map(scope=scope)


def test_points_are_capped_newest_first(map_world, monkeypatch):
    w = map_world
    monkeypatch.setattr("sigap.reports.map.MAX_POINTS", 2)
    for minute in range(3):
        check_in(w.staff_a, at_wita(7, minute))
    refused(w.staff_a, at_wita(8, 0))
    result = checkin_map(scope=scope_for(w.hr_user), refused=True)
    assert result.truncated
    assert [p.at.minute for p in result.points] == [2, 1]
    monkeypatch.setattr("sigap.reports.map.MAX_POINTS", 4)
    result = checkin_map(scope=scope_for(w.hr_user), refused=True)
    assert not result.truncated and len(result.points) == 4
