"""Face enrolment: the reference photos an employee's selfies are compared with.

- HR uploads a reference photo: it is decoded and re-encoded like a selfie (JPEG or PNG,
  at most 2 MB, no metadata kept), must show exactly one face at least the agency's
  minimum face size wide, and is stored ACTIVE with its face template.
- An employee's first selfies are proposed by the verification worker (PROPOSED); HR
  approves them (ACTIVE, the photo copied out of the selfie store so that the selfie
  retention does not take it) or rejects them.
- At most MAX_ACTIVE_REFERENCES active per employee: a sixth is refused until HR retires
  one.

Who: the agency's HR admins change; its inspectors only look; a superuser does both in
every agency. Anyone else is refused (Forbidden); an employee of another agency is not
found (NotFound). Templates and anything else derived from a photo never go to the logs:
the log lines carry ids only.
"""

from __future__ import annotations

import io
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from PIL import Image

from sigap.attendance.selfie import InvalidImage, process_selfie, read_upload
from sigap.core import clock
from sigap.core.exceptions import Conflict, Forbidden, InvalidInput, NotFound, PayloadTooLarge
from sigap.core.models import User
from sigap.org.models import Employee, Role
from sigap.org.selectors import Scope, scope_for
from sigap.privacy.access import access_record
from sigap.privacy.models import DataCategory
from sigap.verification import face
from sigap.verification.models import (
    MAX_ACTIVE_REFERENCES,
    FaceReference,
    ReferenceSource,
    ReferenceStatus,
)
from sigap.verification.settings import verification_settings

logger = logging.getLogger(__name__)

MAX_PHOTO_BYTES = 2 * 1024 * 1024
FACE_PROBLEMS = {
    face.NO_FACE: _(
        "No face was found in the photo. Upload a clear photo of the employee's face, "
        "looking at the camera."
    ),
    face.SEVERAL_FACES: _(
        "The photo shows %(faces)d faces. A reference photo must show the employee alone."
    ),
    face.TOO_SMALL: _(
        "The face in the photo is too small to verify: %(px)d px wide, at least %(min)d px "
        "are needed. Upload a closer or larger photo."
    ),
}


class TooManyReferences(Conflict):
    code = "too_many_references"


# --- who may do what ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FaceAccess:
    """What the user may do with the face references of the employees shown."""

    scope: Scope
    can_change: bool


def face_access(*, user: User) -> FaceAccess:
    """HR admins (change) and inspectors (read) of their agency, superusers everywhere."""
    scope = scope_for(user)
    can_change = scope.all_agencies or scope.has_role(Role.HR_ADMIN)
    if not (can_change or scope.has_role(Role.INSPECTOR)):
        raise Forbidden(_("Only HR admins and inspectors see face references."))
    return FaceAccess(scope, can_change)


def _in_agency(access: FaceAccess, employee: Employee) -> bool:
    return access.scope.all_agencies or employee.agency_id == access.scope.agency_id


def _changer(user: User, employee: Employee) -> FaceAccess:
    access = face_access(user=user)
    if not _in_agency(access, employee):
        raise NotFound
    if not access.can_change:
        raise Forbidden(_("Only the agency's HR admins change face references."))
    return access


def access_face_employee(*, user: User, nip: str, change: bool = False) -> Employee:
    """The employee `nip` if the user may see (or, with `change`, edit) their references."""
    access = face_access(user=user)
    employee = Employee.objects.select_related("agency", "unit").filter(nip=nip).first()
    if employee is None or not _in_agency(access, employee):
        raise NotFound(_("No such employee in your agency."))
    if change and not access.can_change:
        raise Forbidden(_("Only the agency's HR admins change face references."))
    return employee


def access_face_reference(*, user: User, reference_id: int) -> FaceReference:
    """A reference the user may see (NotFound for anything else, Forbidden for others)."""
    access = face_access(user=user)
    reference = (
        FaceReference.objects.select_related("employee", "employee__agency")
        .filter(pk=reference_id)
        .first()
    )
    if reference is None or not _in_agency(access, reference.employee):
        raise NotFound
    return reference


