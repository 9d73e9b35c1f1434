"""Face enrolment: HR's reference photos (real portraits through dlib), proposals from
selfies, the five-reference maximum, who may do what (403 in the agency, 404 outside),
the pages (/verifikasi/wajah/), the scope-checked photo, and logs free of templates."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from sigap.core import clock
from sigap.core.exceptions import Conflict, Forbidden, InvalidInput, NotFound, PayloadTooLarge
from sigap.core.models import User
from sigap.org.models import Role
from sigap.verification import enrolment, face
from sigap.verification.models import (
    MAX_ACTIVE_REFERENCES,
    FaceReference,
    ReferenceSource,
    ReferenceStatus,
)
from sigap.web.verification_views import faces as face_views
from tests.factories import AgencyFactory, EmployeeFactory, RoleFactory, UnitFactory, UserFactory
from tests.verification.conftest import (
    ASTRONAUT,
    HOPPER,
    blank,
    jpeg,
    portrait,
    side_by_side,
    smiley,
    tiny_face,
)

pytestmark = pytest.mark.django_db

LIST = reverse("web:face_enrolment")


@pytest.fixture(autouse=True)
def _setup(media, freeze, settings):
    """English for messages raised by the services (pages follow the request's language)."""
    freeze(2026, 11, 23, 9, 0)
    # each test makes eight accounts: hash their passwords quickly
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


class Org:
    """One agency with an employee, its HR admin, inspector, leader and a plain colleague;
    another agency with its own HR admin; a superuser."""

    def __init__(self) -> None:
        unit = UnitFactory()
        self.agency = unit.agency
        self.employee = EmployeeFactory(agency=self.agency, unit=unit, name="Eileen Pegawai")
        self.colleague = EmployeeFactory(agency=self.agency, unit=unit, name="Budi Rekan")
        self.hr = self._role(self.agency, Role.HR_ADMIN)
        self.inspector = self._role(self.agency, Role.INSPECTOR)
        self.leader = self._role(self.agency, Role.LEADER)
        other = AgencyFactory()
        self.stranger = EmployeeFactory(agency=other, name="Orang Lain")
        self.other_hr = self._role(other, Role.HR_ADMIN)
        self.admin = UserFactory(is_superuser=True, is_staff=True)

    @staticmethod
    def _role(agency, role) -> User:
        user = UserFactory()
        RoleFactory(user=user, agency=agency, role=role)
        return user


@pytest.fixture
def org(db) -> Org:
    return Org()


def upload(image: Image.Image | bytes, name: str = "foto.jpg") -> io.BytesIO:
    data = image if isinstance(image, bytes) else jpeg(image, 90)
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def fresh(user: User) -> User:
    """The user without a memoised scope (as in a new request)."""
    return User.objects.get(pk=user.pk)


def reference(employee, status=ReferenceStatus.ACTIVE, *, source=ReferenceSource.HR_UPLOAD):
    """A reference row with a small real photo in storage (no face analysis)."""
    folder = "selfies/2026/11" if source == ReferenceSource.SELFIE else "faces"
    stored = default_storage.save(f"{folder}/ref.jpg", ContentFile(jpeg(portrait(HOPPER))))
    return FaceReference.objects.create(
        employee=employee,
        image=stored,
        template=[0.0] * 128,
        face_px=200,
        status=status,
        source=source,
        model_version=face.MODEL_VERSION,
        created_at=clock.now(),
    )


def add(user, employee, image) -> FaceReference:
    return enrolment.face_reference_add(user=fresh(user), employee=employee, upload=upload(image))


def in_indonesian(text: str) -> str:
    with translation.override("id"):
        return gettext(text)


# --- uploading ------------------------------------------------------------------------------


def test_hr_uploads_an_active_reference_with_its_template(org):
    made = add(org.hr, org.employee, portrait(ASTRONAUT))
    made.refresh_from_db()
    assert made.status == ReferenceStatus.ACTIVE
    assert made.source == ReferenceSource.HR_UPLOAD
    assert made.created_by_id == org.hr.pk
    assert made.decided_by_id == org.hr.pk
    assert made.model_version == face.MODEL_VERSION
    assert made.face_px == pytest.approx(88, abs=8)
    assert len(made.template) == 128
    mine = face.analyse(portrait(ASTRONAUT)).embedding
    assert face.distance(made.template, mine) <= 0.2
    assert made.image.name.startswith("faces/")
    with made.image.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()  # re-encoded, no metadata kept


def test_a_png_photo_is_accepted(org):
    out = io.BytesIO()
    portrait(HOPPER).save(out, "PNG")
    made = enrolment.face_reference_add(
        user=fresh(org.hr), employee=org.employee, upload=upload(out.getvalue(), "foto.png")
    )
    assert made.status == ReferenceStatus.ACTIVE


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        (blank, "no_face", "No face was found"),
        (smiley, "no_face", "No face was found"),
        (side_by_side, "several_faces", "shows 2 faces"),
        (tiny_face, "face_too_small", "too small to verify"),
    ],
)
def test_a_photo_without_exactly_one_big_face_is_refused(org, make, code, words):
    with pytest.raises(InvalidInput) as refused:
        add(org.hr, org.employee, make())
    assert refused.value.code == code
    assert refused.value.status == 422
    assert words in str(refused.value.message)
    assert not FaceReference.objects.exists()
    assert not default_storage.exists("faces") or default_storage.listdir("faces")[1] == []


