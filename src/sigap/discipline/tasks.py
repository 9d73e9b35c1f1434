"""Background jobs of discipline (thin wrappers around the services)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from sigap.core import clock
from sigap.discipline import ladder
from sigap.discipline.statements import statements_freeze_due, statements_refresh
from sigap.org.models import Agency, Employee


@shared_task(name="discipline.refresh_statement", ignore_result=True)
def refresh_statement(employee_id: int, year: int, month: int) -> int:
    employee = Employee.objects.filter(pk=employee_id).select_related("agency").first()
    if employee is None:
        return 0
    people = Employee.objects.filter(pk=employee_id)
    return statements_refresh(agency=employee.agency, year=year, month=month, people=people)


@shared_task(name="discipline.refresh_agency", ignore_result=True)
def refresh_agency(agency_id: int, year: int, month: int) -> int:
    """Recompute a month's statements of an agency (after its table changed)."""
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        return 0
    return statements_refresh(agency=agency, year=year, month=month)


@shared_task(name="discipline.nightly")
def nightly() -> dict:
    """Every agency: refresh this month's and last month's statements, freeze the locked
    months, raise the ladder's alerts for the year and escalate the overdue ones."""
    figures = {"statements": 0, "frozen": 0, "alerts": 0, "escalated": 0}
    for agency in Agency.objects.all():
        today = clock.today(agency.time_zone)
        last = today.replace(day=1) - dt.timedelta(days=1)
        for day in (last, today):
            figures["statements"] += statements_refresh(
                agency=agency, year=day.year, month=day.month
            )
        figures["frozen"] += statements_freeze_due(agency=agency, today=today)
        figures["alerts"] += len(ladder.ladder_scan(agency=agency, today=today))
        figures["escalated"] += ladder.alerts_escalate(agency=agency, today=today)
    return figures
