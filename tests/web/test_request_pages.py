"""Request pages (/pengajuan/): the employee's list, balance and form; the approver's queue
with bulk approval; HR's agency-wide list and the month lock; attachments; who sees what."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sigap.attendance.models import AttendanceDay, AttendanceRequest, MonthReopening, RequestStep
from sigap.attendance.requests import selectors
from sigap.core.models import User
from sigap.org.models import Role
from tests.attendance.test_requests_services import PDF, existing, org  # noqa: F401
from tests.factories import AgencyFactory, EmployeeFactory, RoleFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

D = dt.date
NEXT_MONDAY = D(2026, 6, 22)
NEW = reverse("web:request_new")
LIST = reverse("web:requests")
QUEUE = reverse("web:request_queue")
HR = reverse("web:requests_hr")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _monday(freeze):
    freeze(2026, 6, 15, 8, 0)  # Monday 15 June 2026, 08:00 WITA


@pytest.fixture
def peer(org):  # noqa: F811
    """A supervisor in the same unit with a subordinate of their own (not the worker's)."""
    person = EmployeeFactory(agency=org.agency, unit=org.unit, name="Citra Sejawat")
    EmployeeFactory(agency=org.agency, unit=org.unit, supervisor=person, name="Dedi Bawahan")
    return person


def leave(**kw) -> dict:
    return {"type": "CT", "start": "2026-06-22", "end": "2026-06-24", "reason": "Mudik"} | kw


def login(client, user) -> None:
    client.force_login(User.objects.get(pk=user.pk))


def submit(client, employee, **kw):
    login(client, employee.user)
    return client.post(NEW, leave(**kw))


def text_of(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert found, f"no #{element_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def notes(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def ask(employee, type="IZIN", day=NEXT_MONDAY, approver=None):
    """A submitted request with one supervisor step (default: the employee's supervisor)."""
    made = existing(employee, type, day, day, "submitted", 1)
    made.steps.create(order=1, role="supervisor", approver=approver or employee.supervisor)
    return made


# --- the employee's page and the form -------------------------------------------------------


def test_form_submits_a_ct_and_it_appears_with_the_balance_pending(client, org):  # noqa: F811
    login(client, org.worker.user)
    before = client.get(LIST).content.decode()
    assert (text_of(before, "balance-pending"), text_of(before, "balance-remaining")) == (
        "− 0",
        "10",
    )
    form = client.get(NEW).content.decode()
    assert form.count("<option value=") >= 11 + 2  # every type, and the correction kinds
    assert 'data-types="KOREKSI"' in form and "web/requests.js" in form
    assert "<script>" not in form

    response = client.post(NEW, leave(reference="800/12"))

    assert response.status_code == 302 and response["Location"] == LIST
    assert notes(response)[0][0] == "success"
    created = AttendanceRequest.objects.get()
    assert (created.type, created.start, created.end, created.working_days) == (
        "CT",
        D(2026, 6, 22),
        D(2026, 6, 24),
        3,
    )
    assert created.steps.get().approver == org.boss
    html = client.get(LIST).content.decode()
    assert f'id="request-{created.pk}" data-type="CT" data-status="submitted"' in html
    assert 'data-decision="pending"' in html and "Budi Atasan" in html
    assert text_of(html, "balance-pending") == "− 3"
    assert text_of(html, "balance-remaining") == "7"


@pytest.mark.parametrize(
    ("end", "codes"),
    [
        ("2026-07-10", ["balance_exceeded"]),
        ("2026-06-19", ["end_before_start"]),
        ("2027-01-05", ["spans_years", "balance_exceeded"]),
    ],
)
def test_a_refused_request_lists_every_issue_and_stores_nothing(client, org, end, codes):  # noqa: F811
    response = submit(client, org.worker, end=end)

    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="request-errors"' in html and 'role="alert"' in html
    assert re.findall(r'<li data-code="(\w+)">', html) == codes
    assert 'id="error-end"' in html  # and under the field
    assert 'value="Mudik"' not in html  # a textarea keeps the reason as its content
    assert "Mudik</textarea>" in html
    assert AttendanceRequest.objects.count() == 0


def test_the_refusal_message_is_the_services(client, org):  # noqa: F811
    html = submit(client, org.worker, end="2026-07-10").content.decode()
    assert re.search(r'data-code="balance_exceeded"><a href="#field-end">[^<]*15[^<]*10', html)


def test_field_errors_show_under_their_fields(client, org):  # noqa: F811
    response = submit(client, org.worker, reason="")
    assert response.status_code == 422
    assert 'id="error-reason"' in response.content.decode()
    bad = io.BytesIO(b"GIF89a" + b"\x00" * 100)
    bad.name = "surat.pdf"
    response = client.post(NEW, leave(type="IZIN", end="2026-06-22", attachment=bad))
    assert response.status_code == 422
    assert 'id="error-attachment"' in response.content.decode()
    big = io.BytesIO(PDF + b"0" * (5 * 1024 * 1024))
    big.name = "surat.pdf"
    response = client.post(NEW, leave(type="IZIN", end="2026-06-22", attachment=big))
    assert response.status_code == 422
    assert 'id="error-attachment"' in response.content.decode()
    response = client.post(NEW, leave(type="DL", reference="1", destination_latitude="-5.1"))
    assert 'id="error-destination_latitude"' in response.content.decode()
    assert AttendanceRequest.objects.count() == 0


def test_correction_takes_its_date_kind_and_time(client, org):  # noqa: F811
    login(client, org.worker.user)
    body = {"type": "KOREKSI", "date": "2026-06-12", "kind": "in", "time": "07:25"}
    # the range fields are hidden for a correction: whatever they hold is ignored
    response = client.post(NEW, body | {"start": "2026-06-01", "end": "", "reason": "Lupa"})
    assert response.status_code == 302, response.content.decode()
    created = AttendanceRequest.objects.get()
    assert (created.type, created.start, created.end) == ("KOREKSI", D(2026, 6, 12), D(2026, 6, 12))
    assert (created.correction_kind, created.correction_time) == ("in", dt.time(7, 25))

    missing = client.post(NEW, body | {"date": "2026-06-11", "time": "", "reason": "Lupa"})
    assert missing.status_code == 422
    html = missing.content.decode()
    assert 'data-code="correction_fields_required"' in html and 'id="error-time"' in html
    assert AttendanceRequest.objects.count() == 1


def test_travel_keeps_its_destination_and_other_types_drop_it(client, org):  # noqa: F811
    login(client, org.worker.user)
    place = {"destination": "Makassar", "destination_latitude": "-5.14"}
    place["destination_longitude"] = "119.42"
    travel = client.post(NEW, leave(type="DL", reference="094/1") | place)
    assert travel.status_code == 302, travel.content.decode()
    created = AttendanceRequest.objects.get()
    assert (created.destination, created.destination_latitude) == ("Makassar", -5.14)
    izin = client.post(NEW, leave(type="IZIN", start="2026-06-26", end="2026-06-26") | place)
    assert izin.status_code == 302
    assert AttendanceRequest.objects.get(type="IZIN").destination == ""


def test_the_employee_cancels_a_submitted_request_and_nobody_else_can(client, org):  # noqa: F811
    made = ask(org.worker)
    cancel = reverse("web:request_cancel", args=[made.pk])
    login(client, org.boss.user)
    assert client.post(cancel).status_code == 403
    login(client, org.worker.user)
    response = client.post(cancel)
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == "cancelled"
    again = client.post(cancel)
    assert notes(again)[-1][0] == "error"


def test_detail_for_the_employee_and_the_approver_only(client, org, peer):  # noqa: F811
    made = ask(org.worker)
    url = reverse("web:request_detail", args=[made.pk])
    for person in (org.worker, org.boss, org.head):
        login(client, person.user)
        assert client.get(url).status_code == 200
    login(client, peer.user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("web:request_detail", args=[999999])).status_code == 404


# --- the approver's queue -------------------------------------------------------------------


def test_queue_shows_a_subordinates_request_to_the_supervisor_only(client, org, peer):  # noqa: F811
    made = ask(org.worker)
    login(client, org.boss.user)
    html = client.get(QUEUE).content.decode()
    assert f'id="request-{made.pk}"' in html and "Andi Pegawai" in html
    assert 'id="nav-approvals"' in html
    login(client, peer.user)
    html = client.get(QUEUE).content.decode()
    assert 'id="queue-empty"' in html and f'id="request-{made.pk}"' not in html
    decide = reverse("web:request_decide", args=[made.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    elsewhere = EmployeeFactory(agency=AgencyFactory())
    login(client, elsewhere.user)
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    login(client, org.worker.user)  # one's own request
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    made.refresh_from_db()
    assert made.status == "submitted"


def test_approve_with_a_note_changes_the_days_and_reject_keeps_its_note(client, org):  # noqa: F811
    submit(client, org.worker)
    second = client.post(NEW, leave(type="IZIN", start="2026-06-26", end="2026-06-26"))
    assert second.status_code == 302
    ct, izin = AttendanceRequest.objects.order_by("pk")
    login(client, org.boss.user)

    approved = client.post(
        reverse("web:request_decide", args=[ct.pk]), {"decision": "approve", "note": "Selamat"}
    )
    rejected = client.post(
        reverse("web:request_decide", args=[izin.pk]), {"decision": "reject", "note": "Rapat"}
    )

    assert approved.status_code == rejected.status_code == 302
    ct.refresh_from_db(), izin.refresh_from_db()
    assert (ct.status, izin.status) == ("approved", "rejected")
    assert RequestStep.objects.get(request=ct).note == "Selamat"
    assert RequestStep.objects.get(request=izin).note == "Rapat"
    assert AttendanceDay.objects.get(employee=org.worker, date=D(2026, 6, 22)).status == "CT"
    login(client, org.worker.user)
    html = client.get(LIST).content.decode()
    assert "Selamat" in html and "Rapat" in html and 'data-decision="rejected"' in html
    login(client, org.boss.user)
    again = client.post(reverse("web:request_decide", args=[ct.pk]), {"decision": "approve"})
    assert notes(again)[-1][0] == "error"  # already decided: said, not a crash
    assert client.post(reverse("web:request_decide", args=[ct.pk])).status_code == 400


def test_bulk_approval_reports_what_failed_and_why(client, org, peer):  # noqa: F811
    first = ask(org.worker, day=D(2026, 6, 22))
    second = ask(org.worker, day=D(2026, 6, 23))
    other = peer.__class__.objects.get(supervisor=peer)
    foreign = ask(other, day=D(2026, 6, 22))  # decided by the peer, not by the boss
    login(client, org.boss.user)
    html = client.get(QUEUE).content.decode()
    assert html.count('name="ids"') == 2 and 'form="bulk-form"' in html

    ids = [first.pk, second.pk, foreign.pk, "x"]
    response = client.post(reverse("web:request_bulk_approve"), {"ids": ids, "note": "Oke"})

    assert response.status_code == 302
    statuses = dict(AttendanceRequest.objects.values_list("pk", "status"))
    assert [statuses[r.pk] for r in (first, second, foreign)] == ["approved"] * 2 + ["submitted"]
    reported = notes(response)
    assert [level for level, _ in reported] == ["success", "error"]
    assert "2" in reported[0][1] and "Andi Pegawai" in reported[0][1]
    assert "Dedi Bawahan" in reported[1][1]
    assert RequestStep.objects.get(request=first).note == "Oke"
    nothing = client.post(reverse("web:request_bulk_approve"), {"ids": []})
    assert notes(nothing)[-1][0] == "error"


def test_hr_decides_the_steps_nobody_else_can(client, org):  # noqa: F811
    orphan = ask(org.head)  # the unit head has no supervisor and no unit above
    orphan.steps.update(approver=None)
    login(client, org.hr)
    assert f'id="request-{orphan.pk}"' in client.get(QUEUE).content.decode()
    client.post(reverse("web:request_decide", args=[orphan.pk]), {"decision": "approve"})
    orphan.refresh_from_db()
    assert orphan.status == "approved"


def test_waiting_count_and_nav_links(client, org):  # noqa: F811
    ask(org.worker)
    assert selectors.awaiting_count(user=User.objects.get(pk=org.boss.user.pk)) == 1
    assert selectors.awaiting_count(user=User.objects.get(pk=org.worker.user.pk)) == 0
    login(client, org.boss.user)
    html = client.get(LIST).content.decode()
    assert 'id="requests-waiting"' in html
    assert f'href="{LIST}"' in html and f'href="{QUEUE}"' in html
    login(client, org.worker.user)
    html = client.get(LIST).content.decode()
    assert f'href="{LIST}"' in html and f'href="{QUEUE}"' not in html
    assert 'id="requests-waiting"' not in html and f'href="{HR}"' not in html
    login(client, org.hr)
    assert f'href="{HR}"' in client.get(QUEUE).content.decode()


def test_list_and_queue_query_counts_do_not_grow(client, org, django_assert_max_num_queries):  # noqa: F811
    def count(user, url: str) -> tuple[int, int]:
        login(client, user)
        client.get(url)  # warm the caches
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url).content.decode()
        return len(captured), html.count('<article class="')

    for day in (22, 23):
        ask(org.worker, day=D(2026, 6, day))
    few = count(org.worker.user, LIST), count(org.boss.user, QUEUE)
    for day in range(1, 13):
        ask(org.worker, day=D(2026, 7, day))
    with django_assert_max_num_queries(15):
        more = count(org.worker.user, LIST), count(org.boss.user, QUEUE)
    assert [n for n, _ in more] == [n for n, _ in few]
    assert [shown for _, shown in more] == [14, 14]


# --- attachments ----------------------------------------------------------------------------


def test_attachment_for_the_owner_and_the_approver_only(client, org, peer):  # noqa: F811
    note = io.BytesIO(PDF)
    note.name = "surat-dokter.pdf"
    sick = leave(type="CS", start="2026-06-15", end="2026-06-17", attachment=note)
    assert submit(client, org.worker, **sick).status_code == 302
    made = AttendanceRequest.objects.get()
    url = reverse("web:request_attachment", args=[made.pk])
    for person in (org.worker, org.boss):
        login(client, person.user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
    assert "attachment-link" in client.get(QUEUE).content.decode()
    for outsider in (peer, EmployeeFactory(agency=AgencyFactory())):
        login(client, outsider.user)
        assert client.get(url).status_code == 404
    plain = ask(org.worker, day=D(2026, 6, 26))
    login(client, org.worker.user)
    assert client.get(reverse("web:request_attachment", args=[plain.pk])).status_code == 404


# --- HR's view and the month lock -------------------------------------------------------------


@pytest.fixture
def many(org):  # noqa: F811
    """n requests spread over the unit, a division below it and another unit."""
    division = UnitFactory(agency=org.agency, parent=org.unit, name="Bidang Aplikasi")
    elsewhere = UnitFactory(agency=org.agency, name="Dinas Lain")
    people = [
        EmployeeFactory(agency=org.agency, unit=division, supervisor=org.boss, name="Eko Bidang"),
        EmployeeFactory(agency=org.agency, unit=elsewhere, name="Fajar Lain"),
        org.worker,
    ]

    def _many(n: int) -> list[AttendanceRequest]:
        made = []
        for i in range(n):
            day = D(2026, 5, 4) + dt.timedelta(days=i)
            kind, status = ("CT", "approved") if i % 3 == 0 else ("IZIN", "submitted")
            made.append(existing(people[i % 3], kind, day, day, status, 1))
            made[-1].steps.create(order=1, role="supervisor", approver=org.boss)
        return made

    _many.division, _many.people = division, people
    return _many


def rows(response) -> list[int]:
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'<tr id="request-(\d+)"', response.content.decode())]


def test_hr_lists_the_agency_with_filters_and_pages(client, org, many):  # noqa: F811
    made = many(60)
    login(client, org.hr)
    first, second = rows(client.get(HR)), rows(client.get(HR + "?page=2"))
    assert (len(first), len(second)) == (50, 10)
    assert set(first) | set(second) == {r.pk for r in made}
    approved = rows(client.get(HR + "?status=approved"))
    assert len(approved) == 20
    assert rows(client.get(HR + "?type=CT")) == approved
    division = many.division
    assert len(rows(client.get(f"{HR}?unit={division.pk}"))) == 20
    assert len(rows(client.get(f"{HR}?unit={org.unit.pk}"))) == 40  # with the division below
    june = rows(client.get(HR + "?month=2026-06"))
    assert {r.start.month for r in made if r.pk in june} == {6}
    eko = many.people[0]
    assert len(rows(client.get(f"{HR}?q={eko.nip[:12]}"))) == 20
    assert len(rows(client.get(HR + "?q=fajar"))) == 20
    # garbled filters are ignored, not refused
    assert len(rows(client.get(HR + "?status=maybe&month=2026-13&unit=x&page=99"))) == 10


def test_hr_list_query_count_does_not_grow(client, org, many, django_assert_max_num_queries):  # noqa: F811
    def count(query: str = "") -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HR + query).status_code == 200
        return len(captured)

    many(5)
    login(client, org.hr)
    count()  # warm the caches
    few = count("?status=submitted")
    many(55)
    with django_assert_max_num_queries(20):
        more = count("?status=submitted")
    assert more == few


def test_only_whole_agency_roles_see_all_requests(client, org):  # noqa: F811
    for role in (Role.LEADER, Role.INSPECTOR):
        user = UserFactory()
        RoleFactory(user=user, agency=org.agency, role=role)
        login(client, user)
        html = client.get(HR).content.decode()
        assert 'id="months"' in html and "reopen-form" not in html  # read-only
    for person in (org.worker, org.boss, org.head):
        login(client, person.user)
        assert client.get(HR).status_code == 403


def test_hr_reopens_a_locked_month_and_closes_it_again(client, org):  # noqa: F811
    login(client, org.hr)
    html = client.get(HR).content.decode()
    # 15 June: May's deadline (3rd working day of June) is past; June is open
    assert re.search(r'id="month-2026-05" data-locked="true" data-reopened="false"', html)
    assert re.search(r'id="month-2026-06" data-locked="false"', html)
    reopen = reverse("web:month_reopen", args=[2026, 5])
    refused = client.post(reopen, {"reason": " "})
    assert notes(refused)[-1][0] == "error" and not MonthReopening.objects.exists()

    response = client.post(reopen, {"reason": "Klarifikasi SPT"})

    assert response.status_code == 302 and response["Location"].endswith("#months")
    reopening = MonthReopening.objects.get()
    assert (reopening.reason, reopening.reopened_by_id, reopening.closed_at) == (
        "Klarifikasi SPT",
        org.hr.pk,
        None,
    )
    html = client.get(HR).content.decode()
    assert re.search(r'id="month-2026-05" data-locked="false" data-reopened="true"', html)
    assert "Klarifikasi SPT" in html
    close = client.post(reverse("web:month_close", args=[2026, 5]))
    assert close.status_code == 302
    reopening.refresh_from_db()
    assert reopening.closed_at is not None
    html = client.get(HR).content.decode()
    assert re.search(r'id="month-2026-05" data-locked="true" data-reopened="false"', html)


def test_reopening_is_refused_to_others(client, org):  # noqa: F811
    leader = UserFactory()
    RoleFactory(user=leader, agency=org.agency, role=Role.LEADER)
    for user in (org.worker.user, org.head.user, leader):
        login(client, user)
        reopen = reverse("web:month_reopen", args=[2026, 5])
        assert client.post(reopen, {"reason": "x"}).status_code == 403
        assert client.post(reverse("web:month_close", args=[2026, 5])).status_code == 403
    assert not MonthReopening.objects.exists()


# --- sign-in required -----------------------------------------------------------------------


def test_every_page_needs_a_sign_in(client, org):  # noqa: F811
    made = ask(org.worker)
    pages = [LIST, NEW, QUEUE, HR, reverse("web:request_detail", args=[made.pk])]
    pages.append(reverse("web:request_attachment", args=[made.pk]))
    posts = [
        reverse("web:request_cancel", args=[made.pk]),
        reverse("web:request_decide", args=[made.pk]),
        reverse("web:request_bulk_approve"),
        reverse("web:month_reopen", args=[2026, 5]),
        reverse("web:month_close", args=[2026, 5]),
    ]
    for url in pages + posts:
        response = client.post(url) if url in posts else client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("web:login") + "?next="), url
    made.refresh_from_db()
    assert made.status == "submitted"