def test_a_face_too_small_names_the_sizes(org):
    with pytest.raises(InvalidInput) as refused:
        add(org.hr, org.employee, tiny_face())
    message = str(refused.value.message)
    assert "at least 80 px" in message
    assert refused.value.detail == {"problem": "face_too_small"}


@pytest.mark.parametrize(
    ("data", "code", "status"),
    [
        (b"not a photo at all", "invalid_image", 422),
        (b"GIF89a" + b"\0" * 100, "invalid_image", 422),
        (jpeg(blank(40, 40)), "invalid_image", 422),  # under 64 x 64 pixels
        (jpeg(portrait(HOPPER))[:5000], "invalid_image", 422),  # truncated
        (b"\xff\xd8" + b"\0" * (2 * 1024 * 1024 + 10), "payload_too_large", 413),
    ],
)
def test_an_unreadable_or_oversized_photo_is_refused(org, data, code, status):
    with pytest.raises((InvalidInput, PayloadTooLarge)) as refused:
        add(org.hr, org.employee, data)
    assert (refused.value.code, refused.value.status) == (code, status)
    assert "photo" in str(refused.value.message)
    assert not FaceReference.objects.exists()


def test_at_most_five_active_references(org):
    for _ in range(MAX_ACTIVE_REFERENCES):
        reference(org.employee)
    with pytest.raises(Conflict) as refused:
        add(org.hr, org.employee, portrait(HOPPER))
    assert refused.value.code == "too_many_references"
    assert "already has 5 active reference photos" in str(refused.value.message)
    assert FaceReference.objects.filter(status=ReferenceStatus.ACTIVE).count() == 5
    # the refused upload left no file behind
    assert len(default_storage.listdir("faces")[1]) == MAX_ACTIVE_REFERENCES
    oldest = FaceReference.objects.order_by("pk").first()
    enrolment.face_reference_retire(user=fresh(org.hr), reference=oldest)
    made = add(org.hr, org.employee, portrait(HOPPER))
    assert made.status == ReferenceStatus.ACTIVE
    assert FaceReference.objects.filter(status=ReferenceStatus.ACTIVE).count() == 5


def test_retired_and_proposed_references_do_not_count_towards_the_maximum(org):
    for _ in range(4):
        reference(org.employee)
    reference(org.employee, ReferenceStatus.RETIRED)
    reference(org.employee, ReferenceStatus.PROPOSED, source=ReferenceSource.SELFIE)
    assert add(org.hr, org.employee, portrait(HOPPER)).status == ReferenceStatus.ACTIVE


# --- proposals, decisions ------------------------------------------------------------------


def test_approving_a_proposal_makes_it_active_with_its_own_copy(org):
    proposed = reference(org.employee, ReferenceStatus.PROPOSED, source=ReferenceSource.SELFIE)
    selfie_name = proposed.image.name
    approved = enrolment.face_reference_approve(user=fresh(org.hr), reference=proposed)
    approved.refresh_from_db()
    assert approved.status == ReferenceStatus.ACTIVE
    assert approved.decided_by_id == org.hr.pk
    assert approved.decided_at == clock.now()
    assert approved.image.name.startswith("faces/")  # the selfie retention cannot take it
    assert default_storage.exists(selfie_name)
    with approved.image.open("rb") as copy, default_storage.open(selfie_name, "rb") as original:
        assert copy.read() == original.read()


def test_approving_respects_the_maximum(org):
    for _ in range(MAX_ACTIVE_REFERENCES):
        reference(org.employee)
    proposed = reference(org.employee, ReferenceStatus.PROPOSED, source=ReferenceSource.SELFIE)
    with pytest.raises(Conflict) as refused:
        enrolment.face_reference_approve(user=fresh(org.hr), reference=proposed)
    assert refused.value.code == "too_many_references"
    proposed.refresh_from_db()
    assert proposed.status == ReferenceStatus.PROPOSED


