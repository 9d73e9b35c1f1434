"""Demo health watch: the demo agency requires the daily declaration before check-in and
marks the DPMPTSP service desk (Bidang Pelayanan Perizinan) as front-line with tests every
14 days. Dinas Kominfo's staff declared on the past week's working days (all well); one
colleague of `pegawai` declares a fever today (a flag: kepala.kominfo finds a WFH
suggestion); at the service desk everyone had a negative antigen test five days ago,
except one positive yesterday (a pending WFH suggestion) and one whose last test is three
weeks old (overdue). `pegawai` has not declared today, so the phone page asks first.
Idempotent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from sigap.core import clock
from sigap.core.models import User
from sigap.health import rules, services
from sigap.health.models import Declaration, HealthTest, TestKind, TestResult
from sigap.org import rules as org_rules
from sigap.org.models import Agency, Employee, Unit
from sigap.org.selectors import unit_children_map
from sigap.worktime import rules as worktime_rules
from sigap.worktime.selectors import calendar_for

FRONT_LINE = "DPMPTSP.B1"
DEMO_SETTINGS = {
    "declaration": "required",
    "temperature_threshold_c": 37.5,
    "test_interval_days": 14,
    "front_line_units": [FRONT_LINE],
    "wfh_days": 3,
    "reminder_lead_days": 2,
}
LEFT_ALONE = ("pegawai", "pegawai.layanan")


@dataclass
class HealthDemo:
    declarations: int = 0
    tests: int = 0


def seed_health_demo(*, agency: Agency, today: dt.date) -> HealthDemo:
    if "health" not in (agency.settings or {}):
        agency.settings = {**(agency.settings or {}), "health": DEMO_SETTINGS}
        agency.save(update_fields=["settings"])
    result = HealthDemo()
    with transaction.atomic():
        if not Declaration.objects.filter(employee__agency=agency).exists():
            result.declarations = _declarations(agency, today)
        if not HealthTest.objects.filter(employee__agency=agency).exists():
            result.tests = _tests(agency, today)
    return result


def _staff(agency: Agency, code: str) -> list[Employee]:
    root = Unit.objects.filter(agency=agency, code=code).first()
    if root is None:
        return []
    units = org_rules.subtree(unit_children_map(agency.pk), root.pk)
    return list(
        Employee.objects.filter(agency=agency, unit_id__in=units, active=True)
        .select_related("user", "unit", "agency")
        .order_by("nip")
    )


def _declarations(agency: Agency, today: dt.date) -> int:
    staff = _staff(agency, "DISKOMINFO")
    calendar = calendar_for(agency=agency, day=today, zone=agency.time_zone)
    days = worktime_rules.working_days(
        today - dt.timedelta(days=7), today - dt.timedelta(1), calendar
    )
    now = clock.now()
    rows = [
        Declaration(
            employee=e,
            date=day,
            symptoms=[],
            temperature_c=Decimal("36.4") + Decimal(n % 5) / 10,
            flagged=False,
            threshold_c=Decimal("37.5"),
            rule_version=rules.RULE_VERSION,
            created_at=now,
            updated_at=now,
        )
        for day in days
        for n, e in enumerate(staff)
    ]
    Declaration.objects.bulk_create(rows)
    sick = next(
        (e for e in staff if _username(e) not in LEFT_ALONE and e.unit.head_id != e.pk), None
    )
    if sick is not None:
        services.declaration_submit(
            employee=sick, day=today, symptoms=["fever", "cough"], temperature_c=38.2
        )
    return len(rows) + (sick is not None)


def _tests(agency: Agency, today: dt.date) -> int:
    staff = _staff(agency, FRONT_LINE)
    hr = User.objects.filter(
        role_assignments__agency=agency, role_assignments__role="hr_admin"
    ).first()
    others = [e for e in staff if _username(e) not in LEFT_ALONE]
    if hr is None or len(others) < 2:
        return 0
    positive, overdue = others[0], others[1]
    for e in staff:
        taken = today - dt.timedelta(days=21 if e is overdue else 5)
        services.health_test_record(
            user=hr, employee=e, kind=TestKind.ANTIGEN, taken_on=taken, result=TestResult.NEGATIVE
        )
    services.health_test_record(
        user=hr,
        employee=positive,
        kind=TestKind.ANTIGEN,
        taken_on=today - dt.timedelta(days=1),
        result=TestResult.POSITIVE,
    )
    return len(staff) + 1


def _username(employee: Employee) -> str:
    return employee.user.username if employee.user is not None else ""
