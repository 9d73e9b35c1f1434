"""Role-based masking on the database side: how a viewer (their Scope) stands to a person,
and that person's NIP, phone, email and home location as the viewer may see them.

The decision itself is the pure `sigap.privacy.rules.AUDIENCE` table; this module only works
out the relations from the scope and the employee's own ids (`agency_id`, `unit_id`,
`supervisor_id`), so it costs no query per person as long as those ids are loaded (they are
on any ordinary Employee row). For lists whose rows were loaded with `.only(...)` without
them, `relations_for` fetches the missing ids for the whole list in one query.

Pages use the `privacy` template tags (`{% nip employee %}`), API handlers and exports
`nip_for(scope, employee)` / `masked_people(scope, employees)`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from sigap.org.models import Employee, Role
from sigap.org.selectors import Scope
from sigap.privacy.rules import Field, Relation, masked, visible_fields

NOBODY: frozenset[Relation] = frozenset({Relation.OTHER})
NIP_LENGTH = 18
_IDS = ("agency_id", "unit_id", "supervisor_id")


@dataclass(frozen=True, slots=True)
class PersonIds:
    """The ids that decide a relation (an Employee, or a plain row carrying them)."""

    pk: int
    agency_id: int | None
    unit_id: int | None
    supervisor_id: int | None


def relations_of(scope: Scope, person: PersonIds) -> frozenset[Relation]:
    """How `scope`'s user stands to `person` (pure: no query). A viewer may stand in several
    relations at once (a leader who is also the person's supervisor); someone with none
    of them is OTHER (a colleague reading a board or ranking). Anonymous viewers and users
    from another agency are OTHER too."""
    found: set[Relation] = set()
    if scope.user_id is None:
        return NOBODY
    if scope.employee_id is not None:
        if person.pk == scope.employee_id:
            found.add(Relation.SELF)
        if person.supervisor_id is not None and person.supervisor_id == scope.employee_id:
            found.add(Relation.SUPERVISOR)
        if person.unit_id is not None and person.unit_id in scope.unit_ids:
            found.add(Relation.UNIT_HEAD)
        if scope.supervisor_id is not None and person.pk == scope.supervisor_id:
            found.add(Relation.SUBORDINATE)
    same_agency = scope.agency_id is not None and person.agency_id == scope.agency_id
    if scope.all_agencies or (same_agency and scope.has_role(Role.HR_ADMIN)):
        # the system operator (superuser) administers every agency like its HR office
        found.add(Relation.HR_ADMIN)
    if same_agency and scope.has_role(Role.INSPECTOR):
        found.add(Relation.INSPECTOR)
    if same_agency and scope.has_role(Role.LEADER):
        found.add(Relation.LEADER)
    return frozenset(found) or NOBODY


def _ids(employee: Any) -> PersonIds | None:
    """The relation ids of an Employee (None when some are deferred: not loaded)."""
    if isinstance(employee, PersonIds):
        return employee
    deferred = employee.get_deferred_fields() if hasattr(employee, "get_deferred_fields") else ()
    if any(name in deferred or name.removesuffix("_id") in deferred for name in _IDS):
        return None
    return PersonIds(employee.pk, employee.agency_id, employee.unit_id, employee.supervisor_id)


def _load_ids(pks: Iterable[int]) -> dict[int, PersonIds]:
    rows = Employee.objects.filter(pk__in=set(pks)).values_list("pk", *_IDS)
    return {pk: PersonIds(pk, agency, unit, boss) for pk, agency, unit, boss in rows}


def relations_to(scope: Scope, employee: Employee | PersonIds) -> frozenset[Relation]:
    """How the viewer stands to one employee: no query when the employee's agency, unit
    and supervisor ids are loaded, one when they were deferred."""
    ids = _ids(employee)
    if ids is None:
        ids = _load_ids([employee.pk]).get(employee.pk)
        if ids is None:
            return NOBODY
    return relations_of(scope, ids)


def relations_for(
    scope: Scope, employees: Iterable[Employee | PersonIds]
) -> dict[int, frozenset[Relation]]:
    """pk -> relations for a list of people: no query when their ids are loaded, one query
    for all of those whose ids were deferred (never one per person)."""
    found: dict[int, frozenset[Relation]] = {}
    missing: list[int] = []
    for employee in employees:
        ids = _ids(employee)
        if ids is None:
            missing.append(employee.pk)
        else:
            found[ids.pk] = relations_of(scope, ids)
    if missing:
        loaded = _load_ids(missing)
        for pk in missing:
            found[pk] = relations_of(scope, loaded[pk]) if pk in loaded else NOBODY
    return found


# --- masked display values ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MaskedPerson:
    """An employee's identifying and contact details as one viewer may see them. Masked
    strings keep their type (a masked NIP is still a string); a hidden home location is
    None."""

    nip: str
    phone: str
    email: str
    home_latitude: float | None
    home_longitude: float | None
    home_radius_m: int | None
    visible: frozenset[Field]

    @property
    def has_home(self) -> bool:
        return self.home_latitude is not None and self.home_longitude is not None


def _value(employee: Any, name: str) -> Any:
    """An attribute that may be deferred and should not cost a query: "" when not loaded."""
    deferred = employee.get_deferred_fields() if hasattr(employee, "get_deferred_fields") else ()
    return None if name in deferred else getattr(employee, name, None)


def masked_person(
    employee: Employee, relations: frozenset[Relation] | set[Relation]
) -> MaskedPerson:
    """`employee` as a viewer with `relations` to them may see it. Fields that were not
    loaded (deferred) come back empty rather than costing a query."""
    visible = visible_fields(relations)
    home = Field.HOME in visible
    return MaskedPerson(
        nip=masked(Field.NIP, _value(employee, "nip") or "", relations),
        phone=masked(Field.PHONE, _value(employee, "phone") or "", relations),
        email=masked(Field.EMAIL, _value(employee, "email") or "", relations),
        home_latitude=_value(employee, "home_latitude") if home else None,
        home_longitude=_value(employee, "home_longitude") if home else None,
        home_radius_m=_value(employee, "home_radius_m") if home else None,
        visible=visible,
    )


def masked_people(scope: Scope, employees: Iterable[Employee]) -> dict[int, MaskedPerson]:
    """pk -> MaskedPerson for a list (at most one query, see `relations_for`)."""
    people = list(employees)
    relations = relations_for(scope, people)
    return {e.pk: masked_person(e, relations[e.pk]) for e in people}


def nip_for(scope: Scope, employee: Employee) -> str:
    """The NIP as the viewer may see it (full, or masked like 1985**********012)."""
    return masked(Field.NIP, employee.nip or "", relations_to(scope, employee))


def nips_for(scope: Scope, employees: Iterable[Employee]) -> dict[int, str]:
    """pk -> the NIP as the viewer may see it, for a list (at most one query)."""
    people = list(employees)
    relations = relations_for(scope, people)
    return {e.pk: masked(Field.NIP, e.nip or "", relations[e.pk]) for e in people}


def person_ref(scope: Scope, employee: Employee | None) -> dict[str, str] | None:
    """`{"nip", "name"}` (the API's PersonRef) with the NIP as the viewer may see it."""
    if employee is None:
        return None
    return {"nip": nip_for(scope, employee), "name": employee.name}


def employee_by_key(people: QuerySet[Employee], key: str) -> QuerySet[Employee]:
    """`people` narrowed to the one an address names: by NIP (18 digits, what people type
    and older links carry) or by id (the links SIGAP writes itself, so that no NIP travels
    in addresses, browser histories and proxy logs). Anything else matches nobody."""
    if len(key) == NIP_LENGTH:
        return people.filter(nip=key)
    if key.isdigit() and len(key) < NIP_LENGTH:
        return people.filter(pk=int(key))
    return people.none()


def nips_seen_by(scope: Scope, *, agency_id: int, nips: Iterable[str]) -> dict[str, str]:
    """NIP -> the NIP as the viewer may see it, for exports whose rows carry NIPs but no
    employee rows: one query over the agency's people (none when the viewer sees every NIP
    of the agency in full: HR, inspectors). A NIP that is nobody's in the agency is masked."""
    wanted = {n for n in nips if n}
    same = scope.all_agencies or scope.agency_id == agency_id
    if same and visible_to_all(scope, Field.NIP):
        return {n: n for n in wanted}
    rows = Employee.objects.filter(agency_id=agency_id).values_list("nip", "pk", *_IDS)
    shown = {n: masked(Field.NIP, n, NOBODY) for n in wanted}
    for nip, pk, agency, unit, boss in rows.iterator(chunk_size=5000):
        if nip in wanted:
            shown[nip] = masked(
                Field.NIP, nip, relations_of(scope, PersonIds(pk, agency, unit, boss))
            )
    return shown


def visible_to_all(scope: Scope, field: Field) -> bool:
    """Does the viewer's agency-wide role alone put them in `field`'s audience (HR admins
    and the system operator for every field, inspectors for the NIP)?"""
    relations: set[Relation] = set()
    if scope.all_agencies or scope.has_role(Role.HR_ADMIN):
        relations.add(Relation.HR_ADMIN)
    if scope.has_role(Role.INSPECTOR):
        relations.add(Relation.INSPECTOR)
    return field in visible_fields(relations)


def nips_by_id(scope: Scope, people: Mapping[int, str]) -> dict[int, str]:
    """employee id -> their NIP as the viewer may see it, for rows that carry an id and a
    NIP but no employee row (cached rankings): one query (none for the system operator)."""
    if scope.all_agencies:
        return dict(people)
    loaded = _load_ids(people)
    return {
        pk: masked(Field.NIP, nip, relations_of(scope, loaded[pk]) if pk in loaded else NOBODY)
        for pk, nip in people.items()
    }
