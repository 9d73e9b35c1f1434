"""Bad organisation data is refused with a clear message, and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from sigap.org.models import Employee, Office, Unit
from tests.factories import AgencyFactory, EmployeeFactory, OfficeFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_wrong_nip_is_refused_with_the_reason():
    person = EmployeeFactory.build(nip="198513152010011002")
    person.agency.save()
    with pytest.raises(ValidationError) as info:
        person.full_clean(exclude=["unit", "position", "user", "agency"])
    assert "birth date" in str(info.value.message_dict["nip"])


def test_duplicate_nip_is_refused_by_the_database():
    first = EmployeeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployeeFactory(nip=first.nip, agency=first.agency)
    assert Employee.objects.filter(nip=first.nip).count() == 1


def test_unit_cycle_is_refused():
    agency = AgencyFactory()
    top = UnitFactory(agency=agency)
    mid = UnitFactory(agency=agency, parent=top)
    low = UnitFactory(agency=agency, parent=mid)
    top.parent = low
    with pytest.raises(ValidationError) as info:
        top.full_clean()
    assert "parent" in info.value.message_dict
    top.refresh_from_db()
    assert top.parent is None


def test_unit_cannot_be_its_own_parent_in_the_database():
    unit = UnitFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=unit.pk).update(parent=unit.pk)


def test_supervisor_cycle_is_refused():
    boss = EmployeeFactory()
    middle = EmployeeFactory(agency=boss.agency, unit=boss.unit, supervisor=boss)
    boss.supervisor = middle
    with pytest.raises(ValidationError) as info:
        boss.full_clean()
    assert "supervisor" in info.value.message_dict


def test_open_polygon_is_refused():
    office = OfficeFactory.build(
        agency=AgencyFactory(),
        radius_m=None,
        polygon=[[-2.681, 118.889], [-2.681, 118.891], [-2.679, 118.891], [-2.679, 118.889]],
    )
    with pytest.raises(ValidationError) as info:
        office.full_clean()
    assert "does not close" in str(info.value)


@pytest.mark.parametrize("radius", [0, -5])
def test_radius_must_be_positive(radius):
    office = OfficeFactory.build(agency=AgencyFactory(), radius_m=radius)
    with pytest.raises(ValidationError):
        office.full_clean()


def test_radius_zero_refused_by_the_database_too():
    office = OfficeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Office.objects.filter(pk=office.pk).update(radius_m=0)


def test_office_needs_a_geofence():
    office = OfficeFactory.build(agency=AgencyFactory(), radius_m=None, polygon=None)
    with pytest.raises(ValidationError, match="geofence"):
        office.full_clean()


def test_unknown_time_zone_is_refused():
    office = OfficeFactory.build(agency=AgencyFactory(), time_zone="Asia/Mamuju")
    with pytest.raises(ValidationError) as info:
        office.full_clean()
    assert "time_zone" in info.value.message_dict


def test_home_needs_both_coordinates():
    person = EmployeeFactory()
    person.home_longitude = None
    with pytest.raises(ValidationError):
        person.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Employee.objects.filter(pk=person.pk).update(home_longitude=None)
