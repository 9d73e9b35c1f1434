"""Daily-report pages (/kinerja/): the phone form (evidence photo, per-activity errors,
read-only once approved, repeat yesterday), the supervisor's queue (scope, approve,
return with a note, bulk approve, bounded queries), a report's history, evidence files,
tasks, and who may see what."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from PIL import Image

from sigap.arrangements.models import EntryReason, Mode
from sigap.core import clock
from sigap.performance.models import (
    Activity,
    DailyReport,
    Evidence,
    Task,
    TaskStatus,
)
from sigap.performance.services import (
    daily_report_review,
    daily_report_submit,
    task_assign,
)
from tests.arrangements.conftest import plan
from tests.attendance.fixtures import MONDAY
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

FRIDAY = MONDAY - dt.timedelta(days=3)
URL = "/kinerja/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def team(office_worker):
    """A supervisor (Atasan) with two subordinates: the office worker and Budi."""
    boss = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit, name="Atasan")
    office_worker.supervisor = boss
    office_worker.save(update_fields=["supervisor"])
    other = EmployeeFactory(
        agency=office_worker.agency, unit=office_worker.unit, supervisor=boss, name="Budi"
    )
    return {"boss": boss, "staff": office_worker, "other": other}


@pytest.fixture
def monday(freeze):
    return freeze(2026, 11, 23, 17, 0)


def png(name: str = "bukti.png") -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 30)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def row(**overrides) -> dict:
    return {
        "description": "Menyusun draf SOP layanan",
        "output_qty": "1",
        "output_unit": "dokumen",
        "minutes": "240",
    } | overrides


def form_data(*rows: dict, total: int | None = None) -> dict:
    """The formset's POST: management form + activity-N-field for each row."""
    data = {
        "activity-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "activity-INITIAL_FORMS": "0",
        "activity-MIN_NUM_FORMS": "0",
        "activity-MAX_NUM_FORMS": "100",
    }
    for index, values in enumerate(rows):
        data |= {f"activity-{index}-{key}": value for key, value in values.items()}
    return data


def activity(**overrides) -> dict:
    return {
        "description": "Menyusun draf SOP layanan",
        "output_qty": 1,
        "output_unit": "dokumen",
        "minutes": 240,
        "evidence_url": None,
        "task_id": None,
    } | overrides


def submit(employee, day=MONDAY, activities=None):
    return daily_report_submit(
        employee=employee, date=day, activities=activities or [activity()], user=employee.user
    )


def text(response) -> str:
    return html_lib.unescape(response.content.decode())


def fieldset(html: str, index: int) -> str:
    found = re.search(
        rf'<fieldset class="activity card" id="row-activity-{index}">(.*?)</fieldset>', html, re.S
    )
    assert found, f"no row {index}"
    return found.group(1)


def in_indonesian(message: str) -> str:
    with translation.override("id"):
        return gettext(message)


# --- the form ---------------------------------------------------------------------------


def test_form_saves_a_report_with_a_photo(client, monday, team):
    staff = team["staff"]
    client.force_login(staff.user)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="report-form"' in html and 'enctype="multipart/form-data"' in html
    assert 'accept="image/*,application/pdf"' in html and 'capture="environment"' in html
    assert 'id="activity-template"' in html and "activity-__prefix__-description" in html
    assert "<script>" not in html  # data travels as JSON (CSP)

    data = form_data(row(evidence_file=png()), row(description="Rapat koordinasi", minutes="90"))
    response = client.post(URL, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("web:report_edit", args=["2026-11-23"])
    report = DailyReport.objects.get(employee=staff)
    assert (report.date, report.status, report.total_minutes) == (MONDAY, "submitted", 330)
    first, second = report.activities.order_by("order")
    assert first.evidence.content_type == "image/png"
    assert second.description == "Rapat koordinasi" and second.evidence is None
    shown = text(client.get(reverse("web:report_edit", args=["2026-11-23"])))
    assert 'data-status="submitted"' in shown
    assert f'value="/kinerja/bukti/{first.evidence_id}/"' in shown  # the photo is kept
    assert client.get(f"/kinerja/bukti/{first.evidence_id}/").status_code == 200


def test_errors_are_shown_per_activity_and_nothing_is_stored(client, monday, team, settings):
    client.force_login(team["staff"].user)
    data = form_data(
        row(evidence_file=png()),
        row(minutes="0"),
        row(description="   "),
    )

    response = client.post(URL, data)

    assert response.status_code == 422
    html = text(response)
    assert "activity-1-minutes" in html
    assert in_indonesian("Activity %(n)s: the minutes must be more than zero.") % {"n": 2} in (
        fieldset(html, 1)
    )
    assert in_indonesian("Activity %(n)s: describe what you did.") % {"n": 3} in fieldset(html, 2)
    assert "field-error" not in fieldset(html, 0)
    assert not DailyReport.objects.exists()
    assert not Evidence.objects.exists()
    stored = settings.MEDIA_ROOT / "evidence"
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))


