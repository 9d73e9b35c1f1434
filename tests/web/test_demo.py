"""The demo agency: realistic, valid, idempotent, with the fixed accounts."""

import pytest
from django.core.management import call_command

from sigap.core.models import User
from sigap.org.demo import DEMO_ACCOUNTS, seed_org
from sigap.org.demo_data import DEMO_PASSWORD
from sigap.org.models import Agency, Employee, Office, Unit
from sigap.org.rules import parse_nip
from sigap.org.selectors import scope_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return seed_org(employees=600)


def test_demo_structure(demo):
    agency = demo.agency
    assert agency.time_zone == "Asia/Makassar"
    assert Unit.objects.filter(agency=agency, parent=None).count() >= 25
    assert Employee.objects.filter(agency=agency).count() == 600
    assert Unit.objects.filter(code="RSUD", shift_based=True).exists()
    assert Office.objects.filter(agency=agency).count() >= 25
    for employee in Employee.objects.filter(agency=agency):
        parse_nip(employee.nip)
    assert not Unit.objects.filter(agency=agency, head__isnull=True).exists()
    assert Employee.objects.filter(supervisor__isnull=True).count() == 1  # the Sekda


def test_offices_are_a_few_hundred_metres_apart(demo):
    from itertools import combinations

    from sigap.core.geo import Point, distance_m

    points = [Point(o.latitude, o.longitude) for o in Office.objects.all()]
    nearest = min(distance_m(a, b) for a, b in combinations(points, 2))
    assert nearest > 250


def test_demo_accounts_sign_in_with_their_roles(demo, client):
    for username in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD), username
    roles = {name: scope_for(User.objects.get(username=name)).roles for name in DEMO_ACCOUNTS}
    assert "hr_admin" in roles["admin"]
    assert "leader" in roles["bupati"]
    assert "inspector" in roles["inspektur"]
    assert "unit_head" in roles["kepala.kominfo"]
    assert "supervisor" in roles["atasan.kominfo"]
    pegawai = Employee.objects.get(user__username="pegawai")
    assert pegawai.supervisor.user.username == "atasan.kominfo"
    assert not pegawai.position.public_service
    layanan = Employee.objects.get(user__username="pegawai.layanan")
    assert layanan.position.public_service
    assert layanan.unit.parent.code == "DPMPTSP"


def test_seed_is_idempotent(demo):
    again = seed_org(employees=600)
    assert not again.created
    assert Agency.objects.count() == 1
    assert Employee.objects.count() == 600


def test_seed_command_prints_logins(db, capsys):
    call_command("seed_demo", "--employees", "500", "--no-progress")
    out = capsys.readouterr().out
    assert "pegawai.layanan" in out
    assert DEMO_PASSWORD in out


def test_seed_command_plans_work_and_files_requests(db, capsys, freeze):
    from sigap.arrangements.models import EmergencyPolicy, FlexibleWorkApplication, RosterEntry
    from sigap.attendance.models import AttendanceRequest

    freeze(2026, 11, 24, 7, 20)  # a Tuesday
    call_command("seed_demo", "--employees", "500", "--no-progress", "--history-days", "0")
    assert EmergencyPolicy.objects.count() == 1
    assert FlexibleWorkApplication.objects.filter(status="approved").exists()
    assert RosterEntry.objects.filter(reason="policy", mode="WFH").exists()
    pegawai = Employee.objects.get(user__username="pegawai")
    assert not RosterEntry.objects.filter(employee=pegawai, date="2026-11-24").exists()  # WFO
    assert AttendanceRequest.objects.filter(employee=pegawai, status="submitted").count() == 1
    assert AttendanceRequest.objects.filter(status="approved").count() == 2
    capsys.readouterr()
    call_command("seed_demo", "--employees", "500", "--no-progress", "--history-days", "0")
    assert AttendanceRequest.objects.count() == 4  # idempotent
