"""Health data (specific personal data, UU 27/2022): daily declarations, periodic test
results with their documents, the WFH suggestions they raise, and the test reminders sent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sigap.org.models import Employee


class Symptom(models.TextChoices):
    """The checklist; the codes are part of the API (rules.SYMPTOMS lists them in order)."""

    FEVER = "fever", _("Fever")
    COUGH = "cough", _("Cough")
    SORE_THROAT = "sore_throat", _("Sore throat")
    SHORTNESS_OF_BREATH = "shortness_of_breath", _("Shortness of breath")
    LOSS_OF_SMELL_TASTE = "loss_of_smell_taste", _("Loss of smell or taste")
    OTHER = "other", _("Other symptoms")


class Declaration(models.Model):
    """One employee's self-declaration for one date (replaced, never duplicated)."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="health_declarations"
    )
    date = models.DateField(_("date"))
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    temperature_c = models.DecimalField(
        _("temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    flagged = models.BooleanField(_("flagged"), default=False)
    threshold_c = models.DecimalField(_("threshold in force (°C)"), max_digits=3, decimal_places=1)
    rule_version = models.CharField(max_length=20)
    created_at = models.DateTimeField(_("declared at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("health declaration")
        verbose_name_plural = _("health declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "date"], name="health_one_declaration_a_day"
            ),
            models.CheckConstraint(
                condition=Q(temperature_c__isnull=True)
                | Q(temperature_c__gte=34, temperature_c__lte=43),
                name="health_temperature_plausible",
            ),
        ]
        indexes = [models.Index(fields=["date", "flagged"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date}"

    def symptom_labels(self) -> list[str]:
        return [str(Symptom(code).label) for code in self.symptoms if code in Symptom.values]


class TestKind(models.TextChoices):
    ANTIGEN = "antigen", _("Antigen")
    PCR = "pcr", _("PCR")


class TestResult(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")
    INVALID = "invalid", _("Invalid")


class HealthTest(models.Model):
    """A periodic test of a front-line employee, with its document (PDF/JPEG/PNG, stored
    privately under a random name, served only through a scope-checked view)."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="health_tests")
    kind = models.CharField(_("test"), max_length=8, choices=TestKind.choices)
    taken_on = models.DateField(_("taken on"))
    result = models.CharField(_("result"), max_length=8, choices=TestResult.choices)
    document = models.FileField(_("document"), max_length=200, blank=True)
    document_type = models.CharField(max_length=40, blank=True)
    document_size = models.PositiveIntegerField(default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"))

    class Meta:
        verbose_name = _("health test")
        verbose_name_plural = _("health tests")
        indexes = [models.Index(fields=["employee", "taken_on"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.taken_on}"


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the unit head")
    ACCEPTED = "accepted", _("Accepted: WFH planned")
    DISMISSED = "dismissed", _("Dismissed")


class WfhSuggestion(models.Model):
    """WFH on the next working days, raised by a flagged declaration or a positive test;
    the unit head accepts it (roster changes) or dismisses it. Goes with its cause."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    declaration = models.OneToOneField(
        Declaration, on_delete=models.CASCADE, null=True, blank=True, related_name="suggestion"
    )
    test = models.OneToOneField(
        HealthTest, on_delete=models.CASCADE, null=True, blank=True, related_name="suggestion"
    )
    days = models.JSONField(_("days"), default=list)  # ISO dates
    applied_days = models.JSONField(_("days planned WFH"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SuggestionStatus.choices, default="pending"
    )
    created_at = models.DateTimeField(_("created at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("WFH suggestion")
        verbose_name_plural = _("WFH suggestions")
        constraints = [
            models.CheckConstraint(
                condition=Q(declaration__isnull=False, test__isnull=True)
                | Q(declaration__isnull=True, test__isnull=False),
                name="health_suggestion_one_cause",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.status}"

    @property
    def suggested_days(self) -> list[dt.date]:
        return [dt.date.fromisoformat(d) for d in self.days]


class ScreeningReminder(models.Model):
    """A test reminder sent: `key` is the kind and the due date ("due_soon:2026-11-20",
    "overdue:never"), each sent once, so the daily job can run again safely."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=24)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employee", "key"], name="health_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.key}"
