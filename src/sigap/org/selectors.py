"""Read queries for the organisation, and THE scoping helper.

Every query that returns people or units for a user goes through `scope_for(user)`.
Scope is a unit subtree (unit heads), direct subordinates (supervisors), the whole
agency (HR admin, leader, inspector) and always oneself.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db.models import Q, QuerySet

from sigap.core.generations import LocalMemo, bump, generation
from sigap.core.models import User
from sigap.org import rules
from sigap.org.models import Employee, Office, Role, RoleAssignment, Unit

WHOLE_AGENCY_ROLES = frozenset({Role.HR_ADMIN, Role.LEADER, Role.INSPECTOR})
TREE_CACHE_SECONDS = 60


@dataclass(frozen=True)
class Scope:
    """What one user may see. Build it with `scope_for(user)`."""

    user_id: int | None
    agency_id: int | None
    employee_id: int | None
    roles: frozenset[str] = frozenset()
    whole_agency: bool = False
    all_agencies: bool = False
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    headed_unit_ids: frozenset[int] = frozenset()
    is_supervisor: bool = False
    supervisor_id: int | None = None  # the user's own direct supervisor

    def employees(self) -> QuerySet[Employee]:
        qs = Employee.objects.all()
        if self.all_agencies:
            return qs
        if self.whole_agency:
            return qs.filter(agency_id=self.agency_id)
        if self.employee_id is None:
            return qs.none()
        condition = Q(pk=self.employee_id) | Q(supervisor_id=self.employee_id)
        if self.unit_ids:
            condition |= Q(unit_id__in=self.unit_ids)
        return qs.filter(condition)

    def units(self) -> QuerySet[Unit]:
        qs = Unit.objects.all()
        if self.all_agencies:
            return qs
        if self.whole_agency:
            return qs.filter(agency_id=self.agency_id)
        return qs.filter(pk__in=self.unit_ids)

    def includes_employee(self, employee: Employee) -> bool:
        if self.all_agencies:
            return True
        if self.whole_agency:
            return employee.agency_id == self.agency_id
        return (
            employee.pk == self.employee_id
            or (self.employee_id is not None and employee.supervisor_id == self.employee_id)
            or employee.unit_id in self.unit_ids
        )

    def includes_unit(self, unit: Unit) -> bool:
        if self.all_agencies:
            return True
        if self.whole_agency:
            return unit.agency_id == self.agency_id
        return unit.pk in self.unit_ids

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def line(self) -> Scope:
        """The same user as a line manager only: themselves, their direct subordinates and
        the subtree of the units they head, without an agency-wide role's reach (a leader
        or inspector reads the whole agency but decides only for their own line)."""
        return replace(self, whole_agency=False, all_agencies=False)


def unit_children_map(agency_id: int) -> dict[int | None, list[int]]:
    """parent id -> child ids for one agency (one query, cached briefly)."""
    key = f"org:unit-children:{agency_id}"
    children = cache.get(key)
    if children is None:
        children = {}
        rows = Unit.objects.filter(agency_id=agency_id).values_list("id", "parent_id")
        for unit_id, parent_id in rows:
            children.setdefault(parent_id, []).append(unit_id)
        cache.set(key, children, TREE_CACHE_SECONDS)
    return children


def unit_tree_changed(agency_id: int) -> None:
    cache.delete(f"org:unit-children:{agency_id}")


def scope_for(user: User) -> Scope:
    """The user's scope, computed once per request (memoised on the user object)."""
    cached = getattr(user, "_sigap_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    user._sigap_scope = scope  # type: ignore[attr-defined]
    return scope


def _compute_scope(user: User) -> Scope:
    if not user.is_authenticated:
        return Scope(user_id=None, agency_id=None, employee_id=None)
    employee = Employee.objects.filter(user=user, active=True).first()
    assignments = list(RoleAssignment.objects.filter(user=user).values_list("agency_id", "role"))
    agency_id = employee.agency_id if employee else (assignments[0][0] if assignments else None)
    roles = {role for agency, role in assignments if agency == agency_id}
    if employee is None:
        return Scope(
            user_id=user.pk,
            agency_id=agency_id,
            employee_id=None,
            roles=frozenset(roles),
            whole_agency=bool(roles & WHOLE_AGENCY_ROLES),
            all_agencies=user.is_superuser,
        )
    roles.add("employee")
    headed = set(Unit.objects.filter(head=employee, active=True).values_list("id", flat=True))
    unit_ids: set[int] = set()
    if headed:
        roles.add("unit_head")
        children = unit_children_map(employee.agency_id)
        for unit_id in headed:
            unit_ids |= rules.subtree(children, unit_id)
    is_supervisor = Employee.objects.filter(supervisor=employee, active=True).exists()
    if is_supervisor:
        roles.add("supervisor")
    return Scope(
        user_id=user.pk,
        agency_id=employee.agency_id,
        employee_id=employee.pk,
        roles=frozenset(roles),
        whole_agency=bool(roles & WHOLE_AGENCY_ROLES),
        all_agencies=user.is_superuser,
        unit_ids=frozenset(unit_ids),
        headed_unit_ids=frozenset(headed),
        is_supervisor=is_supervisor,
        supervisor_id=employee.supervisor_id,
    )


ROLE_ORDER = ["employee", "supervisor", "unit_head", "hr_admin", "leader", "inspector"]


def roles_of(scope: Scope) -> list[str]:
    return [role for role in ROLE_ORDER if role in scope.roles]


def employee_for_user(user: User) -> Employee | None:
    return (
        Employee.objects.select_related("unit", "position", "supervisor", "office", "agency")
        .filter(user=user, active=True)
        .first()
    )


def offices_by_unit(agency_id: int) -> dict[int, Office]:
    """unit id -> the office serving it or its nearest ancestor (three queries in all)."""
    parent_of = dict(Unit.objects.filter(agency_id=agency_id).values_list("id", "parent_id"))
    offices = {o.pk: o for o in Office.objects.filter(agency_id=agency_id, active=True)}
    direct: dict[int, Office] = {}
    through = Office.units.through.objects.filter(office_id__in=offices).order_by("office_id")
    for unit_id, office_id in through.values_list("unit_id", "office_id"):
        direct.setdefault(unit_id, offices[office_id])
    resolved: dict[int, Office] = {}
    for unit_id in parent_of:
        current: int | None = unit_id
        while current is not None and current not in direct:
            current = parent_of.get(current)
        if current is not None:
            resolved[unit_id] = direct[current]
    return resolved


# --- the office map of an agency (hot path: no query per employee) -----------------


@dataclass(frozen=True, slots=True)
class OfficeInfo:
    """Plain values of an office, cheap to cache and share between processes."""

    id: int
    name: str
    latitude: float
    longitude: float
    radius_m: float | None
    polygon: tuple[tuple[float, float], ...] | None
    time_zone: str


@dataclass(frozen=True, slots=True)
class OfficeMap:
    by_office: dict[int, OfficeInfo]
    by_unit: dict[int, int]  # unit id -> office id (the unit's or its nearest ancestor's)


_office_maps = LocalMemo(size=32)


def org_changed(agency_id: int) -> None:
    """Call after editing an agency's units, offices or employees' offices."""
    bump("org", agency_id)
    unit_tree_changed(agency_id)


def office_map(agency_id: int) -> OfficeMap:
    key = f"org:office-map:{agency_id}:{generation('org', agency_id)}"

    def shared() -> OfficeMap:
        found = cache.get(key)
        if found is None:
            found = _build_office_map(agency_id)
            cache.set(key, found, 24 * 3600)
        return found

    return _office_maps.get_or_load(key, shared)


def _build_office_map(agency_id: int) -> OfficeMap:
    by_unit_office = offices_by_unit(agency_id)
    offices = Office.objects.filter(agency_id=agency_id, active=True)
    by_office = {
        o.pk: OfficeInfo(
            o.pk,
            o.name,
            o.latitude,
            o.longitude,
            float(o.radius_m) if o.radius_m else None,
            tuple((float(a), float(b)) for a, b in o.polygon) if o.polygon else None,
            o.time_zone,
        )
        for o in offices
    }
    return OfficeMap(by_office, {unit: office.pk for unit, office in by_unit_office.items()})


def office_info_for(employee: Employee) -> OfficeInfo | None:
    """The employee's office from the cached map (no query when warm)."""
    offices = office_map(employee.agency_id)
    office_id = employee.office_id or offices.by_unit.get(employee.unit_id)
    return offices.by_office.get(office_id) if office_id is not None else None