def test_rejecting_a_proposal(org):
    proposed = reference(org.employee, ReferenceStatus.PROPOSED, source=ReferenceSource.SELFIE)
    enrolment.face_reference_reject(user=fresh(org.hr), reference=proposed)
    proposed.refresh_from_db()
    assert proposed.status == ReferenceStatus.REJECTED
    with pytest.raises(Conflict) as again:
        enrolment.face_reference_approve(user=fresh(org.hr), reference=proposed)
    assert again.value.code == "reference_state"


@pytest.mark.parametrize(
    ("status", "service"),
    [
        (ReferenceStatus.PROPOSED, enrolment.face_reference_retire),
        (ReferenceStatus.ACTIVE, enrolment.face_reference_approve),
        (ReferenceStatus.ACTIVE, enrolment.face_reference_reject),
        (ReferenceStatus.RETIRED, enrolment.face_reference_retire),
    ],
)
def test_a_decision_in_the_wrong_state_is_a_conflict(org, status, service):
    made = reference(org.employee, status)
    with pytest.raises(Conflict):
        service(user=fresh(org.hr), reference=made)
    made.refresh_from_db()
    assert made.status == status


# --- who may do what ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["inspector", "leader", "colleague"])
def test_only_hr_changes_references(org, who):
    user = org.colleague.user if who == "colleague" else getattr(org, who)
    with pytest.raises(Forbidden):
        add(user, org.employee, portrait(ASTRONAUT))
    made = reference(org.employee)
    with pytest.raises(Forbidden):
        enrolment.face_reference_retire(user=fresh(user), reference=made)
    assert FaceReference.objects.get().status == ReferenceStatus.ACTIVE


def test_another_agency_s_hr_does_not_find_the_employee(org):
    with pytest.raises(NotFound):
        add(org.other_hr, org.employee, portrait(ASTRONAUT))
    with pytest.raises(NotFound):
        enrolment.access_face_employee(user=fresh(org.other_hr), nip=org.employee.nip)
    with pytest.raises(NotFound):
        enrolment.face_reference_retire(user=fresh(org.other_hr), reference=reference(org.employee))


def test_a_superuser_changes_references_in_any_agency(org):
    assert add(org.admin, org.stranger, portrait(HOPPER)).status == ReferenceStatus.ACTIVE


# --- the logs ------------------------------------------------------------------------------


def test_no_template_value_reaches_the_logs(org, client, caplog):
    caplog.set_level(logging.DEBUG)
    made = add(org.hr, org.employee, portrait(ASTRONAUT))
    proposed = reference(org.employee, ReferenceStatus.PROPOSED, source=ReferenceSource.SELFIE)
    enrolment.face_reference_approve(user=fresh(org.hr), reference=proposed)
    client.force_login(org.hr)
    assert client.get(reverse("web:face_image", args=[made.pk])).status_code == 200
    with pytest.raises(InvalidInput):
        add(org.hr, org.employee, side_by_side())

    text = caplog.text
    assert f"face reference {made.pk} of employee {org.employee.pk} added" in text
    assert f"face reference {made.pk} of employee {org.employee.pk} viewed" in text
    for value in made.template:
        assert repr(value) not in text
        assert f"{value:.4f}" not in text
    for record in caplog.records:
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        assert not any(isinstance(arg, (float, list, tuple, dict)) for arg in args), record


# --- the pages --------------------------------------------------------------------------------


def login(client, user) -> None:
    client.force_login(User.objects.get(pk=user.pk))


def test_the_list_shows_counts_in_indonesian(org, client, django_assert_max_num_queries):
    reference(org.employee)
    reference(org.employee)
    reference(org.employee, ReferenceStatus.PROPOSED, source=ReferenceSource.SELFIE)
    reference(org.employee, ReferenceStatus.RETIRED)
    login(client, org.hr)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert in_indonesian("Face references") in html
    assert f'id="employee-{org.employee.pk}" data-active="2" data-proposed="1"' in html
    assert f'id="employee-{org.colleague.pk}" data-active="0" data-proposed="0"' in html
    assert org.stranger.nip not in html  # another agency
    assert reverse("web:face_employee", args=[org.employee.nip]) in html


