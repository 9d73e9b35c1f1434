"""The cached office map: no query per employee when warm, refreshed after edits."""

import pytest

from sigap.org.models import Office, Role
from sigap.org.selectors import office_info_for, org_changed
from tests.factories import EmployeeFactory, OfficeFactory, RoleFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    opd = UnitFactory()
    division = UnitFactory(agency=opd.agency, parent=opd)
    office = OfficeFactory(agency=opd.agency, name="Kantor Dinas", radius_m=100)
    office.units.add(opd)
    person = EmployeeFactory(agency=opd.agency, unit=division)
    return opd, division, office, person


def test_office_comes_from_the_nearest_ancestor(tree):
    _opd, _division, office, person = tree
    info = office_info_for(person)
    assert (info.id, info.name, info.radius_m) == (office.pk, "Kantor Dinas", 100)


def test_warm_map_costs_no_query(tree, django_assert_num_queries):
    *_rest, person = tree
    office_info_for(person)
    with django_assert_num_queries(0):
        office_info_for(person)


def test_explicit_office_wins(tree):
    opd, _division, _office, person = tree
    other = OfficeFactory(agency=opd.agency, name="Kantor Cabang")
    person.office = other
    person.save(update_fields=["office"])
    org_changed(opd.agency_id)
    assert office_info_for(person).name == "Kantor Cabang"


def test_edit_in_the_back_office_refreshes_the_map(client, tree):
    opd, _division, office, person = tree
    assert office_info_for(person).radius_m == 100
    admin = EmployeeFactory(agency=opd.agency)
    admin.user.is_superuser = admin.user.is_staff = True
    admin.user.save()
    RoleFactory(user=admin.user, agency=opd.agency, role=Role.HR_ADMIN)
    client.force_login(admin.user)
    data = {
        "agency": opd.agency_id,
        "code": office.code,
        "name": office.name,
        "address": "",
        "latitude": office.latitude,
        "longitude": office.longitude,
        "radius_m": 250,
        "polygon": "null",
        "time_zone": "Asia/Makassar",
        "units": [opd.pk],
        "active": "on",
        "seat_capacity": "",
    }
    response = client.post(f"/admin/org/office/{office.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    assert Office.objects.get(pk=office.pk).radius_m == 250
    assert office_info_for(person).radius_m == 250
