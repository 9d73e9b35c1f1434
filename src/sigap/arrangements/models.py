"""Work-arrangement tables: flexible-work grants, emergency policies, rooms, the WFA region,
and the roster (who works where on which day)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sigap.core.geo import GeoError, validate_polygon
from sigap.org.models import LATITUDE, LONGITUDE, Agency, Employee, Office, Unit

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Mode(models.TextChoices):
    WFO = "WFO", _("Work from office")
    WFH = "WFH", _("Work from home")
    WFA = "WFA", _("Work from anywhere")
    DL = "DL", _("Official travel")
    OFF = "OFF", _("Not working (leave, sick, permission)")


class EntryReason(models.TextChoices):
    DEFAULT = "default", _("office by default")
    POLICY = "policy", _("emergency policy")
    FLEXIBLE = "flexible", _("approved flexible work")
    MANUAL = "manual", _("set by the unit head")
    RECALL = "recall", _("recalled to the office")
    REQUEST = "request", _("approved request")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    CANCELLED = "cancelled", _("cancelled")


class FlexibleWorkApplication(models.Model):
    """An employee's application for flexible (remote) work days; the unit head decides."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="flexible_applications"
    )
    reason = models.TextField(_("reason"))
    work_plan = models.TextField(_("work plan with measurable targets"))
    mode = models.CharField(
        _("mode"),
        max_length=3,
        choices=[(Mode.WFH, Mode.WFH.label), (Mode.WFA, Mode.WFA.label)],
        default=Mode.WFH,
    )
    days_per_week = models.PositiveSmallIntegerField(
        _("flexible days a week"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    preferred_weekdays = models.JSONField(
        _("preferred weekdays"), default=list, blank=True, help_text=_("0 = Monday .. 4 = Friday")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("flexible-work application")
        verbose_name_plural = _("flexible-work applications")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="flexible_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(days_per_week__gte=1, days_per_week__lte=5),
                name="flexible_days_range",
            ),
        ]
        indexes = [models.Index(fields=["employee", "status"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.valid_from}..{self.valid_until} ({self.status})"


class EmergencyPolicy(models.Model):
    """A WFO quota for a unit and its subtree over a date range (the PPKM pattern)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="emergency_policies")
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit (with its sub-units)"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emergency_policies",
        help_text=_("Leave empty for the whole agency."),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    level = models.PositiveSmallIntegerField(
        _("preset level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("Level 1 = 100 %, 2 = 75 %, 3 = 50 %, 4 = 25 % WFO; empty for a custom share."),
    )
    wfo_share = models.PositiveSmallIntegerField(
        _("WFO share of non-essential units (%)"), validators=PERCENT
    )
    essential_share = models.PositiveSmallIntegerField(
        _("WFO share of essential units (%)"),
        default=50,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
    )
    critical_share = models.PositiveSmallIntegerField(
        _("WFO share of critical units (%)"), default=100, validators=PERCENT
    )
    release_public_service = models.BooleanField(
        _("release public-service positions"),
        default=False,
        help_text=_("Public-service positions stay in the office unless this is set."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("emergency policy")
        verbose_name_plural = _("emergency policies")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="policy_range"),
            models.CheckConstraint(
                condition=Q(wfo_share__lte=100, critical_share__lte=100)
                & Q(essential_share__gte=50, essential_share__lte=100),
                name="policy_shares_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start}..{self.end})"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end is before the start.")})
        if self.unit_id and self.agency_id and self.unit.agency_id != self.agency_id:
            raise ValidationError({"unit": _("The unit belongs to another agency.")})


class Room(models.Model):
    """A room of an office with its own capacity (meeting rooms, shared work rooms)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    meeting_room = models.BooleanField(_("meeting room"), default=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["office", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="room_name_unique"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="room_capacity_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.office.name} / {self.name}"


class WfaRegion(models.Model):
    """Where WFA check-ins are accepted: the agency's boundary polygon, or a radius."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="wfa_region")
    name = models.CharField(_("name"), max_length=200)
    latitude = models.FloatField(_("centre latitude"), validators=LATITUDE)
    longitude = models.FloatField(_("centre longitude"), validators=LONGITUDE)
    radius_m = models.PositiveIntegerField(_("radius (m)"), null=True, blank=True)
    polygon = models.JSONField(
        _("boundary polygon"),
        null=True,
        blank=True,
        help_text=_("Closed ring of [latitude, longitude] pairs; the last equals the first."),
    )

    class Meta:
        verbose_name = _("WFA region")
        verbose_name_plural = _("WFA regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(radius_m__isnull=False) | Q(polygon__isnull=False),
                name="wfa_region_radius_or_polygon",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.radius_m is None and not self.polygon:
            raise ValidationError(_("Give a radius or a boundary polygon."))
        if self.polygon:
            try:
                validate_polygon(self.polygon)
            except GeoError as exc:
                raise ValidationError({"polygon": str(exc)}) from exc


class RosterEntry(models.Model):
    """One employee's planned mode and place on one date. No entry: WFO at their office."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="roster")
    date = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=3, choices=Mode.choices)
    reason = models.CharField(_("reason"), max_length=10, choices=EntryReason.choices)
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For WFO at another office than the employee's own."),
    )
    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.SET_NULL, null=True, blank=True
    )
    absence_code = models.CharField(_("absence code"), max_length=6, blank=True)
    request_ref = models.PositiveIntegerField(_("request"), null=True, blank=True)
    destination = models.CharField(_("destination"), max_length=200, blank=True)
    destination_latitude = models.FloatField(null=True, blank=True, validators=LATITUDE)
    destination_longitude = models.FloatField(null=True, blank=True, validators=LONGITUDE)
    destination_radius_m = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    override_reason = models.CharField(_("override reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="one_roster_entry_a_day"),
            models.CheckConstraint(
                condition=~Q(mode="OFF") | ~Q(absence_code=""), name="roster_off_has_code"
            ),
            models.CheckConstraint(
                condition=Q(destination_latitude__isnull=True, destination_longitude__isnull=True)
                | Q(destination_latitude__isnull=False, destination_longitude__isnull=False),
                name="roster_destination_both_or_neither",
            ),
        ]
        indexes = [models.Index(fields=["date", "mode"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.mode}"


class RosterChange(models.Model):
    """The history of roster edits (who changed which day from what to what, and why)."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    old_mode = models.CharField(max_length=3, blank=True)
    new_mode = models.CharField(max_length=3, blank=True)
    reason = models.CharField(max_length=10, choices=EntryReason.choices)
    note = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("roster change")
        verbose_name_plural = _("roster changes")
        ordering = ["-changed_at"]
        indexes = [models.Index(fields=["employee", "date"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date}: {self.old_mode} -> {self.new_mode}"