def face_reference_viewed(
    *, user: User, reference: FaceReference, request: HttpRequest | None = None
) -> None:
    """Record that someone looked at a reference photo (biometric data: DOMAIN.md 10): in
    the access log (not for the employee's own photo) and as a log line with ids only."""
    access_record(
        viewer=user,
        subject_ids=[reference.employee_id],
        category=DataCategory.FACE,
        what=f"face reference {reference.pk}",
        request=request,
    )
    logger.info(
        "face reference %s of employee %s viewed by user %s",
        reference.pk,
        reference.employee_id,
        user.pk,
    )


# --- reads ----------------------------------------------------------------------------------


def face_enrolment_rows(*, user: User, query: str = "", waiting: bool = False) -> QuerySet:
    """The active employees the user may see, with their active and proposed counts;
    `query` matches the NIP or the name, `waiting` keeps those with proposals."""
    access = face_access(user=user)
    rows = Employee.objects.filter(active=True).select_related("unit")
    if not access.scope.all_agencies:
        agency_id = access.scope.agency_id
        rows = rows.filter(agency_id=agency_id) if agency_id is not None else rows.none()
    query = query.strip()
    if query:
        rows = rows.filter(Q(nip__contains=query) | Q(name__icontains=query))
    rows = rows.annotate(
        active_references=Count(
            "face_references", filter=Q(face_references__status=ReferenceStatus.ACTIVE)
        ),
        proposed_references=Count(
            "face_references", filter=Q(face_references__status=ReferenceStatus.PROPOSED)
        ),
    )
    if waiting:
        rows = rows.filter(proposed_references__gt=0)
    return rows.order_by("name", "pk")


def face_references_of(*, employee: Employee) -> dict[str, list[FaceReference]]:
    """The employee's references by status: active, proposed and past (retired, rejected)."""
    found: dict[str, list[FaceReference]] = {"active": [], "proposed": [], "past": []}
    refs = FaceReference.objects.filter(employee=employee).select_related(
        "check_in", "created_by", "decided_by"
    )
    for reference in refs.order_by("-created_at", "-pk"):
        key = reference.status if reference.status in ("active", "proposed") else "past"
        found[key].append(reference)
    return found


# --- writes -----------------------------------------------------------------------------------


def _photo(upload: Any) -> tuple[bytes, Image.Image]:
    """The upload as a clean JPEG and its image (refusals name the problem)."""
    try:
        processed = process_selfie(read_upload(upload, max_bytes=MAX_PHOTO_BYTES))
    except PayloadTooLarge as exc:
        raise PayloadTooLarge(
            _("The photo is larger than %(mb)d MB.") % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)},
            detail={"max_bytes": MAX_PHOTO_BYTES},
        ) from exc
    except InvalidImage as exc:
        detail = exc.detail
        message: Any
        if "min_side" in detail:
            message = _("The photo is too small: at least %(n)d x %(n)d pixels.") % {
                "n": detail["min_side"]
            }
        elif "max_side" in detail:
            message = _("The photo is too large: at most %(n)d x %(n)d pixels.") % {
                "n": detail["max_side"]
            }
        else:
            message = _("The photo must be a complete JPEG or PNG image.")
        raise InvalidImage(message, detail=detail) from exc
    with Image.open(io.BytesIO(processed.content)) as decoded:
        image = decoded.convert("RGB")
    return processed.content, image


def _face_of(image: Image.Image, employee: Employee) -> face.FaceResult:
    settings = verification_settings(employee.agency)
    found = face.analyse(image, min_face_px=settings.min_face_px)
    if not found.ok:
        values = {"faces": found.faces, "px": found.size_px, "min": settings.min_face_px}
        raise InvalidInput(
            FACE_PROBLEMS[str(found.problem)] % values,
            code=str(found.problem),
            detail={"problem": found.problem},
        )
    return found


def _lock(employee: Employee) -> None:
    """One change of an employee's references at a time (the maximum holds under races)."""
    Employee.objects.select_for_update().filter(pk=employee.pk).first()


