"""What discipline holds of a person for their own-data export (sigap.privacy; imported by
DisciplineConfig.ready): the monthly TPP statements (every deduction line) and the
duty-to-examine alerts about them. Payroll records: no retention rule here."""

from __future__ import annotations

from sigap.discipline.models import DisciplineAlert, TppStatement
from sigap.org.models import Employee
from sigap.privacy.registry import SubjectSection, register_subject_section

STATEMENT_FIELDS = (
    "year", "month", "lines", "counts", "lines_pct", "deduction_pct", "discipline_pct",
    "performance_part_pct", "performance_pct", "final_pct", "tk_days", "late_early_minutes",
    "computed_at", "frozen_at", "table",
)  # fmt: skip
ALERT_FIELDS = (
    "year", "threshold", "consecutive", "level", "sanction", "unexcused_days", "reached_on",
    "raised_at", "acknowledged_at", "note", "escalated_at",
)  # fmt: skip


def tpp_statements_section(employee: Employee) -> SubjectSection:
    found = TppStatement.objects.filter(employee=employee).order_by("year", "month")
    return SubjectSection([dict(row) for row in found.values(*STATEMENT_FIELDS)])


def discipline_alerts_section(employee: Employee) -> SubjectSection:
    found = DisciplineAlert.objects.filter(employee=employee).order_by("raised_at", "pk")
    return SubjectSection([dict(row) for row in found.values(*ALERT_FIELDS)])


register_subject_section("tpp_statements", tpp_statements_section)
register_subject_section("discipline_alerts", discipline_alerts_section)
