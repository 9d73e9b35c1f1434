"""A person's own data as a ZIP: every section with their rows and files, nothing of a
colleague; who may export whom (API, employee page, HR page) and the access log."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from sigap.core.exceptions import Forbidden, NotFound
from sigap.core.tokens import token_issue
from sigap.org.models import Role
from sigap.privacy.models import AccessLog
from sigap.privacy.subject_export import access_subject_export, subject_export_zip
from tests.factories import AgencyFactory, EmployeeFactory, RoleFactory, UserFactory
from tests.privacy.purge_world import seed_person

SECTIONS = {
    "profile", "attendance_days", "check_ins", "refused_check_ins", "requests", "roster",
    "flexible_work", "notifications", "daily_reports", "tasks", "tpp_statements",
    "discipline_alerts", "devices", "face_references",
}  # fmt: skip


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def people(db, media):
    agency = AgencyFactory(code="export-a")
    ana = EmployeeFactory(agency=agency, name="Ana Export", email="ana@example.id", phone="0811")
    budi = EmployeeFactory(agency=agency, name="Budi Kolega", email="budi@example.id")
    return {"agency": agency, "ana": ana, "budi": budi,
            "ana_rows": seed_person(ana, "TANDA-ANA"), "budi_rows": seed_person(budi, "TANDA-BUDI")}  # fmt: skip


def read_zip(handle) -> tuple[zipfile.ZipFile, str]:
    archive = zipfile.ZipFile(handle)
    text = "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return archive, text + "\n" + "\n".join(archive.namelist())


def test_zip_has_every_section_and_only_the_persons_data(people):
    ana, budi = people["ana"], people["budi"]
    progress = []
    with subject_export_zip(employee=ana, progress=lambda d, t: progress.append((d, t))) as handle:
        archive, everything = read_zip(handle)
        names = set(archive.namelist())
        for section in SECTIONS:
            assert f"{section}.json" in names, section
            rows = json.loads(archive.read(f"{section}.json"))
            assert len(rows) >= 1, section
        assert "README.txt" in names
        readme = archive.read("README.txt").decode()
        assert "DATA PRIBADI ANDA" in readme and ana.nip in readme
        assert all(f"{s}.json" in readme for s in SECTIONS)
        # flat sections have a CSV too, nested ones (requests with steps) do not
        assert "check_ins.csv" in names and "attendance_days.csv" in names
        assert "requests.csv" not in names
        profile = json.loads(archive.read("profile.json"))[0]
        assert profile["nip"] == ana.nip and profile["home_latitude"] == -2.70
        check_ins = json.loads(archive.read("check_ins.json"))
        assert {row["id"] for row in check_ins} == {people["ana_rows"]["check_in"].pk}
        selfie = check_ins[0]["selfie_file"]
        stored = people["ana_rows"]["check_in"].selfie.name
        assert archive.read(selfie) == default_storage.open(stored).read()
        assert check_ins[0]["latitude"] == -2.68
        requests = json.loads(archive.read("requests.json"))
        assert requests[0]["steps"][0]["note"] == "ok TANDA-ANA"
        assert archive.read(requests[0]["attachment_file"])
        references = json.loads(archive.read("face_references.json"))
        assert "template" not in references[0]
        assert archive.read(references[0]["image_file"])
        assert any(name.startswith("bukti/") for name in names)
    assert "TANDA-ANA" in everything
    # nothing of the colleague: NIP, name, texts, ids, stored file names
    for secret in (budi.nip, budi.name, "TANDA-BUDI", "budi@example.id", "hp-TANDA-BUDI"):
        assert secret not in everything, secret
    budi_rows = people["budi_rows"]
    assert budi_rows["check_in"].selfie.name.rsplit("/", 1)[-1] not in everything
    assert f"_{budi_rows['check_in'].pk}.jpg" not in everything
    assert progress[-1][0] == progress[-1][1] >= len(SECTIONS)


def test_missing_selfie_file_is_listed_not_fatal(people):
    default_storage.delete(people["ana_rows"]["check_in"].selfie.name)
    with subject_export_zip(employee=people["ana"]) as handle:
        archive = zipfile.ZipFile(handle)
        assert "tidak dapat dibaca" in archive.read("README.txt").decode()


# --- who may export whom --------------------------------------------------------------------


def test_access_rules(people):
    ana, budi = people["ana"], people["budi"]
    assert access_subject_export(user=ana.user) == ana
    assert access_subject_export(user=ana.user, nip=ana.nip) == ana
    with pytest.raises(Forbidden):
        access_subject_export(user=ana.user, nip=budi.nip)
    hr = UserFactory()
    RoleFactory(user=hr, agency=people["agency"], role=Role.HR_ADMIN)
    assert access_subject_export(user=hr, nip=budi.nip) == budi
    stranger_hr = UserFactory()
    RoleFactory(user=stranger_hr, agency=AgencyFactory(code="export-b"), role=Role.HR_ADMIN)
    with pytest.raises(NotFound):
        access_subject_export(user=stranger_hr, nip=budi.nip)
    with pytest.raises(NotFound):
        access_subject_export(user=hr, nip="000000000000000000")


def bearer(employee) -> dict:
    token = token_issue(user=employee.user, device_id="hp-x", device_name="HP").token
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_api_export_job_download_and_ownership(client, people, celery_eager):
    auth = bearer(people["ana"])
    started = client.post("/api/v1/me/data-export", **auth)
    assert started.status_code == 202
    job_id = started.json()["job_id"]
    status = client.get(f"/api/v1/me/data-export/{job_id}", **auth).json()
    assert status["state"] == "done" and status["done"] == status["total"] > 0
    assert status["download_url"] == f"/api/v1/me/data-export/{job_id}/download"
    download = client.get(status["download_url"], **auth)
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "profile.json" in archive.namelist()
    # another user's job: 404, status and file alike
    other = bearer(people["budi"])
    assert client.get(f"/api/v1/me/data-export/{job_id}", **other).status_code == 404
    assert client.get(status["download_url"], **other).json()["code"] == "not_found"
    assert client.get("/api/v1/me/data-export/nope", **auth).status_code == 404


def test_api_without_employee_is_404(client, db, celery_eager):
    client.force_login(UserFactory())
    assert client.post("/api/v1/me/data-export").status_code == 404


def test_employee_page_and_download(client, people, celery_eager):
    client.force_login(people["ana"].user)
    client.cookies["django_language"] = "en"
    page = client.get("/profil/data-saya/")
    assert page.status_code == 200 and b"Download my data" in page.content
    assert b'id="profile-my-data"' in client.get("/profil/").content
    box = client.post("/profil/data-saya/mulai/")
    assert box.status_code == 200 and b'id="export-download"' in box.content
    job_id = box.content.decode().split("/privasi/ekspor/unduh/")[1].split("/")[0]
    download = client.get(f"/privasi/ekspor/unduh/{job_id}/")
    assert download.status_code == 200
    assert AccessLog.objects.count() == 0  # one's own data is not logged
    client.force_login(people["budi"].user)
    assert client.get(f"/privasi/ekspor/unduh/{job_id}/").status_code == 404
    assert client.get(f"/privasi/ekspor/status/{job_id}/").status_code == 404


def test_hr_produces_an_export_and_the_download_is_logged(client, people, celery_eager):
    hr = EmployeeFactory(agency=people["agency"]).user
    RoleFactory(user=hr, agency=people["agency"], role=Role.HR_ADMIN)
    client.force_login(hr)
    assert client.get("/privasi/ekspor/").status_code == 200
    box = client.post("/privasi/ekspor/", {"nip": people["budi"].nip})
    assert box.status_code == 200
    job_id = box.content.decode().split("/privasi/ekspor/unduh/")[1].split("/")[0]
    download = client.get(f"/privasi/ekspor/unduh/{job_id}/")
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert people["budi"].nip in archive.read("profile.json").decode()
    logged = AccessLog.objects.filter(subject=people["budi"], channel="export")
    assert {"selfie", "location"} <= set(logged.values_list("category", flat=True))
    assert set(logged.values_list("actor", flat=True)) == {hr.pk}


def test_hr_of_another_agency_gets_404_and_employees_403(client, people):
    stranger = UserFactory()
    RoleFactory(user=stranger, agency=AgencyFactory(code="export-c"), role=Role.HR_ADMIN)
    client.force_login(stranger)
    other = client.post("/privasi/ekspor/", {"nip": people["budi"].nip})
    assert other.status_code == 404
    # the same answer as for a NIP nobody has: nothing tells that the person exists
    nobody = client.post("/privasi/ekspor/", {"nip": "199001012015011999"})
    assert nobody.status_code == 404 and nobody.content == other.content
    with translation.override("id"):
        assert escape(gettext("No employee of your agency has this NIP.")) in other.content.decode()
        empty = client.post("/privasi/ekspor/", {"nip": " "})
        assert empty.status_code == 422
        assert escape(gettext("Enter the employee's NIP.")) in empty.content.decode()
    client.force_login(people["ana"].user)
    assert client.get("/privasi/ekspor/").status_code == 403
    assert client.post("/privasi/ekspor/", {"nip": people["budi"].nip}).status_code == 403
