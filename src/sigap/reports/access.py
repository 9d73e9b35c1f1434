"""Who may read which recap (fails closed): unit heads their subtree; HR admin, leader and
inspector their whole agency; nobody another agency's units (404)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sigap.core.exceptions import Forbidden, NotFound
from sigap.core.models import User
from sigap.org.models import Agency, Unit
from sigap.org.selectors import Scope, scope_for


def sees_agency(scope: Scope) -> bool:
    return (scope.whole_agency or scope.all_agencies) and scope.agency_id is not None


def recap_unit(*, user: User, unit_id: int) -> Unit:
    """The unit if the user may see its recap: 404 outside their agency, 403 outside scope."""
    scope = scope_for(user)
    units = Unit.objects.select_related("agency")
    if not scope.all_agencies:
        units = units.filter(agency_id=scope.agency_id)
    unit = units.filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(_("No such unit."))
    if not (scope.whole_agency or scope.all_agencies or unit.pk in scope.unit_ids):
        raise Forbidden(_("This unit is outside your scope."))
    return unit


def recap_agency(*, user: User) -> Agency:
    """The user's agency, for leaders, HR admins and inspectors only."""
    scope = scope_for(user)
    if not sees_agency(scope):
        raise Forbidden(_("Only leaders, HR admins and inspectors see the whole agency."))
    return Agency.objects.get(pk=scope.agency_id)


def top_headed_units(scope: Scope) -> list[int]:
    """The units a head heads that are not inside another one they head (one query)."""
    headed = scope.headed_unit_ids
    if len(headed) < 2:
        return sorted(headed)
    parents = dict(Unit.objects.filter(pk__in=scope.unit_ids).values_list("pk", "parent_id"))

    def inside_other(pk: int) -> bool:
        parent = parents.get(pk)
        while parent is not None:
            if parent in headed:
                return True
            parent = parents.get(parent)
        return False

    return sorted(pk for pk in headed if not inside_other(pk))