def test_the_list_query_count_does_not_grow_with_rows(org, client):
    login(client, org.hr)
    client.get(LIST)  # warm the caches
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(3):
        reference(EmployeeFactory(agency=org.agency, unit=org.employee.unit))
    with CaptureQueriesContext(connection) as more:
        assert client.get(LIST).status_code == 200
    assert len(more.captured_queries) == len(few.captured_queries)


def test_the_list_searches_by_nip_and_name_and_filters_waiting(org, client):
    reference(org.colleague, ReferenceStatus.PROPOSED, source=ReferenceSource.SELFIE)
    login(client, org.hr)
    by_nip = client.get(LIST, {"q": org.employee.nip[:12]}).content.decode()
    assert f'id="employee-{org.employee.pk}"' in by_nip
    by_name = client.get(LIST, {"q": "budi"}).content.decode()
    assert f'id="employee-{org.colleague.pk}"' in by_name
    assert f'id="employee-{org.employee.pk}"' not in by_name
    waiting = client.get(LIST, {"waiting": "1"}).content.decode()
    assert f'id="employee-{org.colleague.pk}"' in waiting
    assert f'id="employee-{org.employee.pk}"' not in waiting
    nothing = client.get(LIST, {"q": "tidak-ada"}).content.decode()
    assert 'id="no-results"' in nothing


def test_the_list_paginates(org, client, monkeypatch):
    monkeypatch.setattr(face_views, "PAGE_SIZE", 1)
    login(client, org.hr)
    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": "2"}).content.decode()
    assert 'rel="next"' in first
    assert f'id="employee-{org.colleague.pk}"' in first  # Budi before Eileen
    assert f'id="employee-{org.employee.pk}"' in second


@pytest.mark.parametrize(("who", "status"), [("inspector", 200), ("leader", 403), ("plain", 403)])
def test_who_sees_the_list(org, client, who, status):
    user = org.colleague.user if who == "plain" else getattr(org, who)
    login(client, user)
    assert client.get(LIST).status_code == status


def test_the_list_needs_a_login(client, db):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("web:login") in response["Location"]


def test_the_menu_links_the_page_for_hr_only(org, client):
    login(client, org.hr)
    assert 'id="nav-faces"' in client.get(reverse("web:home")).content.decode()
    login(client, org.colleague.user)
    assert 'id="nav-faces"' not in client.get(reverse("web:home")).content.decode()


def page_of(employee) -> str:
    return reverse("web:face_employee", args=[employee.nip])


def test_the_employee_page_for_hr(org, client):
    active = reference(org.employee)
    proposed = reference(org.employee, ReferenceStatus.PROPOSED, source=ReferenceSource.SELFIE)
    retired = reference(org.employee, ReferenceStatus.RETIRED)
    login(client, org.hr)
    response = client.get(page_of(org.employee))
    assert response.status_code == 200
    html = response.content.decode()
    assert in_indonesian("Upload a reference photo") in html
    assert 'id="upload-form"' in html and 'enctype="multipart/form-data"' in html
    assert f'id="retire-{active.pk}"' in html
    assert f'id="approve-{proposed.pk}"' in html and f'id="reject-{proposed.pk}"' in html
    assert f'id="reference-{retired.pk}"' in html
    assert reverse("web:face_image", args=[active.pk]) in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_employee_page_is_read_only_for_inspectors(org, client):
    active = reference(org.employee)
    login(client, org.inspector)
    html = client.get(page_of(org.employee)).content.decode()
    assert f'id="reference-{active.pk}"' in html
    assert 'id="upload-form"' not in html
    assert f'id="retire-{active.pk}"' not in html


@pytest.mark.parametrize(
    ("who", "nip", "status"),
    [
        ("plain", "employee", 403),
        ("leader", "employee", 403),
        ("other_hr", "employee", 404),
        ("hr", "stranger", 404),
        ("hr", "no-such-nip", 404),
        ("admin", "stranger", 200),
    ],
)
def test_who_sees_an_employee_page(org, client, who, nip, status):
    user = org.colleague.user if who == "plain" else getattr(org, who)
    login(client, user)
    target = getattr(org, nip).nip if hasattr(org, nip) else nip
    assert client.get(reverse("web:face_employee", args=[target])).status_code == status


def test_uploading_through_the_page(org, client):
    login(client, org.hr)
    url = reverse("web:face_upload", args=[org.employee.nip])
    response = client.post(url, {"photo": upload(portrait(ASTRONAUT))})
    assert response.status_code == 302
    assert response["Location"] == page_of(org.employee)
    made = FaceReference.objects.get()
    assert made.status == ReferenceStatus.ACTIVE
    followed = client.get(page_of(org.employee)).content.decode()
    assert in_indonesian("The reference photo is added and active.") in followed