def _room_for_one_more(employee: Employee) -> None:
    """Refuse a sixth active reference (call with the employee locked)."""
    active = FaceReference.objects.filter(employee=employee, status=ReferenceStatus.ACTIVE)
    if active.count() >= MAX_ACTIVE_REFERENCES:
        raise TooManyReferences(
            _(
                "%(name)s already has %(max)d active reference photos. Retire one before "
                "adding another."
            )
            % {"name": employee.name, "max": MAX_ACTIVE_REFERENCES},
            detail={"max": MAX_ACTIVE_REFERENCES},
        )


def face_reference_add(*, user: User, employee: Employee, upload: Any) -> FaceReference:
    """HR's reference photo: validated, one face big enough, stored ACTIVE."""
    _changer(user, employee)
    content, image = _photo(upload)
    found = _face_of(image, employee)
    stored = default_storage.save(f"faces/{uuid.uuid4().hex}.jpg", ContentFile(content))
    now = clock.now()
    try:
        with transaction.atomic():
            _lock(employee)
            _room_for_one_more(employee)
            reference = FaceReference(
                employee=employee,
                image=stored,
                template=list(found.embedding or ()),
                face_px=found.size_px,
                status=ReferenceStatus.ACTIVE,
                source=ReferenceSource.HR_UPLOAD,
                model_version=face.MODEL_VERSION,
                created_at=now,
                created_by=user,
                decided_at=now,
                decided_by=user,
            )
            reference.full_clean()
            reference.save(force_insert=True)
    except BaseException:
        default_storage.delete(stored)
        raise
    _log(reference, "added", user)
    return reference


def _decide(user: User, reference: FaceReference, expected: str) -> FaceReference:
    """Check the right and lock the reference in the state `expected`."""
    _changer(user, reference.employee)
    locked = FaceReference.objects.select_for_update().get(pk=reference.pk)
    if locked.status != expected:
        raise Conflict(
            _("This reference photo is %(status)s: nothing to do.")
            % {"status": locked.get_status_display()},
            code="reference_state",
        )
    return locked


def _save_decision(reference: FaceReference, status: str, user: User, *extra: str) -> None:
    reference.status = status
    reference.decided_at = clock.now()
    reference.decided_by = user
    reference.save(update_fields=["status", "decided_at", "decided_by", *extra])


def face_reference_approve(*, user: User, reference: FaceReference) -> FaceReference:
    """A proposed selfie becomes an active reference (within the maximum)."""
    _changer(user, reference.employee)
    copy = None
    try:
        with transaction.atomic():
            _lock(reference.employee)
            locked = _decide(user, reference, ReferenceStatus.PROPOSED)
            _room_for_one_more(reference.employee)
            copy = _own_copy(locked.image.name)
            extra = ("image",) if copy else ()
            if copy:
                locked.image.name = copy
            _save_decision(locked, ReferenceStatus.ACTIVE, user, *extra)
    except BaseException:
        if copy:
            default_storage.delete(copy)
        raise
    _log(locked, "approved", user)
    return locked


def _own_copy(name: str | None) -> str | None:
    """A copy of a selfie under faces/ (None when the selfie is gone already)."""
    if not name or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        return default_storage.save(f"faces/{uuid.uuid4().hex}.jpg", ContentFile(handle.read()))


def face_reference_reject(*, user: User, reference: FaceReference) -> FaceReference:
    with transaction.atomic():
        locked = _decide(user, reference, ReferenceStatus.PROPOSED)
        _save_decision(locked, ReferenceStatus.REJECTED, user)
    _log(locked, "rejected", user)
    return locked


def face_reference_retire(*, user: User, reference: FaceReference) -> FaceReference:
    with transaction.atomic():
        locked = _decide(user, reference, ReferenceStatus.ACTIVE)
        _save_decision(locked, ReferenceStatus.RETIRED, user)
    _log(locked, "retired", user)
    return locked


def _log(reference: FaceReference, what: str, user: User) -> None:
    logger.info(
        "face reference %s of employee %s %s by user %s",
        reference.pk,
        reference.employee_id,
        what,
        user.pk,
    )
