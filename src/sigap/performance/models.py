"""Performance tables: yearly SKP targets, task assignments, daily reports and their
activities, evidence files, and the history of each report."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sigap.org.models import Employee


class SkpTarget(models.Model):
    """A yearly performance target (SKP) that tasks and activities can contribute to."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="skp_targets")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("target"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit of output"), max_length=60)

    class Meta:
        verbose_name = _("SKP target")
        verbose_name_plural = _("SKP targets")
        ordering = ["employee", "year", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="skp_quantity_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class Task(models.Model):
    """Work a supervisor or unit head assigns, with a measurable target."""

    assignee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="tasks")
    assigned_by = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, related_name="assigned_tasks"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target_qty = models.DecimalField(
        _("target quantity"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    target_unit = models.CharField(_("unit of output"), max_length=60)
    due = models.DateField(_("due date"))
    skp_target = models.ForeignKey(
        SkpTarget, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(target_qty__gte=0), name="task_target_nonneg"),
        ]
        indexes = [models.Index(fields=["assignee", "status"])]

    def __str__(self) -> str:
        return self.title


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned")


class DailyReport(models.Model):
    """One employee's report of one work day (laporan kinerja harian)."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="daily_reports")
    date = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    total_minutes = models.PositiveIntegerField(_("total minutes"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"))
    late = models.BooleanField(_("late"), default=False)
    note = models.TextField(_("supervisor's note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        ordering = ["-date", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="one_report_a_day"),
            models.CheckConstraint(
                condition=Q(total_minutes__lte=24 * 60), name="report_at_most_24h"
            ),
        ]
        indexes = [models.Index(fields=["date", "status"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} ({self.status})"


class Evidence(models.Model):
    """An uploaded evidence file (image or PDF, checked by content), served scope-checked."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/", max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return f"{self.employee_id}: {self.file.name}"


class Activity(models.Model):
    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="activities")
    order = models.PositiveSmallIntegerField()
    description = models.TextField(_("description"))
    output_qty = models.DecimalField(
        _("output"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    output_unit = models.CharField(_("unit of output"), max_length=60, blank=True)
    minutes = models.PositiveIntegerField(_("minutes"))
    evidence_url = models.URLField(_("evidence link"), max_length=2000, blank=True)
    evidence = models.ForeignKey(Evidence, on_delete=models.SET_NULL, null=True, blank=True)
    task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "order"], name="activity_order_unique"),
            models.CheckConstraint(
                condition=Q(minutes__gt=0, minutes__lte=24 * 60), name="activity_minutes_range"
            ),
            models.CheckConstraint(condition=Q(output_qty__gte=0), name="activity_output_nonneg"),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class ReportEvent(models.Model):
    """The history of a report: each submission (with a snapshot), approval and return."""

    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12)  # submitted, resubmitted, approved, returned
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True)
    snapshot = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"
