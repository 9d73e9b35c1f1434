"""Roll-call tables: recurring series, sessions, each OPD's report (with its logged
corrections) and each employee's attendance at a session."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sigap.org.models import Agency, Employee, Office, Unit
from sigap.rollcall.rules import empty_reasons


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("every week")
    MONTHLY = "monthly", _("every month")
    YEARLY = "yearly", _("every year")


class SessionKind(models.TextChoices):
    PHYSICAL = "physical", _("physical")
    VIRTUAL = "virtual", _("virtual")


class PlaceKind(models.TextChoices):
    OWN_OFFICES = "own_offices", _("each OPD at its own office")
    OFFICE = "office", _("one office")
    POINT = "point", _("a point and radius")
    ONLINE = "online", _("online (meeting link)")


class SessionFields(models.Model):
    """What a session and the series that creates it share."""

    title = models.CharField(_("title"), max_length=200)
    start_time = models.TimeField(_("start"))
    cutoff_time = models.TimeField(_("cut-off"))
    kind = models.CharField(
        _("kind"), max_length=8, choices=SessionKind.choices, default=SessionKind.PHYSICAL
    )
    place_kind = models.CharField(
        _("place"), max_length=12, choices=PlaceKind.choices, default=PlaceKind.OWN_OFFICES
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("radius (m)"), null=True, blank=True)
    meeting_link = models.URLField(_("meeting link"), max_length=500, blank=True)

    class Meta:
        abstract = True


class RollcallSeries(SessionFields):
    """A recurrence of the agency: Mondays 07:30 by default; the 17th and 29 November
    (HUT KORPRI) where the agency keeps them (switch `active`)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices)
    weekday = models.PositiveSmallIntegerField(_("weekday (0 = Monday)"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day of month"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    on_holidays = models.BooleanField(_("also on holidays and weekends"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("roll-call series")
        verbose_name_plural = _("roll-call series")
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency="weekly", weekday__lte=6)
                | Q(frequency="monthly", day__gte=1, day__lte=31)
                | Q(frequency="yearly", day__gte=1, day__lte=31, month__gte=1, month__lte=12),
                name="rollcall_series_recurrence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.frequency})"


class Rollcall(SessionFields):
    """One session on one date (ad hoc, or created from a series)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    series = models.ForeignKey(
        RollcallSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    date = models.DateField(_("date"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    prefilled_at = models.DateTimeField(_("pre-filled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("roll call")
        verbose_name_plural = _("roll calls")
        ordering = ["-date", "-start_time"]
        constraints = [
            models.UniqueConstraint(fields=["series", "date"], name="rollcall_once_per_series_day"),
            models.CheckConstraint(
                condition=Q(cutoff_time__gt=models.F("start_time")), name="rollcall_cutoff_after"
            ),
            models.CheckConstraint(
                condition=~Q(kind="virtual") | ~Q(meeting_link=""), name="rollcall_virtual_link"
            ),
        ]
        indexes = [models.Index(fields=["agency", "date"])]

    def __str__(self) -> str:
        return f"{self.title} {self.date}"

    @property
    def virtual(self) -> bool:
        return self.kind == SessionKind.VIRTUAL


class UnitReport(models.Model):
    """One OPD's numbers for one session: pre-filled, then confirmed by the unit head."""

    rollcall = models.ForeignKey(Rollcall, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    expected = models.PositiveIntegerField(_("expected"), default=0)
    present = models.PositiveIntegerField(_("present"), default=0)
    absent_by_reason = models.JSONField(_("absent by reason"), default=empty_reasons)
    prefilled_at = models.DateTimeField(_("pre-filled at"))
    confirmed_by = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    corrected = models.BooleanField(_("corrected"), default=False)
    rule_version = models.CharField(max_length=16)

    class Meta:
        verbose_name = _("OPD roll-call report")
        verbose_name_plural = _("OPD roll-call reports")
        constraints = [
            models.UniqueConstraint(fields=["rollcall", "unit"], name="one_report_per_unit"),
            models.CheckConstraint(
                condition=Q(present__lte=models.F("expected")), name="report_present_le_expected"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rollcall_id} {self.unit_id}: {self.present}/{self.expected}"


class UnitReportCorrection(models.Model):
    """A logged correction: who changed which numbers, when and why."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="corrections")
    by = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(_("reason"))
    old = models.JSONField()
    new = models.JSONField()

    class Meta:
        verbose_name = _("report correction")
        verbose_name_plural = _("report corrections")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.at:%Y-%m-%d %H:%M}"


class ParticipationSource(models.TextChoices):
    CHECK_IN = "check_in", _("check-in at the place during the session")
    MARKED = "marked", _("marked by the unit head")
    MISSED = "missed", _("no attendance at the cut-off")


class Participation(models.Model):
    """An employee's attendance at a session. `present=False` rows are missed roll calls
    (a discipline event: see selectors.missed_rollcalls)."""

    rollcall = models.ForeignKey(Rollcall, on_delete=models.CASCADE, related_name="participations")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("present"))
    source = models.CharField(max_length=10, choices=ParticipationSource.choices)
    at = models.DateTimeField()
    marked_by = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    check_in = models.ForeignKey(
        "attendance.CheckIn", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("roll-call attendance")
        verbose_name_plural = _("roll-call attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["rollcall", "employee"], name="one_participation_per_employee"
            ),
        ]
        indexes = [models.Index(fields=["employee", "present"])]

    def __str__(self) -> str:
        return f"{self.rollcall_id} {self.employee_id} {self.present}"


def session_bounds(rollcall: Rollcall) -> tuple[dt.datetime, dt.datetime]:
    """The session's start and cut-off as aware datetimes in its time zone."""
    zone = ZoneInfo(rollcall.time_zone)
    start = dt.datetime.combine(rollcall.date, rollcall.start_time, tzinfo=zone)
    return start, dt.datetime.combine(rollcall.date, rollcall.cutoff_time, tzinfo=zone)
