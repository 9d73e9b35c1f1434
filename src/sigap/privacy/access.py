"""Recording and reading the access log: every view of another person's selfie, location,
health data or face reference (DOMAIN.md section 10). Views and API handlers call
`access_record` right after they authorised and loaded what they show.

Reading: HR admins and inspectors search their agency's log (`access_log_search`); an
employee reads who viewed their own data (`access_log_of_subject`). The log is append-only:
nothing here (or in the back office) changes or deletes a row."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sigap.core import clock
from sigap.core.exceptions import Forbidden, InvalidInput, NotFound
from sigap.core.models import User
from sigap.org.models import Agency, Employee, Role, RoleAssignment
from sigap.org.selectors import Scope
from sigap.privacy.models import AccessLog, Channel, DataCategory

BATCH = 1000


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from, as the server saw it (REMOTE_ADDR; behind the
    reverse proxy the deployment sets it from the proxy's header)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _actor_name(user: User, employee_name: str | None) -> str:
    if employee_name:
        return employee_name[:200]
    return (user.get_full_name() or user.get_username())[:200]


def access_record(
    *,
    viewer: User,
    subject_ids: Iterable[int],
    category: DataCategory | str,
    what: str = "",
    request: HttpRequest | None = None,
    channel: Channel | str | None = None,
) -> int:
    """Log that `viewer` saw `category` data of the employees `subject_ids` (their own data
    is not logged). Returns the number of rows written. One query for the people's agencies
    and the viewer's own record, then one INSERT per 1,000 people."""
    ids = {int(i) for i in subject_ids if i is not None}
    if not ids or viewer is None or viewer.pk is None:
        return 0
    found = Employee.objects.filter(Q(pk__in=ids) | Q(user_id=viewer.pk)).values_list(
        "pk", "agency_id", "user_id", "name"
    )
    agencies: dict[int, int] = {}
    viewer_name = None
    for pk, agency_id, user_id, name in found:
        if user_id == viewer.pk:
            viewer_name = name
            ids.discard(pk)  # one's own data is not logged
        agencies[pk] = agency_id
    ids &= set(agencies)
    if not ids:
        return 0
    if channel is None:
        path = request.path if request is not None else ""
        channel = Channel.API if path.startswith("/api/") else Channel.PAGE
    at = clock.now()
    event = uuid.uuid4()
    rows = [
        AccessLog(
            at=at,
            event=event,
            agency_id=agencies[subject_id],
            actor_id=viewer.pk,
            actor_name=_actor_name(viewer, viewer_name),
            subject_id=subject_id,
            category=str(category),
            channel=str(channel),
            what=str(what)[:200],
            path=(request.get_full_path() if request is not None else "")[:300],
            ip=client_ip(request),
        )
        for subject_id in sorted(ids)
    ]
    AccessLog.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


# --- reading ----------------------------------------------------------------------------------

READER_ROLES = frozenset({Role.HR_ADMIN, Role.INSPECTOR})
NIP_LENGTH = 18


@dataclass(frozen=True)
class AccessFilter:
    """What HR or an inspector searches by. `subject`: a NIP (or its start) or part of a
    name; `viewer`: part of the viewer's name, a username or a NIP; dates are local days of
    the agency, both ends included."""

    subject: str = ""
    viewer: str = ""
    category: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def access_log_allowed(scope: Scope) -> bool:
    """HR admins and inspectors of an agency; nobody else (not even its leader)."""
    return scope.agency_id is not None and bool(scope.roles & READER_ROLES)


