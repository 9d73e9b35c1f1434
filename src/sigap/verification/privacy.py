"""What verification holds of a person, registered with sigap.privacy (imported by
VerificationConfig.ready):

- retention: "face_templates" (every face reference of an employee who left, whatever its
  status: template and photo), "selfie_derived" (what verification derived from selfies
  that retention takes: references proposed from such a selfie and never made active,
  whose photo IS the selfie file, and the selfies' perceptual hashes);
- subject export: devices, face references (metadata and photos; not the templates);
- breach category: face (reference photos and templates).

A proposed (or rejected) reference points at the selfie file itself; an approved one has
its own copy under faces/. A photo is deleted only when no check-in and no kept reference
still names it."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sigap.attendance.models import CheckIn
from sigap.attendance.privacy import selfie_due_check_ins
from sigap.org.models import Agency, Employee
from sigap.privacy.purge import files_delete_on_commit
from sigap.privacy.registry import (
    BreachCategory,
    PurgeCount,
    RetentionRule,
    SubjectSection,
    register_breach_category,
    register_retention,
    register_subject_section,
)
from sigap.verification.models import (
    CheckVerification,
    Device,
    FaceReference,
    ReferenceSource,
    ReferenceStatus,
)

NEVER_ACTIVE = (ReferenceStatus.PROPOSED, ReferenceStatus.REJECTED)


def _unused_files(names: set[str], deleted_ids: list[int]) -> set[str]:
    """The names no check-in selfie and no other reference still uses."""
    if not names:
        return set()
    in_use = set(CheckIn.objects.filter(selfie__in=names).values_list("selfie", flat=True))
    kept = FaceReference.objects.filter(image__in=names).exclude(pk__in=deleted_ids)
    in_use |= set(kept.values_list("image", flat=True))
    return names - in_use


def _delete_references(rows: list[tuple[int, str]], dry_run: bool) -> PurgeCount:
    ids = [pk for pk, _image in rows]
    files = _unused_files({image for _pk, image in rows if image}, ids)
    if not dry_run and ids:
        FaceReference.objects.filter(pk__in=ids).delete()
        files_delete_on_commit(files)
    return PurgeCount(len(ids), len(files))


def _purge_leavers(agency: Agency, today: dt.date, settings, dry_run: bool) -> PurgeCount:
    """Face references (templates and photos) of employees who left."""
    found = FaceReference.objects.filter(employee__agency=agency, employee__active=False)
    return _delete_references(list(found.values_list("pk", "image")), dry_run)


def _purge_selfie_derived(agency: Agency, today: dt.date, settings, dry_run: bool) -> PurgeCount:
    """Never-active references proposed from selfies that are due, and their hashes."""
    due = selfie_due_check_ins(agency=agency, today=today, days=settings.selfie_days)
    proposals = FaceReference.objects.filter(
        employee__agency=agency,
        source=ReferenceSource.SELFIE,
        status__in=NEVER_ACTIVE,
        check_in__in=due,
    )
    count = _delete_references(list(proposals.values_list("pk", "image")), dry_run)
    hashes = CheckVerification.objects.filter(check_in__in=due, phash__isnull=False)
    cleared = hashes.count() if dry_run else hashes.update(phash=None)
    return PurgeCount(count.rows + cleared, count.files)


# --- subject export ----------------------------------------------------------------------------


def devices_section(employee: Employee) -> SubjectSection:
    found = Device.objects.filter(employee=employee).order_by("first_seen_at", "pk")
    fields = ("device_id", "device_name", "status", "first_seen_at", "last_seen_at", "decided_at")
    return SubjectSection([dict(row) for row in found.values(*fields)])


def face_references_section(employee: Employee) -> SubjectSection:
    rows, files = [], {}
    found = FaceReference.objects.filter(employee=employee).order_by("created_at", "pk")
    fields = (
        "id", "status", "source", "check_in_id", "face_px", "model_version", "created_at",
        "decided_at", "image",
    )  # fmt: skip
    for row in found.values(*fields):
        stored = row.pop("image")
        name = f"wajah/{row['id']}.jpg" if stored else ""
        if stored:
            files[name] = _opener(stored)
        rows.append({**row, "image_file": name})
    return SubjectSection(rows, files)


def _opener(name: str):
    return lambda: default_storage.open(name, "rb")


def face_holders(agency: Agency, start: dt.datetime, end: dt.datetime) -> set[int]:
    """Employees with a face reference stored by the window's end (references still held;
    deleted ones are gone, as the purge log's counts show)."""
    found = FaceReference.objects.filter(Q(created_at__lte=end), employee__agency=agency)
    return set(found.values_list("employee_id", flat=True).distinct())


def register() -> None:
    register_retention(
        RetentionRule("face_templates", _("Face references of employees who left"), _purge_leavers)
    )
    register_retention(
        RetentionRule(
            "selfie_derived",
            _("Proposed face references and hashes of deleted selfies"),
            _purge_selfie_derived,
        )
    )
    register_subject_section("devices", devices_section)
    register_subject_section("face_references", face_references_section)
    register_breach_category(BreachCategory("face", _("face references"), face_holders))


register()
