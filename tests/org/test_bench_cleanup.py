"""A bench's agency is removed with every row any app made for it, through the model graph:
a check-in protected by an inspector's decision (two levels of PROTECT), a roll-call
participation (related_name "+"), a TPP statement; other agencies stay untouched."""

from __future__ import annotations

import datetime as dt

import pytest

from sigap.attendance.models import CheckIn
from sigap.core.models import User
from sigap.org.bench import remove_bench_agency
from sigap.org.models import Agency, Employee, Unit
from sigap.verification.models import Decision, ReviewDecision
from tests.discipline.conftest import day, missed_rollcall
from tests.factories import AgencyFactory, EmployeeFactory, UnitFactory
from tests.rollcall.fixtures import check_in

pytestmark = pytest.mark.django_db


def test_everything_made_for_the_agency_goes_and_nothing_else(freeze):
    freeze(2026, 11, 23, 9, 0)
    agency = AgencyFactory(code="bench-x")
    opd = UnitFactory(agency=agency)
    UnitFactory(agency=agency, parent=opd)
    person = EmployeeFactory(agency=agency, unit=opd)
    opd.head = person
    opd.save()
    event = check_in(person, dt.datetime(2026, 11, 23, 7, 10, tzinfo=dt.UTC))
    inspector = EmployeeFactory(agency=agency, unit=opd).user
    ReviewDecision.objects.create(
        check_in=event,
        employee=person,
        decision=Decision.CLEARED,
        note="-",
        by=inspector,
        at=event.recorded_at,
    )
    day(person, dt.date(2026, 11, 23), "HADIR")
    missed_rollcall(person, dt.date(2026, 11, 23))
    other = EmployeeFactory(name="Tetap ada")
    assert remove_bench_agency("bench-x") == agency.pk
    assert not Agency.objects.filter(code="bench-x").exists()
    assert not CheckIn.objects.exists() and not ReviewDecision.objects.exists()
    assert list(Employee.objects.all()) == [other]
    assert not Unit.objects.filter(agency=agency).exists()
    assert User.objects.filter(pk=other.user_id).exists() and User.objects.count() == 1
    assert remove_bench_agency("bench-x") is None
