"""Working time: weekly hours (normal and Ramadan), Ramadan periods, holidays, shifts."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sigap.org.models import Agency, Employee

NON_NEGATIVE = [MinValueValidator(0)]


def _minutes(start: dt.time, end: dt.time) -> int:
    """Minutes from `start` to `end`; an end at or before the start is on the next day."""
    span = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return span if span > 0 else span + 24 * 60


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Period(models.TextChoices):
    NORMAL = "NORMAL", _("Normal")
    RAMADAN = "RAMADAN", _("Ramadan")


class ScheduleVersion(models.Model):
    """The weekly working hours of an agency from `effective_from` until the next version."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="schedules"
    )
    effective_from = models.DateField(_("effective from"))
    window_start = models.TimeField(
        _("check-in window opens"),
        default=dt.time(5, 0),
        help_text=_("Office check-ins are accepted from this local time."),
    )
    window_end = models.TimeField(
        _("check-in window closes"),
        default=dt.time(23, 59),
        help_text=_("Office check-ins are accepted until the end of this minute."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("schedule version")
        verbose_name_plural = _("schedule versions")
        ordering = ["agency", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "effective_from"], name="worktime_schedule_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(window_end__gt=F("window_start")),
                name="worktime_schedule_window_order",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Schedule from %(date)s") % {"date": self.effective_from})

    def clean(self) -> None:
        if self.window_start and self.window_end and self.window_end <= self.window_start:
            raise ValidationError(
                {"window_end": _("The check-in window must close after it opens.")}
            )


class WeeklyHours(models.Model):
    """Office hours for one weekday of a schedule version. A missing weekday is a day off."""

    version = models.ForeignKey(
        ScheduleVersion,
        verbose_name=_("schedule version"),
        on_delete=models.CASCADE,
        related_name="weekly_hours",
    )
    period = models.CharField(
        _("period"), max_length=8, choices=Period.choices, default=Period.NORMAL
    )
    weekday = models.SmallIntegerField(
        _("weekday"),
        choices=Weekday.choices,
        validators=[MinValueValidator(0), MaxValueValidator(6)],
    )
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    break_minutes = models.IntegerField(_("break (minutes)"), default=0, validators=NON_NEGATIVE)

    class Meta:
        verbose_name = _("weekly hours")
        verbose_name_plural = _("weekly hours")
        ordering = ["version", "period", "weekday"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "period", "weekday"], name="worktime_weekly_unique_day"
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="worktime_weekly_end"),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="worktime_weekly_weekday"
            ),
            models.CheckConstraint(condition=Q(break_minutes__gte=0), name="worktime_weekly_break"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"

    def clean(self) -> None:
        if self.start is None or self.end is None:
            return
        if self.end <= self.start:
            raise ValidationError({"end": _("Office hours must end after they start.")})
        if self.break_minutes is not None and self.break_minutes >= _minutes(self.start, self.end):
            raise ValidationError(
                {"break_minutes": _("The break must be shorter than the working hours.")}
            )


class RamadanPeriod(models.Model):
    """The dates (inclusive) on which the Ramadan hours apply, set by the admin each year."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="ramadan_periods"
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Ramadan period")
        verbose_name_plural = _("Ramadan periods")
        ordering = ["agency", "-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="worktime_ramadan_order"),
        ]

    def __str__(self) -> str:
        return f"Ramadan {self.start} - {self.end}"

    def clean(self) -> None:
        if self.start is None or self.end is None:
            return
        if self.end < self.start:
            raise ValidationError({"end": _("The last day cannot be before the first day.")})
        overlapping = RamadanPeriod.objects.filter(
            agency_id=self.agency_id, start__lte=self.end, end__gte=self.start
        ).exclude(pk=self.pk)
        if self.agency_id is not None and overlapping.exists():
            raise ValidationError(
                _("This period overlaps another Ramadan period of the agency."), code="overlap"
            )


class HolidayKind(models.TextChoices):
    NATIONAL = "NATIONAL", _("National holiday")
    CUTI_BERSAMA = "CUTI_BERSAMA", _("Collective leave (cuti bersama)")
    LOCAL = "LOCAL", _("Local holiday")


class HolidaySource(models.TextChoices):
    PACKAGE = "PACKAGE", _("National calendar (holidays package)")
    ADMIN = "ADMIN", _("Added by the admin")


class Holiday(models.Model):
    """A day off for the agency's office employees.

    The admin removes a day by deactivating it (re-seeding does not bring it back),
    moves it by changing its date, and adds local days as ADMIN rows.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="holidays"
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=12, choices=HolidayKind.choices, default=HolidayKind.NATIONAL
    )
    source = models.CharField(
        _("source"), max_length=8, choices=HolidaySource.choices, default=HolidaySource.ADMIN
    )
    package_date = models.DateField(
        _("date in the national calendar"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The date the holidays package gave; kept when the admin moves the day."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "date", "name"], name="worktime_holiday_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Shift(models.Model):
    """A shift of the units that work in shifts. An end at or before the start is next day."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="shifts"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    start = models.TimeField(_("start"))
    end = models.TimeField(
        _("end"), help_text=_("At or before the start means the shift ends the next day.")
    )
    break_minutes = models.IntegerField(_("break (minutes)"), default=0, validators=NON_NEGATIVE)
    early_window_minutes = models.IntegerField(
        _("check-in opens (minutes before start)"), default=120, validators=NON_NEGATIVE
    )
    late_window_minutes = models.IntegerField(
        _("check-out closes (minutes after end)"), default=240, validators=NON_NEGATIVE
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["agency", "start", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="worktime_shift_unique_code"),
            models.CheckConstraint(condition=~Q(start=F("end")), name="worktime_shift_not_empty"),
            models.CheckConstraint(
                condition=Q(break_minutes__gte=0)
                & Q(early_window_minutes__gte=0)
                & Q(late_window_minutes__gte=0),
                name="worktime_shift_minutes_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def clean(self) -> None:
        if self.start is None or self.end is None:
            return
        if self.start == self.end:
            raise ValidationError({"end": _("A shift cannot end at the time it starts.")})
        if self.break_minutes is not None and self.break_minutes >= _minutes(self.start, self.end):
            raise ValidationError({"break_minutes": _("The break must be shorter than the shift.")})


class ShiftAssignment(models.Model):
    """Which shift an employee works on a date (the date the shift starts)."""

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="shift_assignments",
    )
    date = models.DateField(_("date"))
    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="assignments"
    )

    class Meta:
        verbose_name = _("shift assignment")
        verbose_name_plural = _("shift assignments")
        ordering = ["date", "employee"]
        indexes = [models.Index(fields=["date"], name="worktime_assignment_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "date"], name="worktime_assignment_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.shift.code}"

    def clean(self) -> None:
        if self.employee_id is None or self.shift_id is None:
            return
        if self.shift.agency_id != self.employee.agency_id:
            raise ValidationError({"shift": _("The shift belongs to another agency.")})
        if not self.employee.unit.shift_based:
            raise ValidationError({"employee": _("The employee's unit does not work in shifts.")})