def access_log_search(*, scope: Scope, filters: AccessFilter) -> QuerySet[AccessLog]:
    """The agency's log, newest first, narrowed by `filters`. Forbidden outside the roles;
    NotFound for a full NIP that is nobody's in the agency; InvalidInput for an unknown
    category or a range that ends before it starts."""
    if scope.agency_id is None or not access_log_allowed(scope):
        raise Forbidden()
    agency = Agency.objects.only("pk", "time_zone").get(pk=scope.agency_id)
    subject = filters.subject.strip()
    full_nip = subject.isdigit() and len(subject) == NIP_LENGTH
    if full_nip and not Employee.objects.filter(agency_id=agency.pk, nip=subject).exists():
        raise NotFound(_("No employee of your agency has this NIP."))
    found = AccessLog.objects.filter(agency_id=agency.pk)
    if subject:
        found = found.filter(
            Q(subject__nip__startswith=subject)
            if subject.isdigit()
            else Q(subject__name__icontains=subject)
        )
    viewer = filters.viewer.strip()
    if viewer:
        found = found.filter(
            Q(actor__employee__nip__startswith=viewer)
            if viewer.isdigit()
            else Q(actor_name__icontains=viewer) | Q(actor__username__iexact=viewer)
        )
    found = _in_range(_of_category(found, filters.category), filters, agency.time_zone)
    return _with_people(found)


def access_log_of_subject(
    *,
    employee: Employee,
    category: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[AccessLog]:
    """Who viewed `employee`'s data, newest first (for the employee themself)."""
    found = AccessLog.objects.filter(subject=employee)
    filters = AccessFilter(start=start, end=end)
    found = _in_range(_of_category(found, category), filters, employee.agency.time_zone)
    return _with_people(found)


def _of_category(found: QuerySet[AccessLog], category: str) -> QuerySet[AccessLog]:
    if not category:
        return found
    if category not in DataCategory.values:
        raise InvalidInput(
            _("Unknown data category."), detail={"fields": {"category": list(DataCategory.values)}}
        )
    return found.filter(category=category)


def _in_range(found: QuerySet[AccessLog], filters: AccessFilter, zone: str) -> QuerySet[AccessLog]:
    if filters.start and filters.end and filters.end < filters.start:
        raise InvalidInput(
            _("The end date is before the start date."), detail={"fields": {"to": ["before from"]}}
        )
    if filters.start:
        found = found.filter(at__gte=_midnight(filters.start, zone))
    if filters.end:
        found = found.filter(at__lt=_midnight(filters.end + dt.timedelta(days=1), zone))
    return found


def _midnight(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(zone))


def _with_people(found: QuerySet[AccessLog]) -> QuerySet[AccessLog]:
    """Rows with whose data and who viewed it (their unit, position and agency roles) in
    two queries whatever the number of rows."""
    return (
        found.select_related(
            "subject__unit",
            "actor__employee__unit",
            "actor__employee__position",
        )
        .prefetch_related(
            Prefetch(
                "actor__role_assignments",
                queryset=RoleAssignment.objects.only("pk", "user_id", "agency_id", "role"),
            )
        )
        .order_by("-at", "-pk")
    )


@dataclass(frozen=True)
class Viewer:
    """Who viewed, as the person whose data it was sees them."""

    name: str
    roles: tuple[str, ...]  # role labels in the subject's agency ("HR admin", "direct supervisor")
    unit: str
    position: str
    nip: str


def viewer_of(entry: AccessLog) -> Viewer:
    """The viewer of a row loaded through `_with_people` (no query)."""
    actor = entry.actor
    employee = getattr(actor, "employee", None) if actor is not None else None
    roles = []
    if actor is not None:
        labels = dict(Role.choices)
        roles = [
            str(labels[a.role])
            for a in actor.role_assignments.all()
            if a.agency_id == entry.agency_id and a.role in labels
        ]
    if employee is not None and employee.pk == entry.subject.supervisor_id:
        roles.insert(0, str(_("direct supervisor")))
    return Viewer(
        name=employee.name if employee is not None else entry.actor_name,
        roles=tuple(roles),
        unit=employee.unit.name if employee is not None else "",
        position=employee.position.name if employee is not None and employee.position else "",
        nip=employee.nip if employee is not None else "",
    )
