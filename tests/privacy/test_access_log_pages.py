"""Reading the access log: HR admins and inspectors search their agency's log
(/privasi/akses/, GET /api/v1/privacy/access-log) by whose data, viewer, category and date
range, paginated, with the viewer's IP; another agency's HR sees none of it; employees and
leaders are refused. An employee sees who viewed their own data (/privasi/akses-saya/,
GET /api/v1/me/access-log) without addresses. The back office shows the log read-only to
superusers only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory

from sigap.core import clock
from sigap.core.tokens import token_issue
from sigap.org.models import Role
from sigap.privacy.access import access_record
from sigap.privacy.models import AccessLog, DataCategory
from tests.factories import RoleFactory
from tests.privacy.access_world import WITA, World, world_fixture  # noqa: F401  (the fixture `world`)

SEARCH = "/privasi/akses/"
MINE = "/privasi/akses-saya/"
API = "/api/v1/privacy/access-log"
API_MINE = "/api/v1/me/access-log"


def view(viewer, subjects, category, *, when: dt.datetime, path="/x/", ip="10.0.0.1", what="x"):
    request = RequestFactory().get(path, REMOTE_ADDR=ip)
    with clock.freeze(when):
        return access_record(
            viewer=viewer,
            subject_ids=[s.pk for s in subjects],
            category=category,
            what=what,
            request=request,
        )


def local(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=WITA)


@pytest.fixture
def logged(world: World) -> World:
    w = world
    view(w.boss.user, [w.staff], DataCategory.SELFIE, when=local(23, 9), ip="10.0.0.5", what="s")
    view(w.inspector, [w.staff, w.colleague], DataCategory.LOCATION, when=local(22, 8))
    view(w.hr.user, [w.staff], DataCategory.FACE, when=local(20, 14), path="/api/v1/y")
    view(w.other_hr.user, [w.other_staff], DataCategory.LOCATION, when=local(23, 9))
    return w


def login(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"


def bearer(user) -> dict:
    token = token_issue(user=user, device_id="hp", device_name="HP").token
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}


def shown(answer) -> list[int]:
    return sorted(e.pk for e, _viewer in answer.context["rows"])


def ids(*querysets) -> list[int]:
    return sorted(pk for qs in querysets for pk in qs.values_list("pk", flat=True))


# --- the search page --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["hr", "inspector"])
def test_hr_and_inspectors_see_their_agency_log_with_addresses(client, logged, who):
    w = logged
    login(client, w.hr.user if who == "hr" else w.inspector)
    answer = client.get(SEARCH)
    assert answer.status_code == 200
    mine = AccessLog.objects.filter(agency=w.agency)
    assert shown(answer) == ids(mine)
    assert len(shown(answer)) == 4
    text = answer.content.decode()
    assert "10.0.0.5" in text and w.staff.nip in text and "Atasan Alfa" in text
    assert "Staf Lain" not in text  # another agency's row


@pytest.mark.parametrize(
    ("params", "by", "expected"),
    [
        (lambda w: {"subject": w.staff.nip}, "subject", {"staff"}),
        (lambda w: {"subject": "19"}, "subject", {"staff", "colleague"}),  # NIP start
        (lambda w: {"subject": "citra"}, "subject", {"colleague"}),
        (lambda w: {"viewer": "atasan"}, "viewer", {"boss"}),
        (lambda w: {"viewer": w.hr.nip}, "viewer", {"hr"}),
        (lambda w: {"category": "face"}, "viewer", {"hr"}),
        (lambda w: {"start": "2026-11-22", "end": "2026-11-22"}, "viewer", {"inspector"}),
        (lambda w: {"start": "2026-11-23"}, "viewer", {"boss"}),
        (lambda w: {"end": "2026-11-21"}, "viewer", {"hr"}),
    ],
)
def test_search_filters(client, logged, params, by, expected):
    w = logged
    people = {
        "staff": w.staff.pk,
        "colleague": w.colleague.pk,
        "boss": w.boss.user.pk,
        "hr": w.hr.user.pk,
        "inspector": w.inspector.pk,
    }
    login(client, w.hr.user)
    answer = client.get(SEARCH, params(w))
    assert answer.status_code == 200
    rows = [e for e, _v in answer.context["rows"]]
    found = {e.subject_id if by == "subject" else e.actor_id for e in rows}
    assert found == {people[name] for name in expected}


def test_search_of_another_agencys_employee_is_not_found(client, logged):
    w = logged
    login(client, w.other_hr.user)
    answer = client.get(SEARCH, {"subject": w.staff.nip})
    assert answer.status_code == 404
    assert answer.context["rows"] == []
    everything = client.get(SEARCH)
    assert shown(everything) == ids(AccessLog.objects.filter(agency=w.other_hr.agency))


def test_a_range_ending_before_it_starts_is_refused_on_the_page(client, logged):
    login(client, logged.hr.user)
    answer = client.get(SEARCH, {"start": "2026-11-23", "end": "2026-11-01"})
    assert answer.status_code == 422
    assert "before the start" in answer.content.decode()


@pytest.mark.parametrize("who", ["staff", "boss", "head", "leader"])
def test_others_may_not_search(client, logged, who):
    w = logged
    user = (
        RoleFactory(agency=w.agency, role=Role.LEADER).user
        if who == "leader"
        else getattr(w, who).user
    )
    login(client, user)
    assert client.get(SEARCH).status_code == 403
    answer = client.get(API, **bearer(user))
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"


def test_search_page_is_paginated_with_bounded_queries(
    client, logged, django_assert_max_num_queries
):
    w = logged
    login(client, w.inspector)
    client.get(SEARCH)  # warm the session and caches
    with django_assert_max_num_queries(12) as few:
        client.get(SEARCH)
    for _ in range(60):
        view(w.boss.user, [w.staff, w.colleague], DataCategory.SELFIE, when=local(23, 11))
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = client.get(SEARCH)
    assert len(first.context["rows"]) == 50
    assert first.context["page"].paginator.count == 124
    second = client.get(SEARCH, {"page": 2, "category": "selfie"})
    assert len(second.context["rows"]) == 50 and 'rel="prev"' in second.content.decode()
    assert "category=selfie" in second.content.decode()  # the pager keeps the filters


# --- the API twin -------------------------------------------------------------------------


def test_api_search(client, logged):
    w = logged
    answer = client.get(API, {"subject": w.staff.nip, "category": "selfie"}, **bearer(w.hr.user))
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 1 and body["pages"] == 1
    entry = body["entries"][0]
    assert entry["subject"] == {"nip": w.staff.nip, "name": "Andi Staf", "unit": "Dinas Alfa"}
    assert entry["viewer"]["name"] == "Atasan Alfa" and entry["viewer"]["nip"] == w.boss.nip
    assert entry["category"] == "selfie" and entry["channel"] == "page"
    assert entry["ip"] == "10.0.0.5" and entry["path"] == "/x/" and entry["what"] == "s"
    dated = client.get(API, {"from": "2026-11-22", "to": "2026-11-22"}, **bearer(w.inspector))
    assert {e["viewer"]["name"] for e in dated.json()["entries"]} == {"Inspektur"}
    assert dated.json()["count"] == 2


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"category": "bogus"}, 422, "invalid_input"),
        ({"from": "2026-11-23", "to": "2026-11-01"}, 422, "invalid_input"),
        ({"from": "not-a-date"}, 422, "invalid_input"),
        ({"page": 0}, 422, "invalid_input"),
        ({"subject": "199001012015011001"}, 404, "not_found"),
    ],
)
def test_api_search_refusals(client, logged, params, status, code):
    answer = client.get(API, params, **bearer(logged.hr.user))
    assert answer.status_code == status
    assert answer.json()["code"] == code and "message" in answer.json()


def test_api_search_is_agency_scoped(client, logged):
    w = logged
    answer = client.get(API, {"subject": w.staff.nip}, **bearer(w.other_hr.user))
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    mine = client.get(API, **bearer(w.other_hr.user)).json()
    assert [e["subject"]["nip"] for e in mine["entries"]] == [w.other_staff.nip]


def test_api_search_queries_are_bounded(client, logged, django_assert_max_num_queries):
    w = logged
    auth = bearer(w.hr.user)
    client.get(API, **auth)
    for _ in range(30):
        view(w.inspector, [w.staff, w.colleague, w.boss], DataCategory.LOCATION, when=local(23, 9))
    with django_assert_max_num_queries(12):
        answer = client.get(API, **auth)
    assert len(answer.json()["entries"]) == 50


# --- the employee's own page -------------------------------------------------------------


def test_the_employee_sees_who_viewed_their_data_without_addresses(client, logged):
    w = logged
    login(client, w.staff.user)
    answer = client.get(MINE)
    assert answer.status_code == 200
    assert shown(answer) == ids(AccessLog.objects.filter(subject=w.staff))
    text = answer.content.decode()
    assert "Atasan Alfa" in text and "direct supervisor" in text  # the viewer and the role
    assert "Inspektur" in text and "Inspector (Inspektorat)" in text
    assert "HR admin (BKPSDM)" in text and "Dinas Alfa" in text
    assert "10.0.0.5" not in text and "10.0.0.1" not in text  # no addresses
    assert "Citra" not in text  # nobody else's rows


def test_an_employee_nobody_looked_at_sees_an_empty_list(client, logged):
    login(client, logged.head.user)
    answer = client.get(MINE)
    assert answer.status_code == 200 and answer.context["rows"] == []
    assert 'id="access-empty"' in answer.content.decode()


def test_the_page_is_linked_from_the_profile_and_the_menu(client, logged):
    login(client, logged.staff.user)
    text = client.get("/profil/").content.decode()
    assert 'id="profile-access-mine"' in text and 'id="nav-access-mine"' in text
    assert 'id="nav-access-log"' not in text
    login(client, logged.inspector)
    assert 'id="nav-access-log"' in client.get("/").content.decode()


def test_a_user_without_an_employee_record_has_no_own_page(client, logged):
    login(client, logged.inspector)
    assert client.get(MINE).status_code == 404
    answer = client.get(API_MINE, **bearer(logged.inspector))
    assert answer.status_code == 404 and answer.json()["code"] == "not_an_employee"


def test_my_access_log_api(client, logged, django_assert_max_num_queries):
    w = logged
    auth = bearer(w.staff.user)
    client.get(API_MINE, **auth)
    with django_assert_max_num_queries(8):
        answer = client.get(API_MINE, **auth)
    body = answer.json()
    assert answer.status_code == 200 and body["count"] == 3
    assert [e["category"] for e in body["entries"]] == ["selfie", "location", "face"]
    first = body["entries"][0]
    assert first["viewer"] == {
        "name": "Atasan Alfa",
        "roles": ["direct supervisor"],
        "unit": "Dinas Alfa",
        "position": w.boss.position.name,
    }
    assert "ip" not in first and "path" not in first and "subject" not in first
    face = client.get(API_MINE, {"category": "face"}, **auth).json()
    assert face["count"] == 1 and face["entries"][0]["viewer"]["roles"] == ["HR admin (BKPSDM)"]
    later = client.get(API_MINE, {"from": "2026-11-23"}, **auth).json()
    assert later["count"] == 1
    bad = client.get(API_MINE, {"category": "bogus"}, **auth)
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_input"


# --- append-only ---------------------------------------------------------------------------


def test_the_back_office_shows_the_log_read_only_to_superusers(client, logged):
    from sigap.core.models import User

    w = logged
    entry = AccessLog.objects.filter(agency=w.agency).first()
    root = User.objects.create_superuser("root", "root@example.org", "x")
    login(client, root)
    assert client.get("/admin/privacy/accesslog/").status_code == 200
    change = f"/admin/privacy/accesslog/{entry.pk}/change/"
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(change, {"what": "edited"}).status_code == 403
    assert client.get("/admin/privacy/accesslog/add/").status_code == 403
    assert (
        client.post(f"/admin/privacy/accesslog/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    bulk = client.post(
        "/admin/privacy/accesslog/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert AccessLog.objects.count() == 5  # nothing was deleted
    staff_hr = w.hr.user
    staff_hr.is_staff = True
    staff_hr.save(update_fields=["is_staff"])
    login(client, staff_hr)
    assert client.get("/admin/privacy/accesslog/").status_code == 403
