"""A small agency for the health tests: an OPD headed by `head` with a section (`staff`,
`colleague` under `supervisor`), a front-line service desk (`desk`, `desk2`) under its own
head, HR, a leader, an inspector, and an employee of another agency."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from PIL import Image

from sigap.org.models import Agency, Employee, Role, Unit, UnitKind
from tests.factories import (
    AgencyFactory,
    EmployeeFactory,
    OfficeFactory,
    PositionFactory,
    RoleFactory,
    UnitFactory,
)

MONDAY = dt.date(2026, 11, 23)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buf, "PNG")
    return buf.getvalue()


@dataclass
class World:
    agency: Agency
    opd: Unit
    section: Unit
    desk_unit: Unit
    head: Employee
    supervisor: Employee
    staff: Employee
    colleague: Employee
    desk_head: Employee
    desk: Employee
    desk2: Employee
    hr: Employee
    leader: Employee
    inspector: Employee
    outsider: Employee

    def settings(self, **health) -> None:
        self.agency.settings = {**(self.agency.settings or {}), "health": health}
        self.agency.save(update_fields=["settings"])


@pytest.fixture(autouse=True)
def _fast_passwords_private_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db, freeze) -> World:
    freeze(2026, 11, 23, 8, 0)  # Monday morning, WITA
    agency = AgencyFactory(settings={"health": {"front_line_units": ["DESK"]}})
    opd = UnitFactory(agency=agency, code="OPD", name="Dinas Uji")
    section = UnitFactory(
        agency=agency, code="OPD.S1", name="Seksi Satu", parent=opd, kind=UnitKind.SEKSI
    )
    desk_unit = UnitFactory(
        agency=agency, code="DESK", name="Loket Layanan", parent=opd, kind=UnitKind.BIDANG
    )
    office = OfficeFactory(agency=agency)
    office.units.add(opd)
    head = EmployeeFactory(agency=agency, unit=opd, name="Kepala Dinas")
    opd.head = head
    opd.save(update_fields=["head"])
    supervisor = EmployeeFactory(agency=agency, unit=section, name="Atasan", supervisor=head)
    staff = EmployeeFactory(agency=agency, unit=section, name="Budi Staf", supervisor=supervisor)
    colleague = EmployeeFactory(
        agency=agency, unit=section, name="Citra Rekan", supervisor=supervisor
    )
    desk_head = EmployeeFactory(agency=agency, unit=desk_unit, name="Kepala Loket", supervisor=head)
    desk_unit.head = desk_head
    desk_unit.save(update_fields=["head"])
    service = PositionFactory(agency=agency, public_service=True)
    desk = EmployeeFactory(
        agency=agency, unit=desk_unit, name="Dewi Loket", position=service, supervisor=desk_head
    )
    desk2 = EmployeeFactory(
        agency=agency, unit=desk_unit, name="Eko Loket", position=service, supervisor=desk_head
    )
    hr_unit = UnitFactory(agency=agency, code="BKPSDM", name="BKPSDM")
    hr = EmployeeFactory(agency=agency, unit=hr_unit, name="Admin SDM")
    RoleFactory(user=hr.user, agency=agency, role=Role.HR_ADMIN)
    leader = EmployeeFactory(agency=agency, unit=hr_unit, name="Bupati")
    RoleFactory(user=leader.user, agency=agency, role=Role.LEADER)
    inspector = EmployeeFactory(agency=agency, unit=hr_unit, name="Inspektur")
    RoleFactory(user=inspector.user, agency=agency, role=Role.INSPECTOR)
    outsider = EmployeeFactory(name="Orang Luar")
    return World(
        agency,
        opd,
        section,
        desk_unit,
        head,
        supervisor,
        staff,
        colleague,
        desk_head,
        desk,
        desk2,
        hr,
        leader,
        inspector,
        outsider,
    )
