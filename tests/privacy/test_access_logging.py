"""Every page and endpoint that shows another person's selfie, location or face reference
writes the access log (DOMAIN.md section 10): exactly one row per person shown, with who
viewed, whose data, the category, the channel (page or API), the address and the IP; the
owner's own view writes nothing. Health views are logged by sigap.health (their own tests).

To cover a new sensitive view, add one `Case` to CASES (and an own-view case to OWN)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sigap.core.models import User
from sigap.core.tokens import token_issue
from sigap.org.models import Employee
from sigap.privacy.models import AccessLog, Channel, DataCategory
from tests.privacy.access_world import World, world_fixture  # noqa: F401  (the fixture `world`)

IP = "10.9.8.7"


@dataclass(frozen=True)
class Case:
    name: str
    viewer: Callable[[World], User]
    method: str
    url: Callable[[World], str]
    category: str
    subjects: Callable[[World], list[Employee]]
    body: dict | None = None

    @property
    def channel(self) -> str:
        return Channel.API if self.url_is_api else Channel.PAGE

    @property
    def url_is_api(self) -> bool:
        return self.name.startswith("api_")


def _boss(w: World) -> User:
    return w.boss.user


def _hr(w: World) -> User:
    return w.hr.user


def _inspector(w: World) -> User:
    return w.inspector


def _superuser(w: World) -> User:
    return User.objects.create_superuser("root", "root@example.org", "x")


CASES = [
    Case(
        "selfie_file_for_the_supervisor",
        _boss,
        "get",
        lambda w: f"/presensi/swafoto/{w.check_in.pk}/",
        DataCategory.SELFIE,
        lambda w: [w.staff],
    ),
    Case(
        "selfie_file_for_the_inspector",
        _inspector,
        "get",
        lambda w: f"/presensi/swafoto/{w.check_in.pk}/",
        DataCategory.SELFIE,
        lambda w: [w.staff],
    ),
    Case(
        "supervisor_review_page",
        _boss,
        "get",
        lambda w: "/presensi/tinjauan/",
        DataCategory.LOCATION,
        lambda w: [w.staff],
    ),
    Case(
        "api_check_ins_of_a_subordinate",
        _boss,
        "get",
        lambda w: f"/api/v1/attendance/check-ins?employee={w.staff.nip}&date=2026-11-23",
        DataCategory.LOCATION,
        lambda w: [w.staff],
    ),
    Case(
        "api_supervisor_review_queue",
        _boss,
        "get",
        lambda w: "/api/v1/attendance/reviews",
        DataCategory.LOCATION,
        lambda w: [w.staff],
    ),
    Case(
        "api_supervisor_review_decision",
        _boss,
        "post",
        lambda w: f"/api/v1/attendance/check-ins/{w.check_in.pk}/review",
        DataCategory.LOCATION,
        lambda w: [w.staff],
        body={"decision": "accept", "note": ""},
    ),
    Case(
        "map_data",
        _inspector,
        "get",
        lambda w: "/peta/data/?date=2026-11-23",
        DataCategory.LOCATION,
        lambda w: [w.staff, w.colleague, w.boss],
    ),
    Case(
        "map_data_with_refused_attempts",
        _inspector,
        "get",
        lambda w: "/peta/data/?date=2026-11-23&refused=1",
        DataCategory.LOCATION,
        lambda w: [w.staff, w.colleague, w.boss, w.head],
    ),
    Case(
        "verification_queue_page",
        _inspector,
        "get",
        lambda w: "/verifikasi/",
        DataCategory.LOCATION,
        lambda w: [w.staff],
    ),
    Case(
        "api_verification_queue",
        _inspector,
        "get",
        lambda w: "/api/v1/verification/queue",
        DataCategory.LOCATION,
        lambda w: [w.staff],
    ),
    Case(
        "review_reference_photo",
        _inspector,
        "get",
        lambda w: f"/verifikasi/rujukan/{w.reference.pk}/",
        DataCategory.FACE,
        lambda w: [w.staff],
    ),
    Case(
        "enrolment_reference_photo",
        _hr,
        "get",
        lambda w: f"/verifikasi/wajah/foto/{w.reference.pk}/",
        DataCategory.FACE,
        lambda w: [w.staff],
    ),
    Case(
        "back_office_employee_form",
        _superuser,
        "get",
        lambda w: f"/admin/org/employee/{w.staff.pk}/change/",
        DataCategory.LOCATION,
        lambda w: [w.staff],
    ),
]


def call(client, case_or_url, viewer: User, method: str = "get", body=None, *, api=False):
    """GET/POST as `viewer`: a bearer token for the API, the session for pages."""
    url = case_or_url
    extra = {"REMOTE_ADDR": IP}
    if api:
        token = token_issue(user=viewer, device_id="hp", device_name="HP").token
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    else:
        client.force_login(viewer)
    if method == "post":
        return client.post(url, body or {}, content_type="application/json", **extra)
    return client.get(url, **extra)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_sensitive_view_logs_one_row_per_person_shown(client, world, case):
    w = world
    viewer = case.viewer(w)
    url = case.url(w)
    with CaptureQueriesContext(connection) as queries:
        answer = call(client, url, viewer, case.method, case.body, api=case.url_is_api)
        assert answer.status_code in (200, 201), answer.content[:300]
        if hasattr(answer, "streaming_content"):
            b"".join(answer.streaming_content)
    rows = list(AccessLog.objects.order_by("subject_id"))
    assert {r.subject_id for r in rows} == {e.pk for e in case.subjects(w)}
    assert len(rows) == len(case.subjects(w))
    assert {(r.actor_id, r.category, r.channel, r.path, r.ip) for r in rows} == {
        (viewer.pk, case.category, case.channel, url, IP)
    }
    assert len({r.event for r in rows}) == 1  # one view, one event
    assert {r.agency_id for r in rows} == {w.agency.pk}
    assert all(r.actor_name and r.what for r in rows)
    # the log costs one INSERT and one small SELECT (the people's agencies and the
    # viewer's own record), whatever the number of people shown
    log_queries = [q["sql"] for q in queries.captured_queries if "privacy_accesslog" in q["sql"]]
    assert len(log_queries) == 1 and log_queries[0].lstrip().upper().startswith("INSERT")
    lookups = [
        q["sql"]
        for q in queries.captured_queries
        if '"org_employee"' in q["sql"] and '"user_id" =' in q["sql"] and " OR " in q["sql"]
    ]
    assert len(lookups) == 1


@dataclass(frozen=True)
class Own:
    name: str
    viewer: Callable[[World], User]
    url: Callable[[World], str]
    api: bool = False


OWN = [
    Own("own_selfie", lambda w: w.staff.user, lambda w: f"/presensi/swafoto/{w.check_in.pk}/"),
    Own(
        "own_check_ins_by_nip",
        lambda w: w.staff.user,
        lambda w: f"/api/v1/attendance/check-ins?employee={w.staff.nip}&date=2026-11-23",
        api=True,
    ),
    Own(
        "own_reference_photo",
        lambda w: w.hr.user,
        lambda w: f"/verifikasi/wajah/foto/{w.hr_reference.pk}/",
    ),
]


@pytest.mark.parametrize("case", OWN, ids=[c.name for c in OWN])
def test_the_owner_viewing_their_own_data_logs_nothing(client, world, case):
    answer = call(client, case.url(world), case.viewer(world), api=case.api)
    assert answer.status_code == 200
    assert not AccessLog.objects.exists()


def test_the_map_logs_the_others_but_not_the_viewing_unit_head(client, world):
    w = world
    answer = call(client, "/peta/data/?date=2026-11-23&refused=1", w.head.user)
    assert answer.status_code == 200
    assert len(answer.json()["points"]) == 4  # the head's own refused attempt is on the map
    logged = set(AccessLog.objects.values_list("subject_id", flat=True))
    assert logged == {w.staff.pk, w.colleague.pk, w.boss.pk}


def test_a_refused_view_logs_nothing(client, world):
    w = world
    assert call(client, f"/presensi/swafoto/{w.check_in.pk}/", w.other_hr.user).status_code == 404
    assert call(client, "/peta/data/", w.staff.user).status_code == 403
    assert call(client, f"/verifikasi/wajah/foto/{w.reference.pk}/", w.boss.user).status_code == 404
    assert not AccessLog.objects.exists()


def test_an_empty_page_logs_nothing(client, world):
    w = world
    # nobody of the colleague's (none) is pending; nobody checked in on the 20th
    assert call(client, "/presensi/tinjauan/", w.colleague.user).status_code == 200
    assert call(client, "/peta/data/?date=2026-11-20", w.inspector).status_code == 200
    assert not AccessLog.objects.exists()