def test_a_file_that_is_not_an_image_is_refused_on_its_row(client, monday, team):
    client.force_login(team["staff"].user)
    fake = io.BytesIO(b"MZ\x90\x00 not a picture")
    fake.name = "bukti.jpg"

    response = client.post(URL, form_data(row(), row(evidence_file=fake)))

    assert response.status_code == 422
    assert "field-error" in fieldset(text(response), 1)
    assert not DailyReport.objects.exists() and not Evidence.objects.exists()


def test_empty_rows_are_ignored_and_garbled_numbers_are_refused(client, monday, team):
    client.force_login(team["staff"].user)
    blank = {"description": "", "output_qty": "", "output_unit": "", "minutes": ""}
    saved = client.post(URL, form_data(row(), blank))
    assert saved.status_code == 302
    assert Activity.objects.count() == 1
    garbled = client.post(URL, form_data(row(minutes="lama")))
    assert garbled.status_code == 422
    assert "field-error" in fieldset(text(garbled), 0)
    assert DailyReport.objects.get().total_minutes == 240


def test_future_dates_and_strange_dates_are_not_found(client, monday, team):
    client.force_login(team["staff"].user)
    assert client.get("/kinerja/2026-11-24/").status_code == 404
    assert client.get("/kinerja/2026-02-30/").status_code == 404
    assert client.get("/kinerja/2026-11-20/").status_code == 200


def test_an_approved_report_is_read_only(client, monday, team):
    report = submit(team["staff"])
    daily_report_review(user=team["boss"].user, report=report, approve=True)
    client.force_login(team["staff"].user)
    page = text(client.get(URL))
    assert 'id="report-form"' not in page and 'id="report-readonly"' in page

    response = client.post(URL, form_data(row(description="Diubah", minutes="30")))

    assert response.status_code == 409
    assert in_indonesian("This report is already approved.") in text(response)
    report.refresh_from_db()
    assert (report.status, report.total_minutes, report.version) == ("approved", 240, 1)
    assert list(report.activities.values_list("description", flat=True)) == [
        "Menyusun draf SOP layanan"
    ]


def test_repeat_yesterday_fills_the_rows_from_the_previous_report(client, freeze, team):
    freeze(2026, 11, 20, 17, 0)  # Friday
    submit(team["staff"], FRIDAY, [activity(description="Verifikasi data SPBE", minutes=120)])
    freeze(2026, 11, 23, 9, 0)  # Monday
    client.force_login(team["staff"].user)

    plain = text(client.get(URL))
    assert 'id="repeat-previous"' in plain and 'id="report-previous"' in plain
    assert "Verifikasi data SPBE" in plain  # in the JSON for report.js, not in a row
    assert "Verifikasi data SPBE</textarea>" not in plain

    repeated = text(client.get(URL + "?repeat=1"))
    assert "Verifikasi data SPBE</textarea>" in fieldset(repeated, 0)
    assert 'name="activity-0-minutes" value="120"' in repeated


def test_a_returned_report_shows_the_note_and_can_be_resubmitted(client, monday, team):
    report = submit(team["staff"])
    daily_report_review(
        user=team["boss"].user, report=report, approve=False, note="Lampirkan draf SOP"
    )
    client.force_login(team["staff"].user)
    page = text(client.get(URL))
    assert 'id="returned-note"' in page and "Lampirkan draf SOP" in page
    assert 'data-status="returned"' in page

    response = client.post(URL, form_data(row(evidence_url="https://drive.example/sop")))

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.version) == ("submitted", 2)
    assert report.activities.get().evidence_url == "https://drive.example/sop"


