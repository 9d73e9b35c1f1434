"""Attendance tables: append-only check-in events, refused attempts, attendance days."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sigap.attendance.rules import Code
from sigap.org.models import Employee


class Kind(models.TextChoices):
    IN = "in", _("check-in")
    OUT = "out", _("check-out")


class WorkMode(models.TextChoices):
    WFO = "WFO", _("Work from office")
    WFH = "WFH", _("Work from home")
    WFA = "WFA", _("Work from anywhere")
    DL = "DL", _("Official travel")


class Source(models.TextChoices):
    API = "api", _("phone app / API")
    WEB = "web", _("web page")
    OFFLINE = "offline", _("sent later from the offline queue")
    CORRECTION = "correction", _("approved correction")
    IMPORT = "import", _("imported")


class Review(models.TextChoices):
    NONE = "none", _("no review needed")
    PENDING = "pending", _("waiting for the supervisor")
    ACCEPTED = "accepted", _("accepted by the supervisor")
    REJECTED = "rejected", _("rejected by the supervisor")


class Verification(models.TextChoices):
    PENDING = "pending", _("pending")
    MATCHED = "matched", _("face matched")
    MISMATCH = "mismatch", _("face does not match")
    NO_REFERENCE = "no_reference", _("no reference photo")


DayCode = models.TextChoices("DayCode", [(c.value, c.value) for c in Code])


class CheckIn(models.Model):
    """One check-in or check-out, as received. Never edited except by review and
    verification outcomes; a correction is a new event."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="check_ins")
    request_id = models.UUIDField(_("request id"))
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    recorded_at = models.DateTimeField(_("recorded at"))
    captured_at = models.DateTimeField(_("captured on the device at"))
    work_date = models.DateField(_("work date"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    mode = models.CharField(_("mode"), max_length=3, choices=WorkMode.choices)
    latitude = models.FloatField()
    longitude = models.FloatField()
    accuracy_m = models.FloatField()
    mock_location = models.BooleanField(default=False)
    qr_token = models.CharField(max_length=64, blank=True)
    device_id = models.CharField(_("device"), max_length=128, blank=True)
    place_kind = models.CharField(max_length=12)
    place_name = models.CharField(max_length=200)
    place_latitude = models.FloatField()
    place_longitude = models.FloatField()
    place_radius_m = models.FloatField(null=True, blank=True)
    distance_m = models.FloatField()
    inside = models.BooleanField()
    selfie = models.FileField(upload_to="selfies/", max_length=200, blank=True)
    selfie_sha256 = models.CharField(max_length=64, blank=True)
    # set when the retention purge deleted the selfie file (the event itself is kept)
    selfie_deleted_at = models.DateTimeField(_("selfie deleted at"), null=True, blank=True)
    exif_captured_at = models.DateTimeField(null=True, blank=True)
    exif_device = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.API)
    delay_seconds = models.IntegerField(_("sent after capture (s)"), default=0)
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.NONE)
    review_reasons = models.JSONField(default=list, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    verification = models.CharField(
        max_length=14, choices=Verification.choices, default=Verification.PENDING
    )
    risk_score = models.PositiveSmallIntegerField(default=0)
    risk_reasons = models.JSONField(default=list, blank=True)
    rule_version = models.CharField(max_length=16)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "request_id"], name="checkin_request_once"),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="checkin_coordinates_in_range",
            ),
            models.CheckConstraint(condition=Q(accuracy_m__gt=0), name="checkin_accuracy_positive"),
            models.CheckConstraint(condition=Q(risk_score__lte=100), name="checkin_risk_0_100"),
        ]
        indexes = [
            models.Index(fields=["employee", "work_date"]),
            models.Index(fields=["work_date"]),
            models.Index(
                fields=["review"], condition=Q(review="pending"), name="checkin_review_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.recorded_at:%Y-%m-%d %H:%M}"

    @property
    def counts(self) -> bool:
        return self.review != Review.REJECTED


class RefusedCheckIn(models.Model):
    """A refused attempt, kept for audit (who, when, where, why); no selfie is stored."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="refused_check_ins"
    )
    request_id = models.UUIDField(null=True, blank=True)
    kind = models.CharField(max_length=3, blank=True)
    at = models.DateTimeField()
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    accuracy_m = models.FloatField(null=True, blank=True)
    code = models.CharField(max_length=40)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("refused check-in")
        verbose_name_plural = _("refused check-ins")
        indexes = [models.Index(fields=["employee", "at"]), models.Index(fields=["at"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.code} {self.at:%Y-%m-%d %H:%M}"


class AttendanceDay(models.Model):
    """The outcome of one employee's work day, recomputed by rules.day_status."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="attendance_days")
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=6, choices=DayCode.choices)
    codes = models.JSONField(default=list)
    flags = models.JSONField(default=list, blank=True)
    mode = models.CharField(max_length=3, choices=WorkMode.choices, blank=True)
    check_in = models.DateTimeField(null=True, blank=True)
    check_out = models.DateTimeField(null=True, blank=True)
    late_minutes = models.PositiveIntegerField(default=0)
    early_minutes = models.PositiveIntegerField(default=0)
    schedule_start = models.DateTimeField(null=True, blank=True)
    schedule_end = models.DateTimeField(null=True, blank=True)
    final = models.BooleanField(default=False)
    rule_version = models.CharField(max_length=16)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("attendance day")
        verbose_name_plural = _("attendance days")
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="one_day_per_employee"),
        ]
        indexes = [models.Index(fields=["date", "status"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.status}"


# --- requests: leave, sick, permission, official travel, corrections ---------------


class RequestType(models.TextChoices):
    CT = "CT", _("Annual leave")
    CB = "CB", _("Long leave")
    CS = "CS", _("Sick leave")
    CM = "CM", _("Maternity leave")
    CAP = "CAP", _("Leave for important reasons")
    CLTN = "CLTN", _("Unpaid leave")
    SAKIT = "SAKIT", _("Sick (one day)")
    IZIN = "IZIN", _("Permission")
    DL = "DL", _("Official travel (dinas luar)")
    TB = "TB", _("Study assignment")
    KOREKSI = "KOREKSI", _("Attendance correction")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    CANCELLED = "cancelled", _("cancelled")


class AttendanceRequest(models.Model):
    """An exception to attendance, decided along an approval chain."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="requests")
    type = models.CharField(_("type"), max_length=8, choices=RequestType.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    reason = models.TextField(_("reason"))
    reference = models.CharField(_("letter number"), max_length=100, blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to="requests/", max_length=200, blank=True
    )
    working_days = models.PositiveIntegerField(_("working days"), default=0)
    destination = models.CharField(_("destination"), max_length=200, blank=True)
    destination_latitude = models.FloatField(null=True, blank=True)
    destination_longitude = models.FloatField(null=True, blank=True)
    correction_kind = models.CharField(max_length=3, choices=Kind.choices, blank=True)
    correction_time = models.TimeField(null=True, blank=True)
    corrected_event = models.ForeignKey(
        "CheckIn", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="request_range"),
            models.CheckConstraint(
                condition=~Q(type="KOREKSI")
                | (Q(correction_time__isnull=False) & ~Q(correction_kind="")),
                name="request_correction_fields",
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "start"]),
            models.Index(fields=["status", "type"]),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.employee_id} {self.start}..{self.end} ({self.status})"


class StepRole(models.TextChoices):
    SUPERVISOR = "supervisor", _("direct supervisor")
    UNIT_HEAD = "unit_head", _("unit head")


class Decision(models.TextChoices):
    PENDING = "pending", _("waiting")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    SKIPPED = "skipped", _("not needed")


class RequestStep(models.Model):
    """One step of a request's approval chain, in order."""

    request = models.ForeignKey(AttendanceRequest, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=10, choices=StepRole.choices)
    approver = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "order"]
        constraints = [
            models.UniqueConstraint(fields=["request", "order"], name="one_step_per_order"),
        ]
        indexes = [models.Index(fields=["approver", "decision"])]

    def __str__(self) -> str:
        return f"{self.request_id} #{self.order} {self.role}: {self.decision}"


class MonthReopening(models.Model):
    """HR reopened a locked month for clarifications; closing it again sets closed_at."""

    agency = models.ForeignKey("org.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    reason = models.TextField(_("reason"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reopened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("month reopening")
        verbose_name_plural = _("month reopenings")
        ordering = ["-reopened_at"]
        constraints = [
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="reopen_month"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}-{self.month:02d}"
