"""Discipline: the agency's TPP deduction tables (versioned), the monthly TPP statements,
and the PP 94/2021 duty-to-examine alerts."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sigap.org.models import Agency, Employee

PCT = {"max_digits": 6, "decimal_places": 2}


class TppTableVersion(models.Model):
    """One version of an agency's TPP deduction table, in force for whole months from
    `effective_from` (a first of a month) until `effective_until` (a last of a month, or
    open). A month without any version uses the shipped defaults (DOMAIN.md section 6)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="tpp_tables")
    name = models.CharField(_("name (e.g. the regent's regulation)"), max_length=200)
    effective_from = models.DateField(_("in force from (first day of a month)"))
    effective_until = models.DateField(
        _("in force until (last day of a month)"), null=True, blank=True
    )
    absent_rate = models.DecimalField(_("TK deduction per day (%)"), **PCT)
    missed_rollcall_rate = models.DecimalField(_("missed roll call deduction (%)"), **PCT)
    discipline_share = models.DecimalField(_("discipline part of TPP (%)"), **PCT)
    cap = models.DecimalField(_("cap on deductions (% of the discipline part)"), **PCT)
    convert_minutes = models.BooleanField(
        _("7.5-hour rule: every 7 h 30 min late/early counts as one unexcused day"), default=True
    )
    missing_punch_minutes = models.PositiveSmallIntegerField(
        _("minutes counted for a missing check-in or check-out"), default=91
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("TPP deduction table")
        verbose_name_plural = _("TPP deduction tables")
        ordering = ["agency", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "effective_from"], name="tpp_table_one_version_a_start"
            ),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=models.F("effective_from")),
                name="tpp_table_until_after_from",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{f}__gte": 0, f"{f}__lte": 100}), name=f"tpp_table_{f}_pct"
                )
                for f in ("absent_rate", "missed_rollcall_rate", "discipline_share", "cap")
            ),
        ]

    def __str__(self) -> str:
        until = self.effective_until.isoformat() if self.effective_until else "…"
        return f"{self.name} ({self.effective_from.isoformat()} – {until})"


class BandKind(models.TextChoices):
    LATE = "late", _("late arrival (TL)")
    EARLY = "early", _("early departure (PSW)")


class TppBand(models.Model):
    """Minutes `low`..`high` (inclusive; no `high` = and more) of lateness or early
    departure, and the deduction per occurrence."""

    table = models.ForeignKey(TppTableVersion, on_delete=models.CASCADE, related_name="bands")
    kind = models.CharField(_("kind"), max_length=5, choices=BandKind.choices)
    code = models.CharField(_("code"), max_length=8)
    low = models.PositiveSmallIntegerField(_("from minute"))
    high = models.PositiveSmallIntegerField(_("to minute (empty: and more)"), null=True, blank=True)
    rate = models.DecimalField(_("deduction (%)"), **PCT)

    class Meta:
        verbose_name = _("TPP band")
        verbose_name_plural = _("TPP bands")
        ordering = ["table", "kind", "low"]
        constraints = [
            models.UniqueConstraint(fields=["table", "kind", "code"], name="tpp_band_code_once"),
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=100), name="tpp_band_pct"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.low}-{self.high or ''}: {self.rate} %"


class TppLeaveRate(models.Model):
    """Optional: a per-day deduction for a leave or absence code (e.g. long sick leave)."""

    table = models.ForeignKey(TppTableVersion, on_delete=models.CASCADE, related_name="leave_rates")
    code = models.CharField(_("day code"), max_length=6)
    rate = models.DecimalField(_("deduction per day (%)"), **PCT)

    class Meta:
        verbose_name = _("leave deduction")
        verbose_name_plural = _("leave deductions")
        constraints = [
            models.UniqueConstraint(fields=["table", "code"], name="tpp_leave_code_once"),
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=100), name="tpp_leave_pct"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.rate} %"


class TppStatement(models.Model):
    """An employee's month: every deduction line, the two parts and the final TPP %.
    Recomputed while the month is open; frozen (with the table used) once it is locked."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="tpp_statements")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    table_version = models.ForeignKey(
        TppTableVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    table = models.JSONField(_("table used"), default=dict)
    lines = models.JSONField(default=list)
    counts = models.JSONField(default=dict)
    lines_pct = models.DecimalField(**PCT)
    deduction_pct = models.DecimalField(_("deduction (% of the discipline part)"), **PCT)
    discipline_pct = models.DecimalField(_("discipline part earned (% of TPP)"), **PCT)
    performance_part_pct = models.DecimalField(_("performance achieved (%)"), **PCT)
    performance_pct = models.DecimalField(_("performance part earned (% of TPP)"), **PCT)
    final_pct = models.DecimalField(_("TPP received (%)"), **PCT)
    tk_days = models.PositiveSmallIntegerField(default=0)
    late_early_minutes = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()
    frozen_at = models.DateTimeField(null=True, blank=True)
    rule_version = models.CharField(max_length=16)

    class Meta:
        verbose_name = _("TPP statement")
        verbose_name_plural = _("TPP statements")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "year", "month"], name="tpp_statement_once_a_month"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="tpp_statement_month_valid"
            ),
            models.CheckConstraint(
                condition=Q(final_pct__gte=0, final_pct__lte=100), name="tpp_statement_final_pct"
            ),
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.year}-{self.month:02d}: {self.final_pct} %"


class DisciplineAlert(models.Model):
    """A duty-to-examine alert (PP 94/2021): the employee's yearly unexcused days crossed
    a threshold, or reached 10 consecutive working days. SIGAP recommends; the direct
    supervisor examines and acknowledges; unacknowledged alerts escalate."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    threshold = models.PositiveSmallIntegerField()
    consecutive = models.BooleanField(default=False)
    level = models.CharField(max_length=10)
    sanction = models.CharField(max_length=40)
    unexcused_days = models.PositiveSmallIntegerField()
    reached_on = models.DateField()
    supervisor = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    raised_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("duty-to-examine alert")
        verbose_name_plural = _("duty-to-examine alerts")
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "year", "threshold", "consecutive"], name="alert_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["raised_at"],
                condition=Q(acknowledged_at__isnull=True),
                name="alert_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.year} {self.sanction} ({self.threshold})"
