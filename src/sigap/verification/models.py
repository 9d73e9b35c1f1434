"""Verification: face references, the result of checking each check-in (face, reuse,
location, device, QR), devices, office QR kiosks, review decisions and surprise
inspections (sidak)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sigap.attendance.models import CheckIn
from sigap.org.models import Agency, Employee, Unit


class ReferenceStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed (waiting for HR)")
    ACTIVE = "active", _("active")
    REJECTED = "rejected", _("rejected")
    RETIRED = "retired", _("retired")


class ReferenceSource(models.TextChoices):
    HR_UPLOAD = "hr_upload", _("uploaded by HR")
    SELFIE = "selfie", _("proposed from a selfie")


MAX_ACTIVE_REFERENCES = 5


class FaceReference(models.Model):
    """A reference photo of an employee and its face template (the 128-d embedding).
    Active once HR uploads or approves it; at most five active per employee."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="face_references")
    image = models.FileField(upload_to="faces/", max_length=200)
    template = models.JSONField(_("face template"))
    face_px = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=ReferenceStatus.choices)
    source = models.CharField(max_length=10, choices=ReferenceSource.choices)
    check_in = models.ForeignKey(
        CheckIn, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    model_version = models.CharField(max_length=32)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("face reference")
        verbose_name_plural = _("face references")
        indexes = [models.Index(fields=["employee", "status"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.status}"


class FaceOutcome(models.TextChoices):
    MATCHED = "matched", _("face matched")
    MISMATCH = "mismatch", _("face does not match")
    NO_REFERENCE = "no_reference", _("no reference photo")
    NO_FACE = "no_face", _("no face in the selfie")
    SEVERAL_FACES = "several_faces", _("several faces in the selfie")
    TOO_SMALL = "face_too_small", _("face too small to verify")
    UNREADABLE = "unreadable", _("selfie unreadable")
    NO_SELFIE = "no_selfie", _("no selfie kept")


class CheckVerification(models.Model):
    """What the background checks found about one check-in (the score and reasons are
    also written on the check-in itself)."""

    check_in = models.OneToOneField(CheckIn, on_delete=models.CASCADE, related_name="checked")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    work_date = models.DateField()
    face = models.CharField(max_length=16, choices=FaceOutcome.choices)
    distance = models.FloatField(null=True, blank=True)
    face_px = models.PositiveIntegerField(default=0)
    phash = models.BigIntegerField(null=True, blank=True)
    device_id = models.CharField(max_length=128, blank=True)
    reasons = models.JSONField(default=list)
    score = models.PositiveSmallIntegerField(default=0)
    model_version = models.CharField(max_length=32, blank=True)
    processed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("check-in verification")
        verbose_name_plural = _("check-in verifications")
        indexes = [
            models.Index(fields=["work_date"]),
            models.Index(fields=["employee", "work_date"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=100), name="verification_score_0_100")
        ]

    def __str__(self) -> str:
        return f"{self.check_in_id} {self.face} {self.score}"


class DeviceStatus(models.TextChoices):
    APPROVED = "approved", _("approved")
    PENDING = "pending", _("waiting for HR")
    REJECTED = "rejected", _("rejected")


class Device(models.Model):
    """A phone (or browser) an employee signs in from. The first one is approved; a new one
    waits for HR (agency setting) or is allowed with a flag."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="devices")
    device_id = models.CharField(max_length=128)
    device_name = models.CharField(max_length=128, blank=True)
    status = models.CharField(max_length=10, choices=DeviceStatus.choices)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        constraints = [
            models.UniqueConstraint(fields=["employee", "device_id"], name="device_once")
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.device_name or self.device_id} ({self.status})"


class Decision(models.TextChoices):
    CONFIRMED = "confirmed", _("cheating confirmed: the check-in is voided")
    CLEARED = "cleared", _("cleared: the check-in stands")


class ReviewDecision(models.Model):
    """An inspector's decision on a flagged check-in (every decision is kept)."""

    check_in = models.ForeignKey(CheckIn, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    note = models.TextField()
    reasons = models.JSONField(default=list)
    score = models.PositiveSmallIntegerField(default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.check_in_id} {self.decision}"


class Inspection(models.Model):
    """A surprise inspection (sidak) of a unit at a time."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("inspected at"))
    note = models.TextField(blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("surprise inspection")
        verbose_name_plural = _("surprise inspections")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.unit} {self.at:%Y-%m-%d %H:%M}"


class Finding(models.TextChoices):
    OK = "ok", _("as recorded")
    ABSENT_BUT_CHECKED_IN = "absent_checked_in", _("checked in at the office but not there")
    PRESENT_WITHOUT_CHECK_IN = "present_no_check_in", _("there without a check-in")
    ABSENT = "absent", _("not there, no office check-in")


class InspectionEntry(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="entries")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField()
    check_in = models.ForeignKey(
        CheckIn, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finding = models.CharField(max_length=20, choices=Finding.choices)

    class Meta:
        verbose_name = _("inspection entry")
        verbose_name_plural = _("inspection entries")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "employee"], name="inspection_once")
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.employee_id} {self.finding}"
