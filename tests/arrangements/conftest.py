"""Shared fixtures of the arrangement tests: a unit head who supervises the office worker,
and `plan(...)` to write a roster entry directly."""

from __future__ import annotations

import datetime as dt

import pytest

from sigap.arrangements.models import EntryReason, RosterEntry
from tests.factories import EmployeeFactory


@pytest.fixture
def head(office_worker):
    boss = EmployeeFactory(agency=office_worker.agency, unit=office_worker.unit, name="Kepala")
    unit = office_worker.unit
    unit.head = boss
    unit.save(update_fields=["head"])
    office_worker.supervisor = boss
    office_worker.save(update_fields=["supervisor"])
    return boss


def plan(employee, day, mode, reason=EntryReason.MANUAL, **fields):
    return RosterEntry.objects.create(
        employee=employee,
        date=day,
        mode=mode,
        reason=reason,
        changed_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
        **fields,
    )
