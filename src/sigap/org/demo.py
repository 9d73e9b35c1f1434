"""The demo regency: units, offices, positions, employees and the fixed demo accounts.

Deterministic (a fixed random seed), fast (bulk inserts level by level so that
supervisors exist before their subordinates) and idempotent (an existing demo
agency is reused).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_noop

from sigap.core.models import User
from sigap.org import demo_data as data
from sigap.org import rules
from sigap.org.models import (
    Agency,
    Employee,
    EmploymentType,
    Office,
    Position,
    Role,
    RoleAssignment,
    Unit,
    UnitKind,
)
from sigap.org.selectors import org_changed

Progress = Callable[[int], None]
HR_GROUP = "HR Admin (BKPSDM)"
HR_APPS = ("org", "worktime", "attendance", "core")

DEMO_ACCOUNTS = {  # role descriptions are translated where they are printed
    "admin": gettext_noop("HR admin (BKPSDM)"),
    "bupati": gettext_noop("leader (Bupati)"),
    "inspektur": gettext_noop("inspector (Inspektorat)"),
    "kepala.kominfo": gettext_noop("head of Dinas Kominfo"),
    "atasan.kominfo": gettext_noop("supervisor at Dinas Kominfo"),
    "pegawai": gettext_noop("staff under atasan.kominfo (office worker)"),
    "pegawai.layanan": gettext_noop("DPMPTSP service desk"),
}
MIN_EMPLOYEES = 400
STREETS = ["Ahmad Yani", "Soekarno-Hatta", "Pattalundru", "Yos Sudarso", "Diponegoro"]


@dataclass
class SeedResult:
    agency: Agency
    created: bool
    employees: int = 0
    units: int = 0
    offices: int = 0


@dataclass
class _Slot:
    unit: Unit
    position: str
    supervisor_slot: _Slot | None
    is_head: bool
    employee: Employee | None = None


@dataclass
class _Plan:
    levels: list[list[_Slot]] = field(default_factory=lambda: [[], [], [], [], []])
    named: dict[str, _Slot] = field(default_factory=dict)


def demo_agency() -> Agency | None:
    return Agency.objects.filter(code=data.AGENCY_CODE).first()


def seed_org(
    *, employees: int = 2000, progress: Progress | None = None, seed: int = 2026
) -> SeedResult:
    existing = demo_agency()
    if existing is not None:
        return SeedResult(
            agency=existing,
            created=False,
            employees=existing.employees.count(),
            units=existing.units.count(),
            offices=existing.offices.count(),
        )
    if employees < MIN_EMPLOYEES:
        raise ValueError(f"the demo agency needs at least {MIN_EMPLOYEES} employees")
    with transaction.atomic():
        return _Seeder(random.Random(seed), progress).run(employees)


class _Seeder:
    def __init__(self, rng: random.Random, progress: Progress | None) -> None:
        self.rng = rng
        self.progress = progress or (lambda n: None)
        self.nips: set[str] = set()
        self.password_hash = make_password(data.DEMO_PASSWORD)

    def run(self, total: int) -> SeedResult:
        self.agency = Agency.objects.create(
            code=data.AGENCY_CODE, name=data.AGENCY_NAME, time_zone=data.TIME_ZONE
        )
        self.positions = {
            p.name: p
            for p in Position.objects.bulk_create(
                [
                    Position(
                        agency=self.agency, name=n, kind=k, public_service=ps, flexible_eligible=fe
                    )
                    for n, k, ps, fe in data.POSITIONS
                ]
            )
        }
        units = self._units()
        offices = self._offices()
        plan = self._plan(total)
        for level in plan.levels:
            self._create_level(level)
        for slot in (s for level in plan.levels for s in level if s.is_head):
            slot.unit.head = slot.employee
        Unit.objects.bulk_update(units, ["head"])
        self._accounts(plan)
        org_changed(self.agency.pk)
        return SeedResult(
            agency=self.agency, created=True, employees=total, units=len(units), offices=offices
        )

    # --- units and offices ------------------------------------------------
    def _units(self) -> list[Unit]:
        a = self.agency
        opds = Unit.objects.bulk_create(
            [
                Unit(agency=a, code=c, name=n, kind=UnitKind.OPD, shift_based=s)
                for c, n, _w, s, _b, _p in data.OPDS
            ]
        )
        self.opd = {u.code: u for u in opds}
        self.weight = {c: w for c, _n, w, _s, _b, _p in data.OPDS}
        self.public_units: set[str] = set()
        level2: list[Unit] = []
        for code, _name, _w, shift, bidang, public in data.OPDS:
            parent = self.opd[code]
            level2.append(
                Unit(
                    agency=a,
                    code=f"{code}.SEKRE",
                    name=f"Sekretariat {parent.name}"
                    if code not in {"SETDA", "SETWAN", "INSPEKTORAT"}
                    else f"Bagian Umum {parent.name}",
                    kind=UnitKind.BIDANG,
                    parent=parent,
                )
            )
            for i, name in enumerate(bidang, start=1):
                unit_code = f"{code}.B{i}"
                level2.append(
                    Unit(
                        agency=a,
                        code=unit_code,
                        name=name,
                        kind=UnitKind.BIDANG,
                        parent=parent,
                        shift_based=shift,
                    )
                )
                if name in public:
                    self.public_units.add(unit_code)
        hcode, hname, hweight, hsub, hpublic = data.HOSPITAL
        level2.append(
            Unit(
                agency=a,
                code=hcode,
                name=hname,
                kind=UnitKind.UPT,
                parent=self.opd["DINKES"],
                shift_based=True,
            )
        )
        level2 = Unit.objects.bulk_create(level2)
        self.by_code = {u.code: u for u in (*opds, *level2)}
        self.weight[hcode] = hweight
        level3: list[Unit] = []
        for code, *_rest in data.OPDS:
            sekre = self.by_code[f"{code}.SEKRE"]
            for i, name in enumerate(data.GENERIC_SECRETARIAT, start=1):
                level3.append(
                    Unit(
                        agency=a,
                        code=f"{code}.SEKRE.S{i}",
                        name=name,
                        kind=UnitKind.SEKSI,
                        parent=sekre,
                    )
                )
        hospital = self.by_code[hcode]
        for i, name in enumerate(hsub, start=1):
            unit_code = f"{hcode}.I{i}"
            level3.append(
                Unit(
                    agency=a,
                    code=unit_code,
                    name=name,
                    kind=UnitKind.BIDANG,
                    parent=hospital,
                    shift_based=True,
                )
            )
            if name in hpublic:
                self.public_units.add(unit_code)
        level3 = Unit.objects.bulk_create(level3)
        self.by_code.update({u.code: u for u in level3})
        return [*opds, *level2, *level3]

    def _offices(self) -> int:
        lat0, lon0 = data.CENTRE
        made = []
        roots = [*self.opd.values(), self.by_code["RSUD"]]
        for i, unit in enumerate(roots):
            # a spiral of offices about 400 m apart around the centre
            angle = i * 2.4
            dist_m = 380 * math.sqrt(i + 0.5)
            lat = lat0 + (dist_m * math.cos(angle)) / 111_320
            lon = lon0 + (dist_m * math.sin(angle)) / (111_320 * math.cos(math.radians(lat0)))
            office = Office(
                agency=self.agency,
                code=f"K-{unit.code}",
                name=f"Kantor {unit.name}",
                address=f"Jl. {self.rng.choice(STREETS)} No. {10 + i}, Mamuju",
                latitude=round(lat, 6),
                longitude=round(lon, 6),
                radius_m=100 if unit.code != "RSUD" else 150,
                time_zone=data.TIME_ZONE,
            )
            if unit.code == "SETDA":
                d = 0.0009  # the regent's office complex as a polygon (about 200 m x 200 m)
                office.polygon = [
                    [lat - d, lon - d],
                    [lat - d, lon + d],
                    [lat + d, lon + d],
                    [lat + d, lon - d],
                    [lat - d, lon - d],
                ]
            made.append((office, unit))
        Office.objects.bulk_create([o for o, _u in made])
        through = Office.units.through
        through.objects.bulk_create([through(office_id=o.pk, unit_id=u.pk) for o, u in made])
        return len(made)

    # --- people -----------------------------------------------------------
    def _plan(self, total: int) -> _Plan:
        plan = _Plan()
        heads: dict[str, _Slot] = {}

        def head(code: str, position: str, sup: _Slot | None, level: int) -> _Slot:
            slot = _Slot(self.by_code[code], position, sup, True)
            plan.levels[level].append(slot)
            heads[code] = slot
            return slot

        sekda = head("SETDA", "Kepala Dinas/Badan", None, 0)
        for code, *_rest in data.OPDS:
            top = sekda if code == "SETDA" else head(code, "Kepala Dinas/Badan", sekda, 1)
            sekre = head(f"{code}.SEKRE", "Sekretaris", top, 2)
            for i in range(1, len(data.GENERIC_SECRETARIAT) + 1):
                head(f"{code}.SEKRE.S{i}", "Kepala Subbagian/Seksi", sekre, 3)
            for unit_code in [c for c in self.by_code if c.startswith(f"{code}.B")]:
                head(unit_code, "Kepala Bidang/Bagian", top, 2)
        rsud = head("RSUD", "Kepala Bidang/Bagian", heads["DINKES"], 2)
        for unit_code in [c for c in self.by_code if c.startswith("RSUD.I")]:
            head(unit_code, "Kepala Subbagian/Seksi", rsud, 3)

        leaves = [
            c
            for c in heads
            if c.count(".") == 2 or (c.count(".") == 1 and ".B" in c) or c.startswith("RSUD.")
        ]
        staff_total = total - len(heads)

        def opd_of(code: str) -> str:
            return code.split(".")[0]

        weights = [
            self.weight[opd_of(c)] / sum(1 for x in leaves if opd_of(x) == opd_of(c))
            for c in leaves
        ]
        counts = {c: 1 for c in leaves}
        for c in self.rng.choices(leaves, weights=weights, k=staff_total - len(leaves)):
            counts[c] += 1
        for code in leaves:
            for n in range(counts[code]):
                slot = _Slot(self.by_code[code], self._staff_position(code, n), heads[code], False)
                plan.levels[4].append(slot)
                if n == 0:
                    plan.named.setdefault(f"staff:{code}", slot)
        plan.named.update(
            {
                "kepala.kominfo": heads["DISKOMINFO"],
                "atasan.kominfo": heads["DISKOMINFO.B1"],
                "pegawai": plan.named["staff:DISKOMINFO.B1"],
                "pegawai.layanan": plan.named["staff:DPMPTSP.B1"],
                "inspektur": heads["INSPEKTORAT"],
                "admin": plan.named["staff:BKPSDM.B3"],
            }
        )
        plan.named["pegawai"].position = "Pranata Komputer"
        plan.named["admin"].position = "Analis Sumber Daya Manusia Aparatur"
        return plan

    def _staff_position(self, unit_code: str, n: int) -> str:
        opd = unit_code.split(".")[0]
        if unit_code in self.public_units:
            return self.rng.choice(
                data.SERVICE_POSITION_BY_OPD.get(opd, ["Petugas Pelayanan Publik"])
            )
        return self.rng.choice(data.STAFF_POSITIONS)

    def _person(self) -> tuple[str, str, dt.date, tuple[int, int], str]:
        gender = self.rng.choice("MF")
        first = self.rng.choice(data.MALE_NAMES if gender == "M" else data.FEMALE_NAMES)
        name = f"{first} {self.rng.choice(data.FAMILY_NAMES)}"
        while True:
            birth = dt.date(1966, 1, 1) + dt.timedelta(days=self.rng.randrange(0, 12_400))
            earliest = birth.year + 20
            year = self.rng.randint(min(earliest, 2025), 2025)
            appointment = (year, self.rng.randint(1, 12))
            kind = (
                EmploymentType.PPPK
                if year >= 2022 and self.rng.random() < 0.5
                else EmploymentType.PNS
            )
            nip = rules.make_nip(birth, appointment, gender, self.rng.randint(1, 999))
            if nip not in self.nips:
                self.nips.add(nip)
                return nip, name, birth, appointment, kind

    def _home(self) -> tuple[float, float]:
        lat0, lon0 = data.CENTRE
        bearing = math.radians(self.rng.uniform(60, 240))
        dist = self.rng.uniform(800, 7000)
        lat = lat0 + dist * math.cos(bearing) / 111_320
        lon = lon0 + dist * math.sin(bearing) / (111_320 * math.cos(math.radians(lat0)))
        return round(lat, 6), round(lon, 6)

    def _create_level(self, slots: list[_Slot]) -> None:
        people = [self._person() for _ in slots]
        users = User.objects.bulk_create(
            [
                User(username=nip, password=self.password_hash, first_name=name[:150])
                for nip, name, *_r in people
            ],
            batch_size=2000,
        )
        employees = []
        for slot, user, (nip, name, _birth, (year, month), kind) in zip(
            slots, users, people, strict=True
        ):
            lat, lon = self._home()
            local = name.lower().replace(" ", ".")
            employees.append(
                Employee(
                    agency=self.agency,
                    nip=nip,
                    employment_type=kind,
                    name=name,
                    unit=slot.unit,
                    position=self.positions[slot.position],
                    supervisor=slot.supervisor_slot.employee if slot.supervisor_slot else None,
                    email=f"{local}.{nip[-4:]}@mamujukab.go.id",
                    phone=f"08{self.rng.randint(11, 13)}{self.rng.randint(10_000_000, 99_999_999)}",
                    home_latitude=lat,
                    home_longitude=lon,
                    start_date=dt.date(year, month, 1),
                    user=user,
                )
            )
        Employee.objects.bulk_create(employees, batch_size=2000)
        for slot, employee in zip(slots, employees, strict=True):
            slot.employee = employee
        self.progress(len(slots))

    def _accounts(self, plan: _Plan) -> None:
        for username, slot in plan.named.items():
            if username in DEMO_ACCOUNTS and slot.employee is not None:
                user = slot.employee.user
                user.username = username
                user.save(update_fields=["username"])
                if slot.employee.position.name != slot.position:
                    slot.employee.position = self.positions[slot.position]
                    slot.employee.save(update_fields=["position"])
        bupati = User.objects.create(
            username="bupati", password=self.password_hash, first_name="Bupati Mamuju"
        )
        admin = User.objects.get(username="admin")
        admin.is_staff = True
        admin.save(update_fields=["is_staff"])
        admin.groups.add(hr_admin_group())
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(user=admin, agency=self.agency, role=Role.HR_ADMIN),
                RoleAssignment(user=bupati, agency=self.agency, role=Role.LEADER),
                RoleAssignment(
                    user=User.objects.get(username="inspektur"),
                    agency=self.agency,
                    role=Role.INSPECTOR,
                ),
            ]
        )


def hr_admin_group() -> Group:
    group, _created = Group.objects.get_or_create(name=HR_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=HR_APPS))
    return group
