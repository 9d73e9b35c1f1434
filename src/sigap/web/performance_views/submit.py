"""Saving the report form: the rows' new photos are uploaded (evidence_upload), then the
report is submitted (daily_report_submit), in one transaction: a refused report leaves
no evidence rows behind, and the files stored for it are deleted again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from sigap.core.exceptions import DomainError
from sigap.core.models import User
from sigap.org.models import Employee
from sigap.performance.models import DailyReport, Evidence
from sigap.performance.services import daily_report_submit, evidence_upload
from sigap.performance.services.reports import EVIDENCE_PATH
from sigap.web.performance_views.forms import ActivityForm


class RowProblem(Exception):
    """A row's evidence file was refused (not a real image/PDF, too large)."""

    def __init__(self, form: ActivityForm, error: DomainError) -> None:
        super().__init__(str(error.message))
        self.form = form
        self.error = error


def submit_report(
    *, employee: Employee, date: dt.date, forms: list[ActivityForm], user: User
) -> DailyReport:
    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            activities = [_activity(employee, form, stored) for form in forms]
            return daily_report_submit(
                employee=employee, date=date, activities=activities, user=user
            )
    except (DomainError, RowProblem):
        for evidence in stored:
            evidence.file.delete(save=False)
        raise


def _activity(employee: Employee, form: ActivityForm, stored: list[Evidence]) -> dict[str, Any]:
    upload = form.cleaned_data.get("evidence_file")
    if upload is None:
        return form.activity(form.evidence_link())
    try:
        evidence = evidence_upload(employee=employee, upload=upload)
    except DomainError as exc:
        raise RowProblem(form, exc) from exc
    stored.append(evidence)
    return form.activity(f"{EVIDENCE_PATH}{evidence.pk}/")
