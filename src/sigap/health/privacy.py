"""What the health watch registers with sigap.privacy (called from HealthConfig.ready):

- retention rule "health": declarations, test results (with their document files) and
  sent test reminders dated on or before today - health_days; the WFH suggestions they
  raised go with them. A dry run counts; a real run deletes those rows and files only;
- subject export section "health": the person's declarations and tests as plain rows
  (one shape for both, so they make one CSV) and their test documents as files;
- breach category "health": everyone with a declaration or a test held in the window."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sigap.health.documents import document_delete
from sigap.health.models import Declaration, HealthTest, ScreeningReminder
from sigap.org.models import Agency, Employee
from sigap.privacy.registry import (
    BreachCategory,
    PurgeCount,
    RetentionRule,
    SubjectSection,
    register_breach_category,
    register_retention,
    register_subject_section,
)
from sigap.privacy.rules import RetentionSettings, last_expired_start


def purge_health(
    agency: Agency, today: dt.date, settings: RetentionSettings, dry_run: bool
) -> PurgeCount:
    cutoff = last_expired_start(settings.health_days, today)
    declarations = Declaration.objects.filter(employee__agency=agency, date__lte=cutoff)
    tests = HealthTest.objects.filter(employee__agency=agency, taken_on__lte=cutoff)
    reminders = ScreeningReminder.objects.filter(employee__agency=agency, sent_on__lte=cutoff)
    files = list(tests.exclude(document="").values_list("document", flat=True))
    rows = declarations.count() + tests.count() + reminders.count()
    if dry_run:
        return PurgeCount(rows=rows, files=sum(1 for f in files if default_storage.exists(f)))
    with transaction.atomic():
        # the WFH suggestions these rows raised go with them (CASCADE)
        for queryset in (declarations, tests, reminders):
            queryset.delete()
    return PurgeCount(rows=rows, files=sum(1 for name in files if document_delete(name)))


def export_health(employee: Employee) -> SubjectSection:
    rows: list[dict[str, Any]] = []
    for d in Declaration.objects.filter(employee=employee).order_by("date"):
        rows.append(
            _row(
                record="declaration",
                date=d.date.isoformat(),
                symptoms=" ".join(d.symptoms),
                temperature_c=str(d.temperature_c) if d.temperature_c is not None else "",
                notes=d.notes,
                flagged=d.flagged,
            )
        )
    files = {}
    for t in HealthTest.objects.filter(employee=employee).order_by("taken_on", "pk"):
        name = ""
        stored = str(t.document.name or "")
        if stored:
            name = f"health/test-{t.pk}.{stored.rsplit('.', 1)[-1]}"
            files[name] = _opener(stored)
        rows.append(
            _row(
                record="test",
                date=t.taken_on.isoformat(),
                test_kind=t.kind,
                result=t.result,
                document=name,
            )
        )
    return SubjectSection(rows=rows, files=files)


_COLUMNS = (
    "record",
    "date",
    "symptoms",
    "temperature_c",
    "notes",
    "flagged",
    "test_kind",
    "result",
    "document",
)


def _row(**values: Any) -> dict[str, Any]:
    return {column: values.get(column, "") for column in _COLUMNS}


def _opener(name: str):
    return lambda: default_storage.open(name, "rb")


def health_affected(agency: Agency, start: dt.datetime, end: dt.datetime) -> set[int]:
    """Everyone with a declaration or a test stored at some time in [start, end] (rows
    still held; what the purge deleted before `start` was not held in the window)."""
    held = Q(health_declarations__created_at__lte=end) | Q(health_tests__entered_at__lte=end)
    return set(Employee.objects.filter(held, agency=agency).values_list("id", flat=True).distinct())


def register_privacy() -> None:
    register_retention(RetentionRule("health", _("health declarations and tests"), purge_health))
    register_subject_section("health", export_health)
    register_breach_category(BreachCategory("health", _("health data"), health_affected))
