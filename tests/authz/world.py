"""The authorisation world: agency A with two OPDs and an HR/leader/inspector office,
agency B with its own HR admin, and one subject employee E with an object behind every
path parameter of the routes (a check-in with a selfie, a request, a daily report, a TPP
statement, a roll call, export jobs, a face reference, a device, a sidak, health rows...).

Built once per test module (tests/authz/conftest.py) on Monday 2026-11-23 09:00 WITA."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from sigap.arrangements.models import FlexibleWorkApplication
from sigap.attendance.models import AttendanceDay, CheckIn, Review
from sigap.attendance.requests.services import RequestDraft, request_submit
from sigap.core.tokens import token_issue
from sigap.discipline.models import DisciplineAlert
from sigap.discipline.statements import statements_refresh
from sigap.health.services import declaration_submit, health_test_record
from sigap.org.models import Employee, Role, Unit, UnitKind
from sigap.performance.models import Activity, DailyReport, Evidence, Task
from sigap.rollcall.services import SessionSpec, rollcall_create, rollcall_prefill
from sigap.verification.kiosk import kiosk_key, kiosk_link_create
from sigap.verification.models import CheckVerification, Device, FaceReference, Inspection
from sigap.worktime.services import holidays_seed
from tests.factories import AgencyFactory, EmployeeFactory, OfficeFactory, RoleFactory, UnitFactory

WITA = ZoneInfo("Asia/Makassar")
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=WITA)  # a Monday morning
TODAY = NOW.date()
FRIDAY = dt.date(2026, 11, 20)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# the columns of the matrix: who asks (E is the subject of every "about someone" route)
ROLES = (
    "self",  # E, the subject employee (OPD1)
    "colleague",  # another employee of OPD1, no authority over E
    "sup_other",  # a supervisor in OPD2 (of someone else)
    "head_other",  # the head of OPD2
    "hr",  # HR admin of agency A
    "leader",  # leader of agency A
    "inspector",  # inspector of agency A
    "hr_b",  # HR admin of agency B
    "anon",  # nobody signed in
    "sup",  # E's own supervisor (positive control)
    "head",  # the head of E's OPD (positive control)
)

# the ids of the background jobs, shaped like real ones (uuid4().hex); the cache that
# holds them is emptied before every test and they are put back (World.jobs_restore)
REPORT_JOB = uuid.UUID(int=0xA1).hex
PRIVACY_JOB = uuid.UUID(int=0xA2).hex
PRIVACY_HR_JOB = uuid.UUID(int=0xA3).hex
ROSTER_JOB = uuid.UUID(int=0xA4).hex


@dataclass
class World:
    people: dict[str, Employee]
    tokens: dict[str, str]
    params: dict[str, Any]
    jobs: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)

    def jobs_restore(self) -> None:
        """Put the export/roster jobs back into the (freshly emptied) cache."""
        for key, job in self.jobs.values():
            cache.set(key, job, 3600)


def _stored(prefix: str, content: bytes, extension: str = "jpg") -> str:
    return default_storage.save(f"{prefix}/{uuid.uuid4().hex}.{extension}", ContentFile(content))


def jpeg() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (180, 140, 120)).save(buf, "JPEG")
    return buf.getvalue()


def _organisation() -> tuple[dict[str, Employee], dict[str, Any]]:
    agency = AgencyFactory(code="authz-a", name="Pemkab Matriks")
    holidays_seed(agency=agency, year=2026)
    opd1 = UnitFactory(agency=agency, code="OPD1", name="Dinas Satu")
    opd2 = UnitFactory(agency=agency, code="OPD2", name="Dinas Dua")
    bkpsdm = UnitFactory(agency=agency, code="BKPSDM", name="BKPSDM", kind=UnitKind.OPD)
    office = OfficeFactory(agency=agency, code="KTR-A", latitude=-2.68, longitude=118.89)
    office.units.add(opd1, opd2, bkpsdm)

    def person(name: str, unit: Unit, supervisor: Employee | None = None) -> Employee:
        return EmployeeFactory(agency=agency, unit=unit, name=name, supervisor=supervisor)

    head = person("Kepala Satu", opd1)
    sup = person("Atasan Satu", opd1, head)
    people = {
        "head": head,
        "sup": sup,
        "self": person("Eka Subjek", opd1, sup),
        "colleague": person("Citra Rekan", opd1, sup),
    }
    head_other = person("Kepala Dua", opd2)
    people["head_other"] = head_other
    people["sup_other"] = person("Atasan Dua", opd2, head_other)
    people["someone"] = person("Pegawai Dua", opd2, people["sup_other"])
    Unit.objects.filter(pk=opd1.pk).update(head=head)
    Unit.objects.filter(pk=opd2.pk).update(head=head_other)
    for role, name in [("hr", "Admin BKPSDM"), ("leader", "Sekda"), ("inspector", "Inspektur")]:
        people[role] = person(name, bkpsdm)
        value = {"hr": Role.HR_ADMIN, "leader": Role.LEADER, "inspector": Role.INSPECTOR}[role]
        RoleFactory(user=people[role].user, agency=agency, role=value)
    agency_b = AgencyFactory(code="authz-b", name="Pemkab Lain")
    unit_b = UnitFactory(agency=agency_b, code="B-BKPSDM", name="BKPSDM Lain")
    people["hr_b"] = EmployeeFactory(agency=agency_b, unit=unit_b, name="Admin Lain")
    RoleFactory(user=people["hr_b"].user, agency=agency_b, role=Role.HR_ADMIN)
    return people, {"agency": agency, "opd1": opd1, "opd2": opd2, "office": office}


def _check_in(employee: Employee) -> CheckIn:
    """E's check-in this morning: outside the geofence and flagged by verification, so it
    waits for the supervisor's review and is in the inspector's queue."""
    when = dt.datetime.combine(TODAY, dt.time(7, 20), tzinfo=WITA)
    event = CheckIn.objects.create(
        employee=employee, request_id=uuid.uuid4(), kind="in", recorded_at=when,
        captured_at=when, work_date=TODAY, time_zone="Asia/Makassar", mode="WFO",
        latitude=-2.69, longitude=118.90, accuracy_m=10, place_kind="office",
        place_name="Kantor", place_latitude=-2.68, place_longitude=118.89,
        place_radius_m=100, distance_m=900, inside=False,
        selfie=_stored("selfies/2026", jpeg()), review=Review.PENDING,
        review_reasons=["outside_geofence", "verification"], verification="mismatch",
        risk_score=90, risk_reasons=["face_mismatch"], rule_version="test",
    )  # fmt: skip
    CheckVerification.objects.create(
        check_in=event, employee=employee, work_date=TODAY, face="mismatch", distance=0.8,
        reasons=[{"code": "face_mismatch", "weight": 60}], score=90, processed_at=when,
    )  # fmt: skip
    thursday = dt.date(2026, 11, 19)
    AttendanceDay.objects.create(
        employee=employee, date=thursday, status="HADIR", codes=["HADIR"], mode="WFH",
        flags=["report_missing"], rule_version="test", updated_at=when,
    )  # fmt: skip
    AttendanceDay.objects.create(
        employee=employee, date=TODAY, status="HADIR", codes=["HADIR"], mode="WFO",
        check_in=when, rule_version="test", updated_at=when,
    )  # fmt: skip
    return event


def _performance(employee: Employee, sup: Employee) -> dict[str, Any]:
    at = dt.datetime.combine(FRIDAY, dt.time(16, 0), tzinfo=WITA)
    report = DailyReport.objects.create(
        employee=employee, date=FRIDAY, status="submitted", total_minutes=60, submitted_at=at
    )
    evidence = Evidence.objects.create(
        employee=employee, file=_stored("evidence", jpeg()), content_type="image/jpeg",
        size=10, uploaded_at=at,
    )  # fmt: skip
    Activity.objects.create(
        report=report, order=1, description="menyusun laporan", minutes=60, evidence=evidence,
        output_qty=Decimal(1), output_unit="dokumen",
    )  # fmt: skip
    task = Task.objects.create(
        assignee=employee, assigned_by=sup, title="Rekap kehadiran", target_qty=Decimal(1),
        target_unit="dokumen", due=dt.date(2026, 11, 30), created_at=at,
    )  # fmt: skip
    return {"report_id": report.pk, "evidence_id": evidence.pk, "task_id": task.pk}


def _discipline(employee: Employee) -> dict[str, Any]:
    statements_refresh(
        agency=employee.agency, year=2026, month=10, people=Employee.objects.filter(pk=employee.pk)
    )
    alert = DisciplineAlert.objects.create(
        employee=employee, year=2026, threshold=3, level="ringan", sanction="teguran",
        unexcused_days=3, reached_on=dt.date(2026, 11, 16), raised_at=NOW - dt.timedelta(days=7),
        note="",
    )  # fmt: skip
    return {"alert_id": alert.pk}


def _verification(
    employee: Employee, org: dict[str, Any], inspector: Employee, hr: Employee
) -> dict[str, Any]:
    reference = FaceReference.objects.create(
        employee=employee, image=_stored("faces", jpeg()), template=[0.1] * 128,
        status="proposed", source="hr_upload", model_version="test", created_at=NOW,
    )  # fmt: skip
    active = FaceReference.objects.create(
        employee=employee, image=_stored("faces", jpeg()), template=[0.2] * 128,
        status="active", source="hr_upload", model_version="test", created_at=NOW,
    )  # fmt: skip
    device = Device.objects.create(
        employee=employee, device_id="hp-eka-2", device_name="HP baru", status="pending",
        first_seen_at=NOW, last_seen_at=NOW,
    )  # fmt: skip
    inspection = Inspection.objects.create(
        agency=org["agency"], unit=org["opd1"], at=NOW, inspector=inspector.user, created_at=NOW
    )
    office = kiosk_link_create(user=hr.user, office_id=org["office"].pk)
    return {
        "reference_id": reference.pk,  # proposed: waits for HR's decision
        "active_reference_id": active.pk,
        "device_id": device.pk,
        "inspection_id": inspection.pk,
        "office_id": office.pk,
        "key": kiosk_key(office),
    }


def _health(employee: Employee) -> dict[str, Any]:
    declaration_submit(employee=employee, day=TODAY, symptoms=[], temperature_c="36.5")
    test = health_test_record(
        user=employee.user, employee=employee, kind="antigen", taken_on=TODAY,
        result="positive", document=SimpleUploadedFile("hasil.pdf", PDF, "application/pdf"),
    )  # fmt: skip
    return {"test_id": test.pk, "suggestion_id": test.suggestion.pk}


def _jobs(people: dict[str, Employee], org: dict[str, Any]) -> dict[str, Any]:
    """Finished jobs with their files: HR's monthly report of OPD1, E's own data export,
    HR's export of E's data, and OPD1's head's roster generation."""
    e, hr = people["self"], people["hr"]
    report = {
        "job_id": REPORT_JOB, "kind": "monthly_xlsx", "user_id": hr.user_id,
        "agency_id": org["agency"].pk, "unit_id": org["opd1"].pk, "month": [2026, 10],
        "date": None, "state": "done", "done": 1, "total": 1, "counting": "employees",
        "path": _stored("exports", b"PK-report", "xlsx"), "filename": "laporan.xlsx", "size": 9,
    }  # fmt: skip

    def privacy(job_id: str, user: Employee) -> dict[str, Any]:
        return {
            "job_id": job_id, "user_id": user.user_id, "employee_id": e.pk,
            "agency_id": e.agency_id, "nip": e.nip, "name": e.name, "state": "done", "done": 1,
            "total": 1, "path": _stored("privacy-exports", b"PK-zip", "zip"),
            "filename": "data.zip", "size": 6,
        }  # fmt: skip

    roster = {
        "job_id": ROSTER_JOB, "user_id": people["head"].user_id, "unit_id": org["opd1"].pk,
        "start": "2026-11-30", "end": "2026-12-04", "state": "done", "done": 1, "total": 1,
        "ok": True, "written": 0, "people": 0, "days": 0, "problems": [],
    }  # fmt: skip
    return {
        "report": (f"reports:export-job:{REPORT_JOB}", report),
        "privacy": (f"privacy:subject-export:{PRIVACY_JOB}", privacy(PRIVACY_JOB, e)),
        "privacy_hr": (f"privacy:subject-export:{PRIVACY_HR_JOB}", privacy(PRIVACY_HR_JOB, hr)),
        "roster": (f"arr:roster-job:{ROSTER_JOB}", roster),
    }


def world_build() -> World:
    people, org = _organisation()
    e = people["self"]
    event = _check_in(e)
    request = request_submit(
        employee=e,
        draft=RequestDraft(type="IZIN", reason="urusan keluarga", start=TODAY, end=TODAY),
        attachment=SimpleUploadedFile("surat.pdf", PDF, "application/pdf"),
    )
    FlexibleWorkApplication.objects.create(
        employee=e, reason="merawat orang tua", work_plan="target harian", days_per_week=1,
        valid_from=dt.date(2026, 12, 1), valid_until=dt.date(2027, 2, 28), submitted_at=NOW,
    )  # fmt: skip
    rollcall = rollcall_create(
        agency=org["agency"],
        spec=SessionSpec(
            title="Apel Senin", date=TODAY, start_time=dt.time(7, 30), cutoff_time=dt.time(8, 0)
        ),
    )
    rollcall_prefill(rollcall=rollcall)
    params: dict[str, Any] = {
        "check_in_id": event.pk,
        "request_id": request.pk,
        "application_id": FlexibleWorkApplication.objects.get(employee=e).pk,
        "rollcall_id": rollcall.pk,
        "unit_id": org["opd1"].pk,
        "employee_id": e.pk,
        "nip": e.nip,
        "year": 2026,
        "month": 11,
        "date": TODAY.isoformat(),
        "day": FRIDAY.isoformat(),
        "category": "perfect_attendance",
        **_performance(e, people["sup"]),
        **_discipline(e),
        **_verification(e, org, people["inspector"], people["hr"]),
        **_health(e),
    }
    tokens = {
        role: token_issue(user=person.user, device_id=f"authz-{role}", device_name="HP").token
        for role, person in people.items()
    }
    world = World(people=people, tokens=tokens, params=params, jobs=_jobs(people, org))
    return world
