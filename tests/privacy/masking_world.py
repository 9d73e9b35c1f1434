"""A small agency for the masking tests: an OPD (Dinas Alfa) headed by `head`, in it a
supervisor `boss`, the subject `staff` (boss's subordinate, with phone, email and home
location) and a `colleague` (same unit, no relation to staff); an HR admin, an inspector
and a leader, each an employee of another OPD with their role; and another agency's HR
admin. `VIEWERS` names them; `FULL_NIP` / `FULL_CONTACT` / `FULL_HOME` say which of them
see the subject's fields in full (sigap.privacy.rules.AUDIENCE)."""

from __future__ import annotations

from dataclasses import dataclass

from sigap.core.models import User
from sigap.org.models import Agency, Employee, Role, Unit
from sigap.worktime.services import holidays_seed
from tests.factories import AgencyFactory, EmployeeFactory, OfficeFactory, RoleFactory, UnitFactory

VIEWERS = ("self", "boss", "head", "hr", "inspector", "leader", "colleague", "stranger")
FULL_NIP = {"self", "boss", "head", "hr", "inspector"}
FULL_CONTACT = {"self", "boss", "head", "hr"}
FULL_HOME = {"self", "hr"}


@dataclass
class World:
    agency: Agency
    unit: Unit
    head: Employee
    boss: Employee
    staff: Employee
    colleague: Employee
    hr: Employee
    inspector: Employee
    leader: Employee
    stranger: Employee  # HR admin of another agency

    def user(self, viewer: str) -> User:
        person = self.staff if viewer == "self" else getattr(self, viewer)
        return person.user


def build_world() -> World:
    agency = AgencyFactory(time_zone="Asia/Makassar")
    holidays_seed(agency=agency, year=2026)
    unit = UnitFactory(agency=agency, code="ALFA", name="Dinas Alfa")
    setda = UnitFactory(agency=agency, code="SETDA", name="Sekretariat Daerah")
    office = OfficeFactory(agency=agency)
    office.units.add(unit, setda)
    head = EmployeeFactory(agency=agency, unit=unit, name="Kepala Alfa")
    unit.head = head
    unit.save(update_fields=["head"])
    boss = EmployeeFactory(agency=agency, unit=unit, supervisor=head, name="Atasan Alfa")
    staff = EmployeeFactory(
        agency=agency,
        unit=unit,
        supervisor=boss,
        name="Staf Alfa",
        phone="0812-3456-7890",
        email="staf.alfa@example.go.id",
        home_latitude=-2.7123,
        home_longitude=118.9123,
    )
    colleague = EmployeeFactory(agency=agency, unit=unit, supervisor=head, name="Rekan Alfa")
    roles = {}
    for role, name in ((Role.HR_ADMIN, "Admin BKPSDM"), (Role.INSPECTOR, "Inspektur")):
        roles[role] = EmployeeFactory(agency=agency, unit=setda, name=name)
        RoleFactory(user=roles[role].user, agency=agency, role=role)
    leader = EmployeeFactory(agency=agency, unit=setda, name="Sekda")
    RoleFactory(user=leader.user, agency=agency, role=Role.LEADER)
    other = AgencyFactory()
    stranger = EmployeeFactory(agency=other, name="Admin Lain")
    RoleFactory(user=stranger.user, agency=other, role=Role.HR_ADMIN)
    return World(
        agency,
        unit,
        head,
        boss,
        staff,
        colleague,
        roles[Role.HR_ADMIN],
        roles[Role.INSPECTOR],
        leader,
        stranger,
    )