def test_a_refused_upload_shows_the_problem_with_422(org, client):
    login(client, org.hr)
    url = reverse("web:face_upload", args=[org.employee.nip])
    response = client.post(url, {"photo": upload(blank())})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="upload-error"' in html
    with translation.override("id"):
        expected = str(enrolment.FACE_PROBLEMS[face.NO_FACE])
    assert expected.replace("'", "&#x27;") in html
    assert client.post(url, {}).status_code == 422  # no file chosen
    assert not FaceReference.objects.exists()


def test_the_sixth_upload_through_the_page_is_refused(org, client):
    for _ in range(MAX_ACTIVE_REFERENCES):
        reference(org.employee)
    login(client, org.hr)
    url = reverse("web:face_upload", args=[org.employee.nip])
    response = client.post(url, {"photo": upload(portrait(HOPPER))})
    assert response.status_code == 409
    assert str(MAX_ACTIVE_REFERENCES) in response.content.decode()
    assert 'id="upload-error"' in response.content.decode()
    assert FaceReference.objects.count() == MAX_ACTIVE_REFERENCES


@pytest.mark.parametrize(("who", "status"), [("inspector", 403), ("plain", 403), ("other_hr", 404)])
def test_only_the_agency_hr_uploads(org, client, who, status):
    user = org.colleague.user if who == "plain" else getattr(org, who)
    login(client, user)
    url = reverse("web:face_upload", args=[org.employee.nip])
    assert client.post(url, {"photo": upload(portrait(ASTRONAUT))}).status_code == status
    assert not FaceReference.objects.exists()


@pytest.mark.parametrize(
    ("status", "action", "after"),
    [
        (ReferenceStatus.PROPOSED, "approve", ReferenceStatus.ACTIVE),
        (ReferenceStatus.PROPOSED, "reject", ReferenceStatus.REJECTED),
        (ReferenceStatus.ACTIVE, "retire", ReferenceStatus.RETIRED),
        (ReferenceStatus.ACTIVE, "approve", ReferenceStatus.ACTIVE),  # refused: a message
        (ReferenceStatus.ACTIVE, "delete", ReferenceStatus.ACTIVE),  # no such action
    ],
)
def test_decisions_through_the_page(org, client, status, action, after):
    made = reference(org.employee, status, source=ReferenceSource.SELFIE)
    login(client, org.hr)
    response = client.post(reverse("web:face_decide", args=[made.pk]), {"action": action})
    assert response.status_code == 302
    assert response["Location"] == page_of(org.employee)
    made.refresh_from_db()
    assert made.status == after


@pytest.mark.parametrize(("who", "status"), [("inspector", 403), ("plain", 403), ("other_hr", 404)])
def test_only_the_agency_hr_decides(org, client, who, status):
    made = reference(org.employee, ReferenceStatus.PROPOSED, source=ReferenceSource.SELFIE)
    user = org.colleague.user if who == "plain" else getattr(org, who)
    login(client, user)
    response = client.post(reverse("web:face_decide", args=[made.pk]), {"action": "approve"})
    assert response.status_code == status
    made.refresh_from_db()
    assert made.status == ReferenceStatus.PROPOSED


def test_decisions_need_post_and_csrf(org):
    made = reference(org.employee, ReferenceStatus.PROPOSED, source=ReferenceSource.SELFIE)
    client = Client(enforce_csrf_checks=True)
    login(client, org.hr)
    url = reverse("web:face_decide", args=[made.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"action": "approve"}).status_code == 403  # no CSRF token
    made.refresh_from_db()
    assert made.status == ReferenceStatus.PROPOSED


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("hr", 200),
        ("inspector", 200),
        ("admin", 200),
        ("leader", 404),
        ("plain", 404),
        ("owner", 404),
        ("other_hr", 404),
    ],
)
def test_the_photo_is_for_hr_and_inspectors_of_the_agency(org, client, who, status):
    made = reference(org.employee)
    user = {"plain": org.colleague.user, "owner": org.employee.user}.get(who) or getattr(org, who)
    login(client, user)
    response = client.get(reverse("web:face_image", args=[made.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, no-store"
        with made.image.open("rb") as handle:
            assert b"".join(response.streaming_content) == handle.read()


def test_a_missing_photo_file_is_404(org, client):
    made = reference(org.employee)
    default_storage.delete(made.image.name)
    login(client, org.hr)
    assert client.get(reverse("web:face_image", args=[made.pk])).status_code == 404
    assert client.get(reverse("web:face_image", args=[987654])).status_code == 404
