"""Role-based masking on the database side (sigap.privacy.masking): how each viewer stands
to a person, what they see of the person's NIP, phone, email and home location, and that
a page of people costs no query per person."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from sigap.org.models import Employee
from sigap.org.selectors import scope_for
from sigap.privacy import masking
from sigap.privacy.rules import Relation, mask_email, mask_nip, mask_phone
from tests.factories import EmployeeFactory
from tests.privacy.masking_world import (
    FULL_CONTACT,
    FULL_HOME,
    FULL_NIP,
    VIEWERS,
    build_world,
)

pytestmark = pytest.mark.django_db

RELATIONS = {
    "self": {Relation.SELF},
    "boss": {Relation.SUPERVISOR},
    "head": {Relation.UNIT_HEAD},
    "hr": {Relation.HR_ADMIN},
    "inspector": {Relation.INSPECTOR},
    "leader": {Relation.LEADER},
    "colleague": {Relation.OTHER},
    "stranger": {Relation.OTHER},  # HR admin, but of another agency
}


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize("viewer", VIEWERS)
def test_each_viewer_stands_in_their_relation_to_the_staff_member(world, viewer):
    scope = scope_for(world.user(viewer))
    assert masking.relations_to(scope, world.staff) == frozenset(RELATIONS[viewer])


@pytest.mark.parametrize("viewer", VIEWERS)
def test_each_viewer_sees_the_fields_their_role_needs(world, viewer):
    scope = scope_for(world.user(viewer))
    staff = world.staff
    shown = masking.masked_person(staff, masking.relations_to(scope, staff))
    assert shown.nip == (staff.nip if viewer in FULL_NIP else mask_nip(staff.nip))
    assert shown.phone == (staff.phone if viewer in FULL_CONTACT else mask_phone(staff.phone))
    assert shown.email == (staff.email if viewer in FULL_CONTACT else mask_email(staff.email))
    if viewer in FULL_HOME:
        assert (shown.home_latitude, shown.home_longitude) == (-2.7123, 118.9123)
        assert shown.has_home
    else:
        assert (shown.home_latitude, shown.home_longitude, shown.home_radius_m) == (None,) * 3
        assert not shown.has_home


def test_a_masked_nip_is_still_an_18_character_string_that_hides_the_birth_date(world):
    shown = masking.nip_for(scope_for(world.user("leader")), world.staff)
    assert len(shown) == 18 and shown != world.staff.nip
    assert shown[:4] == world.staff.nip[:4] and shown[-3:] == world.staff.nip[-3:]
    assert world.staff.nip[4:15] not in shown


def test_a_leader_who_supervises_someone_sees_that_persons_nip(world):
    """Relations add up: being a leader does not take away being a supervisor."""
    aide = EmployeeFactory(agency=world.agency, unit=world.leader.unit, supervisor=world.leader)
    scope = scope_for(world.user("leader"))
    assert masking.relations_to(scope, aide) == {Relation.LEADER, Relation.SUPERVISOR}
    assert masking.nip_for(scope, aide) == aide.nip


def test_anonymous_and_users_without_an_employee_see_masked_values(world):
    from django.contrib.auth.models import AnonymousUser

    assert masking.nip_for(scope_for(AnonymousUser()), world.staff) == mask_nip(world.staff.nip)


def test_a_page_of_100_people_costs_no_query_per_person(world, django_assert_num_queries):
    EmployeeFactory.create_batch(100, agency=world.agency, unit=world.unit, supervisor=world.boss)
    scope = scope_for(world.user("boss"))
    people = list(Employee.objects.filter(agency=world.agency))
    with django_assert_num_queries(0):
        relations = masking.relations_for(scope, people)
        shown = masking.masked_people(scope, people)
    assert sum(Relation.SUPERVISOR in r for r in relations.values()) == 101  # staff + 100
    assert shown[world.staff.pk].phone == world.staff.phone
    assert shown[world.colleague.pk].nip == mask_nip(world.colleague.nip)


def test_rows_loaded_without_their_ids_cost_one_query_for_the_whole_list(
    world, django_assert_num_queries
):
    EmployeeFactory.create_batch(30, agency=world.agency, unit=world.unit, supervisor=world.boss)
    scope = scope_for(world.user("boss"))
    people = list(Employee.objects.filter(agency=world.agency).only("nip", "name"))
    with django_assert_num_queries(1):
        nips = masking.nips_for(scope, people)
    assert nips[world.staff.pk] == world.staff.nip
    assert nips[world.hr.pk] == mask_nip(world.hr.nip)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_export_rows_by_nip_and_by_id_follow_the_audience(world, viewer):
    scope = scope_for(world.user(viewer))
    expected = world.staff.nip if viewer in FULL_NIP else mask_nip(world.staff.nip)
    by_nip = masking.nips_seen_by(scope, agency_id=world.agency.pk, nips=[world.staff.nip])
    assert by_nip == {world.staff.nip: expected}
    assert masking.nips_by_id(scope, {world.staff.pk: world.staff.nip}) == {
        world.staff.pk: expected
    }


def test_hr_and_inspectors_need_no_query_for_export_nips(world, django_assert_num_queries):
    for viewer in ("hr", "inspector"):
        scope = scope_for(world.user(viewer))
        with django_assert_num_queries(0):
            shown = masking.nips_seen_by(scope, agency_id=world.agency.pk, nips=[world.staff.nip])
        assert shown == {world.staff.nip: world.staff.nip}


def test_a_nip_that_is_nobodys_in_the_agency_is_masked(world):
    scope = scope_for(world.user("leader"))
    shown = masking.nips_seen_by(scope, agency_id=world.agency.pk, nips=[world.stranger.nip])
    assert shown == {world.stranger.nip: mask_nip(world.stranger.nip)}


def test_an_address_names_an_employee_by_nip_or_by_id_and_nothing_else(world):
    people = Employee.objects.all()
    assert list(masking.employee_by_key(people, world.staff.nip)) == [world.staff]
    assert list(masking.employee_by_key(people, str(world.staff.pk))) == [world.staff]
    assert list(masking.employee_by_key(people, "abc")) == []
    assert list(masking.employee_by_key(people, "9" * 19)) == []


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_template_tags_mask_for_the_request_user(world, viewer, rf):
    request = rf.get("/")
    request.user = world.user(viewer)
    html = Template(
        "{% load privacy %}{% nip e %}|{% masked_person e as m %}{{ m.phone }}|{{ m.has_home }}"
    ).render(Context({"request": request, "e": world.staff}))
    staff = world.staff
    nip = staff.nip if viewer in FULL_NIP else mask_nip(staff.nip)
    phone = staff.phone if viewer in FULL_CONTACT else mask_phone(staff.phone)
    assert html == f"{nip}|{phone}|{viewer in FULL_HOME}"


def test_the_template_tag_masks_without_a_request(world):
    html = Template("{% load privacy %}{% nip e %}").render(Context({"e": world.staff}))
    assert html == mask_nip(world.staff.nip)


def test_a_subordinate_sees_the_direct_supervisors_nip_not_the_contacts(world):
    """Leave forms and performance agreements name the direct supervisor with NIP."""
    scope = scope_for(world.staff.user)
    boss = world.staff.supervisor
    relations = masking.relations_to(scope, boss)
    assert relations == {Relation.SUBORDINATE}
    shown = masking.masked_person(boss, relations)
    assert shown.nip == boss.nip
    assert shown.email == mask_email(boss.email) and shown.home_latitude is None
