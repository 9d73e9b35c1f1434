"""The scoping helper: who sees which employees and units."""

import pytest

from sigap.core.models import User
from sigap.org.models import Role
from sigap.org.selectors import scope_for
from tests.factories import AgencyFactory, EmployeeFactory, RoleFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    """Two OPDs; OPD A has a division with a section. People in each."""
    agency = AgencyFactory()
    opd_a = UnitFactory(agency=agency, code="A")
    div = UnitFactory(agency=agency, code="A.1", parent=opd_a)
    sec = UnitFactory(agency=agency, code="A.1.1", parent=div)
    opd_b = UnitFactory(agency=agency, code="B")
    head_a = EmployeeFactory(agency=agency, unit=opd_a)
    opd_a.head = head_a
    opd_a.save(update_fields=["head"])
    head_div = EmployeeFactory(agency=agency, unit=div, supervisor=head_a)
    div.head = head_div
    div.save(update_fields=["head"])
    staff_div = EmployeeFactory(agency=agency, unit=div, supervisor=head_div)
    staff_sec = EmployeeFactory(agency=agency, unit=sec, supervisor=head_div)
    staff_b = EmployeeFactory(agency=agency, unit=opd_b)
    other_agency_person = EmployeeFactory()
    return locals()


def visible(user: User) -> set[int]:
    return set(scope_for(user).employees().values_list("pk", flat=True))


def test_employee_sees_only_themselves(org):
    assert visible(org["staff_sec"].user) == {org["staff_sec"].pk}


def test_supervisor_sees_direct_subordinates(org):
    expected = {org["head_div"].pk, org["staff_div"].pk, org["staff_sec"].pk}
    assert visible(org["head_div"].user) >= expected
    assert org["staff_b"].pk not in visible(org["head_div"].user)


def test_unit_head_sees_whole_subtree_and_nothing_else(org):
    seen = visible(org["head_a"].user)
    assert seen == {
        org["head_a"].pk,
        org["head_div"].pk,
        org["staff_div"].pk,
        org["staff_sec"].pk,
    }
    scope = scope_for(org["head_a"].user)
    assert set(scope.units().values_list("code", flat=True)) == {"A", "A.1", "A.1.1"}
    assert not scope.includes_unit(org["opd_b"])
    assert not scope.includes_employee(org["staff_b"])


def test_division_head_sees_division_and_its_sections_only(org):
    scope = scope_for(org["head_div"].user)
    assert set(scope.units().values_list("code", flat=True)) == {"A.1", "A.1.1"}
    assert org["head_a"].pk not in visible(org["head_div"].user)


@pytest.mark.parametrize("role", [Role.HR_ADMIN, Role.LEADER, Role.INSPECTOR])
def test_agency_roles_see_all_of_their_agency_only(org, role):
    user = UserFactory()
    RoleFactory(user=user, agency=org["agency"], role=role)
    seen = visible(user)
    assert seen == {org[k].pk for k in ("head_a", "head_div", "staff_div", "staff_sec", "staff_b")}
    assert org["other_agency_person"].pk not in seen
    assert scope_for(user).includes_unit(org["opd_b"])


def test_roles_are_derived(org):
    assert scope_for(org["head_a"].user).roles >= {"employee", "unit_head", "supervisor"}
    assert scope_for(org["staff_sec"].user).roles == {"employee"}


def test_anonymous_and_unlinked_users_see_nobody(org):
    from django.contrib.auth.models import AnonymousUser

    assert not scope_for(AnonymousUser()).employees().exists()
    assert not scope_for(UserFactory()).employees().exists()


def test_inactive_employee_has_no_scope(org):
    person = org["head_a"]
    person.active = False
    person.save(update_fields=["active"])
    user = User.objects.get(pk=person.user_id)
    assert not scope_for(user).employees().exists()


def test_scope_costs_a_bounded_number_of_queries(org, django_assert_max_num_queries):
    user = User.objects.get(pk=org["head_a"].user_id)
    with django_assert_max_num_queries(6):
        scope = scope_for(user)
        list(scope.employees())