def test_recent_days_and_missing_required_reports(client, monday, team):
    staff = team["staff"]
    plan(staff, MONDAY - dt.timedelta(days=6), Mode.WFH, reason=EntryReason.POLICY)  # Tue 17
    plan(staff, FRIDAY, Mode.WFA, reason=EntryReason.POLICY)
    plan(staff, MONDAY, Mode.WFH, reason=EntryReason.POLICY)
    submit(staff, FRIDAY)
    client.force_login(staff.user)

    html = client.get(URL).content.decode()

    missing = re.search(r'id="reports-missing".*?</div>', html, re.S).group(0)
    assert 'data-date="2026-11-17"' in missing
    assert 'data-date="2026-11-20"' not in missing  # reported
    assert 'data-date="2026-11-23"' not in missing  # today: not missing yet
    assert 'id="report-required"' in html
    recent = re.search(r'class="report-days">.*?</ul>', html, re.S).group(0)
    assert 'data-date="2026-11-20"' in recent and 'data-status="submitted"' in recent


def test_the_phone_page_asks_whether_a_report_is_required(client, freeze, team):
    freeze(2026, 11, 23, 9, 0)
    plan(team["staff"], MONDAY, Mode.WFH, reason=EntryReason.POLICY)
    client.force_login(team["staff"].user)
    page = client.get(reverse("web:check_in")).content.decode()
    assert 'id="report-today"' in page and 'data-src="/kinerja/hari-ini/"' in page
    assert "/static/web/report.js" in page
    duty = client.get("/kinerja/hari-ini/").json()
    assert duty == {"required": True, "submitted": False, "url": "/kinerja/"}
    client.force_login(team["other"].user)  # in the office: not required
    assert client.get("/kinerja/hari-ini/").json()["required"] is False


def test_nav_links_follow_the_roles(client, monday, team):
    client.force_login(team["staff"].user)
    html = client.get("/").content.decode()
    assert 'id="nav-reports"' in html and 'id="nav-report-review"' not in html
    client.force_login(team["boss"].user)
    assert 'id="nav-report-review"' in client.get("/").content.decode()


# --- the supervisor's queue ---------------------------------------------------------------


def test_queue_shows_a_subordinates_report_to_the_supervisor_only(client, monday, team):
    report = submit(team["staff"])
    peer_boss = EmployeeFactory(agency=team["staff"].agency, unit=team["staff"].unit)
    EmployeeFactory(agency=peer_boss.agency, unit=peer_boss.unit, supervisor=peer_boss)
    client.force_login(team["boss"].user)
    html = client.get(reverse("web:report_queue")).content.decode()
    assert f'id="report-{report.pk}"' in html
    assert "Menyusun draf SOP layanan" in html and team["staff"].nip in html

    client.force_login(peer_boss.user)  # another supervisor
    peer = client.get(reverse("web:report_queue"))
    assert peer.status_code == 200 and f'id="report-{report.pk}"' not in peer.content.decode()
    client.force_login(team["other"].user)  # a colleague without subordinates
    assert client.get(reverse("web:report_queue")).status_code == 403
    decided = client.post(reverse("web:report_decide", args=[report.pk]), {"decision": "approve"})
    assert decided.status_code == 404
    assert DailyReport.objects.get().status == "submitted"


def test_queue_filters_by_status_date_and_person(client, freeze, team):
    freeze(2026, 11, 20, 17, 0)
    friday = submit(team["other"], FRIDAY)
    freeze(2026, 11, 23, 17, 0)
    monday = submit(team["staff"])
    daily_report_review(user=team["boss"].user, report=friday, approve=True)
    client.force_login(team["boss"].user)
    queue = reverse("web:report_queue")

    def shown(query: str) -> set[int]:
        html = client.get(queue + query).content.decode()
        return {
            int(n)
            for n in re.findall(r'<article class="card queue-report" id="report-(\d+)"', html)
        }

    assert shown("") == {monday.pk}  # waiting for review by default
    assert shown("?status=all") == {monday.pk, friday.pk}
    assert shown("?status=approved") == {friday.pk}
    assert shown("?status=all&start=2026-11-21") == {monday.pk}
    assert shown("?status=all&end=2026-11-20") == {friday.pk}
    assert shown("?status=all&person=budi") == {friday.pk}
    assert shown(f"?status=all&person={team['staff'].nip}") == {monday.pk}
    assert shown("?status=all&start=garbled") == {monday.pk, friday.pk}


