"""The organisation: agency, unit tree, offices, positions, employees, roles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sigap.core.geo import GeoError, validate_polygon
from sigap.org import rules

LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


def validate_time_zone(value: str) -> None:
    if not rules.is_valid_time_zone(value):
        raise ValidationError(
            _("%(zone)s is not a known IANA time zone (e.g. Asia/Jakarta, Asia/Makassar)."),
            params={"zone": value},
            code="time_zone",
        )


class Agency(models.Model):
    """A Pemda (regency / city / province). Every row of the system belongs to one."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Jakarta", validators=[validate_time_zone]
    )
    settings = models.JSONField(_("settings"), default=dict, blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    OPD = "OPD", _("OPD (regional body)")
    BIDANG = "BIDANG", _("Division (bidang / bagian)")
    SEKSI = "SEKSI", _("Section (seksi / subbagian)")
    UPT = "UPT", _("Technical unit (UPT / UPTD)")


class ServiceClass(models.TextChoices):
    """How essential a unit's work is to the public: emergency WFO quotas differ by class."""

    NON_ESSENTIAL = "non_essential", _("non-essential")
    ESSENTIAL = "essential", _("essential")
    CRITICAL = "critical", _("critical")


class Unit(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    head = models.ForeignKey(
        "Employee",
        verbose_name=_("head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_units",
    )
    shift_based = models.BooleanField(_("works in shifts"), default=False)
    service_class = models.CharField(
        _("service class"),
        max_length=16,
        choices=ServiceClass.choices,
        default=ServiceClass.NON_ESSENTIAL,
        help_text=_("Emergency policies give essential and critical units their own WFO share."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="unit_code_unique_in_agency"),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.parent.agency_id != self.agency_id:
            raise ValidationError({"parent": _("The parent unit belongs to another agency.")})
        if self.pk is not None:
            parent_of = dict(
                Unit.objects.filter(agency_id=self.agency_id).values_list("id", "parent_id")
            )
            if rules.creates_cycle(parent_of, self.pk, self.parent_id):
                raise ValidationError(
                    {"parent": _("A unit cannot be placed under itself or one of its sub-units.")}
                )


class Office(models.Model):
    """A building with a geofence: a radius around a point, or a polygon."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="offices")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.FloatField(_("latitude"), validators=LATITUDE)
    longitude = models.FloatField(_("longitude"), validators=LONGITUDE)
    qr_secret = models.CharField(
        _("QR kiosk secret"), max_length=64, blank=True, help_text=_("set by the kiosk page")
    )
    radius_m = models.PositiveIntegerField(
        _("geofence radius (m)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    polygon = models.JSONField(
        _("geofence polygon"),
        null=True,
        blank=True,
        help_text=_("Closed ring of [latitude, longitude] pairs; the last equals the first."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    units = models.ManyToManyField(
        Unit, verbose_name=_("units served"), related_name="offices", blank=True
    )
    seat_capacity = models.PositiveIntegerField(_("seat capacity"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="office_code_unique_in_agency"),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="office_coordinates_in_range",
            ),
            models.CheckConstraint(
                condition=Q(radius_m__isnull=True) | Q(radius_m__gt=0),
                name="office_radius_positive",
            ),
            models.CheckConstraint(
                condition=Q(radius_m__isnull=False) | Q(polygon__isnull=False),
                name="office_has_geofence",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.radius_m is None and not self.polygon:
            raise ValidationError(
                _("An office needs a geofence: a radius in metres or a polygon."), code="geofence"
            )
        if self.polygon:
            try:
                validate_polygon(self.polygon)
            except (GeoError, TypeError, ValueError) as exc:
                raise ValidationError({"polygon": str(exc)}) from exc


class PositionKind(models.TextChoices):
    STRUCTURAL = "STRUKTURAL", _("Structural (managerial)")
    FUNCTIONAL = "FUNGSIONAL", _("Functional")
    STAFF = "PELAKSANA", _("Staff (pelaksana)")


class Position(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="positions")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=12, choices=PositionKind.choices, default=PositionKind.STAFF
    )
    public_service = models.BooleanField(
        _("direct public service"),
        default=False,
        help_text=_("Service-desk positions stay WFO on their working days."),
    )
    flexible_eligible = models.BooleanField(
        _("eligible for flexible work"),
        default=False,
        help_text=_("The tasks need no direct supervision or special equipment."),
    )

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="position_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class EmploymentType(models.TextChoices):
    PNS = "PNS", _("PNS (civil servant)")
    PPPK = "PPPK", _("PPPK (contract government employee)")


class Employee(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="employees")
    nip = models.CharField(_("NIP"), max_length=18, unique=True)
    employment_type = models.CharField(
        _("employment type"),
        max_length=4,
        choices=EmploymentType.choices,
        default=EmploymentType.PNS,
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="employees"
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("position"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employees",
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("direct supervisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subordinates",
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("assigned office"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employees",
        help_text=_("Leave empty to use the office that serves the employee's unit."),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    home_latitude = models.FloatField(
        _("home latitude"), null=True, blank=True, validators=LATITUDE
    )
    home_longitude = models.FloatField(
        _("home longitude"), null=True, blank=True, validators=LONGITUDE
    )
    home_radius_m = models.PositiveIntegerField(
        _("home radius (m)"), default=150, validators=[MinValueValidator(1)]
    )
    start_date = models.DateField(_("start of service"), null=True, blank=True)
    sanction_until = models.DateField(
        _("serving a discipline sanction until"),
        null=True,
        blank=True,
        help_text=_("While a sanction runs the employee is not eligible for flexible work."),
    )
    active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
    )

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["name"]
        indexes = [models.Index(fields=["agency", "unit"]), models.Index(fields=["supervisor"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("pk")), name="employee_not_own_supervisor"
            ),
            models.CheckConstraint(
                condition=Q(home_latitude__isnull=True, home_longitude__isnull=True)
                | Q(home_latitude__isnull=False, home_longitude__isnull=False),
                name="employee_home_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(home_radius_m__gt=0), name="employee_home_radius_pos"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            rules.parse_nip(self.nip or "")
        except rules.NipError as exc:
            errors["nip"] = nip_error_message(exc)
        if (self.home_latitude is None) != (self.home_longitude is None):
            errors["home_latitude"] = _("Give both home latitude and longitude, or neither.")
        if self.unit_id and self.agency_id and self.unit.agency_id != self.agency_id:
            errors["unit"] = _("The unit belongs to another agency.")
        if self.supervisor_id is not None:
            if self.pk is not None:
                parent_of = dict(
                    Employee.objects.filter(agency_id=self.agency_id).values_list(
                        "id", "supervisor_id"
                    )
                )
                if rules.creates_cycle(parent_of, self.pk, self.supervisor_id):
                    errors["supervisor"] = _(
                        "The supervisor chain would loop back to this employee."
                    )
            if self.supervisor.agency_id != self.agency_id:
                errors["supervisor"] = _("The supervisor belongs to another agency.")
        if errors:
            raise ValidationError(errors)

    @property
    def nip_parts(self) -> rules.NipParts:
        return rules.parse_nip(self.nip)


def nip_error_message(exc: rules.NipError) -> str:
    messages = {
        "nip_format": _("A NIP is exactly 18 digits."),
        "nip_birth_date": _("The NIP's birth date (digits 1-8) is not a valid date."),
        "nip_appointment": _(
            "The NIP's appointment date (digits 9-14) is not a valid month at least "
            "18 years after birth."
        ),
        "nip_gender": _("The NIP's gender digit (digit 15) must be 1 (male) or 2 (female)."),
        "nip_sequence": _("The NIP's sequence number (digits 16-18) cannot be 000."),
    }
    return str(messages.get(exc.code, str(exc)))


class Role(models.TextChoices):
    HR_ADMIN = "hr_admin", _("HR admin (BKPSDM)")
    LEADER = "leader", _("Leader (regent, regional secretary)")
    INSPECTOR = "inspector", _("Inspector (Inspektorat)")


class RoleAssignment(models.Model):
    """Agency-wide roles. Employee, supervisor and unit head are derived from the data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="role_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()}"