def test_approve_and_return_with_a_note(client, monday, team):
    first = submit(team["staff"])
    second = submit(team["other"])
    client.force_login(team["boss"].user)
    decide = "web:report_decide"

    approved = client.post(reverse(decide, args=[first.pk]), {"decision": "approve"})
    assert approved.status_code == 302
    refused = client.post(reverse(decide, args=[second.pk]), {"decision": "return", "note": " "})
    follow = text(client.get(refused["Location"]))
    assert in_indonesian("Say what to fix when returning a report.") in follow
    second.refresh_from_db()
    assert second.status == "submitted"
    client.post(reverse(decide, args=[second.pk]), {"decision": "return", "note": "Rinci lagi"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.reviewed_by) == ("approved", team["boss"].user)
    assert (second.status, second.note) == ("returned", "Rinci lagi")


def test_own_report_cannot_be_decided(client, monday, team):
    report = submit(team["staff"])
    client.force_login(team["staff"].user)
    response = client.post(reverse("web:report_decide", args=[report.pk]), {"decision": "approve"})
    assert response.status_code == 403
    assert DailyReport.objects.get().status == "submitted"


def test_bulk_approve_reports_what_it_skipped(client, monday, team):
    mine = submit(team["staff"])
    theirs = submit(team["other"])
    decided = submit(team["other"], FRIDAY)
    daily_report_review(user=team["boss"].user, report=decided, approve=True)
    client.force_login(team["boss"].user)

    response = client.post(
        reverse("web:report_bulk_approve"),
        {"ids": [mine.pk, theirs.pk, decided.pk, 999], "next": "/kinerja/tinjauan/?status=all"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/kinerja/tinjauan/?status=all"
    html = text(response)
    with translation.override("id"):
        assert ngettext("%(n)d report approved.", "%(n)d reports approved.", 2) % {"n": 2} in html
    assert "2" in html and 'class="msg warning"' in html
    statuses = dict(DailyReport.objects.values_list("pk", "status"))
    assert statuses == {mine.pk: "approved", theirs.pk: "approved", decided.pk: "approved"}
    nothing = client.post(reverse("web:report_bulk_approve"), {"ids": []}, follow=True)
    assert 'class="msg error"' in nothing.content.decode()


def make_reports(people: list, count: int, offset: int = 0) -> None:
    """`count` reports of two activities each, alternating between `people`, one day
    back every two reports; the first person's activities carry an evidence file."""
    evidence = Evidence.objects.filter(employee=people[0]).first()
    for n in range(offset, offset + count):
        report = DailyReport.objects.create(
            employee=people[n % 2],
            date=MONDAY - dt.timedelta(days=n // 2),
            total_minutes=120,
            submitted_at=clock.now(),
            late=n % 3 == 0,
        )
        Activity.objects.bulk_create(
            Activity(
                report=report,
                order=order,
                description=f"Kegiatan {n}-{order}",
                output_qty=1,
                output_unit="dokumen",
                minutes=60,
                evidence=evidence if n % 2 == 0 else None,
            )
            for order in range(2)
        )


def test_queue_queries_do_not_grow_with_the_reports(
    client, monday, team, django_assert_max_num_queries
):
    people = [team["staff"], team["other"]]
    Evidence.objects.create(
        employee=people[0],
        file="evidence/x.png",
        content_type="image/png",
        size=1,
        uploaded_at=clock.now(),
    )
    make_reports(people, 3)
    client.force_login(team["boss"].user)
    queue = reverse("web:report_queue")
    client.get(queue)  # warm the caches (unit tree, calendars)
    with CaptureQueriesContext(connection) as small:
        client.get(queue)
    make_reports(people, 27, offset=3)
    with django_assert_max_num_queries(12):
        response = client.get(queue)
    with CaptureQueriesContext(connection) as big:
        client.get(queue)
    html = response.content.decode()
    assert html.count('class="card queue-report"') == 30
    assert html.count("/kinerja/bukti/") == 30  # 15 reports x 2 activities with a file
    assert len(big) == len(small)


# --- report history and evidence ----------------------------------------------------------


def test_report_detail_shows_the_history_to_owner_and_reviewer_only(client, monday, team):
    report = submit(team["staff"])
    daily_report_review(user=team["boss"].user, report=report, approve=False, note="Kurang rinci")
    submit(team["staff"], activities=[activity(), activity(description="Rapat", minutes=60)])
    detail = reverse("web:report_detail", args=[report.pk])

    client.force_login(team["staff"].user)
    html = text(client.get(detail))
    actions = re.findall(r'<li class="event" data-action="(\w+)">', html)
    assert actions == ["submitted", "returned", "resubmitted"]
    assert "Kurang rinci" in html and "Atasan" in html
    assert html.count('<details class="report-snapshot">') == 2  # both submissions, as they were
    assert 'id="report-edit-link"' in html
    client.force_login(team["boss"].user)
    boss_view = client.get(detail)
    assert boss_view.status_code == 200 and 'class="approve-form"' in boss_view.content.decode()
    client.force_login(team["other"].user)
    assert client.get(detail).status_code == 404


def test_evidence_files_are_served_within_scope_only(client, monday, team):
    client.force_login(team["staff"].user)
    client.post(URL, form_data(row(evidence_file=png())))
    evidence = Evidence.objects.get()
    url = reverse("web:evidence", args=[evidence.pk])

    own = client.get(url)
    assert own.status_code == 200
    assert own["Content-Type"] == "image/png"
    assert own["Cache-Control"] == "private, no-store"
    assert b"".join(own.streaming_content).startswith(b"\x89PNG")
    client.force_login(team["boss"].user)
    assert client.get(url).status_code == 200
    client.force_login(team["other"].user)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


# --- tasks ------------------------------------------------------------------------------


def test_tasks_assign_progress_and_done(client, freeze, team):
    freeze(2026, 11, 23, 9, 0)
    client.force_login(team["boss"].user)
    page = client.get(reverse("web:tasks")).content.decode()
    assert f'<option value="{team["staff"].pk}">' in page
    assert f'<option value="{team["boss"].pk}">' not in page
    data = {
        "assignee": team["staff"].pk,
        "title": "Kajian SPBE",
        "target_qty": "4",
        "target_unit": "dokumen",
        "due": "2026-11-27",
    }
    past = client.post(reverse("web:tasks"), data | {"due": "2026-11-01"})
    assert past.status_code == 422 and 'id="error-due"' in past.content.decode()
    assert client.post(reverse("web:tasks"), data).status_code == 302
    task = Task.objects.get()
    assert (task.assignee, task.target_qty) == (team["staff"], 4)

    freeze(2026, 11, 23, 17, 0)
    client.force_login(team["staff"].user)
    form = client.get(URL).content.decode()
    assert f'<option value="{task.pk}">Kajian SPBE' in form
    client.post(URL, form_data(row(output_qty="2.5", task=str(task.pk))))
    mine = client.get(reverse("web:tasks")).content.decode()
    progress = re.search(rf'id="task-{task.pk}".*?data-done="([0-9.]+)"', mine, re.S)
    assert progress and float(progress.group(1)) == 2.5

    client.force_login(team["boss"].user)
    team_page = client.get(reverse("web:tasks")).content.decode()
    assert f'id="team-task-{task.pk}"' in team_page
    client.post(reverse("web:task_status", args=[task.pk]), {"status": "done"})
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_tasks_are_assigned_only_within_scope(client, monday, team):
    client.force_login(team["other"].user)  # no subordinates
    page = client.get(reverse("web:tasks")).content.decode()
    assert 'id="task-assign"' not in page
    data = {
        "assignee": team["staff"].pk,
        "title": "Tugas",
        "target_qty": "1",
        "target_unit": "dokumen",
        "due": "2026-11-27",
    }
    assert client.post(reverse("web:tasks"), data).status_code == 403
    task = task_assign(
        user=team["boss"].user,
        assignee=team["staff"],
        title="Kajian",
        target_qty=1,
        target_unit="dokumen",
        due=MONDAY,
    )
    cancel = client.post(reverse("web:task_status", args=[task.pk]), {"status": "cancelled"})
    assert cancel.status_code == 404  # outside the colleague's scope
    client.force_login(team["staff"].user)
    own_cancel = client.post(reverse("web:task_status", args=[task.pk]), {"status": "cancelled"})
    assert own_cancel.status_code == 403  # the assignee may only mark it done
    assert Task.objects.get().status == TaskStatus.OPEN


# --- anonymous --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/kinerja/",
        "/kinerja/2026-11-20/",
        "/kinerja/hari-ini/",
        "/kinerja/tinjauan/",
        "/kinerja/laporan/1/",
        "/kinerja/bukti/1/",
        "/kinerja/tugas/",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_an_account_without_an_employee_gets_no_form(client, monday, team):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 404
    assert client.get(reverse("web:report_queue")).status_code == 403
