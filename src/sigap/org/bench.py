"""Removing a benchmark's own agency with everything made for it, whatever app made it.

The benches create an agency (a fixed code) in the user's database and remove it
afterwards. Rather than each bench listing every table of every app (and missing the
rows a later app adds, such as a TPP statement refreshed by a verified check-in), rows
are found through the model graph: whatever protects an employee, unit, office,
position or the agency from deletion is deleted first, recursively; cascades do the rest.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import models, transaction

from sigap.org.models import Agency, Employee, Office, Position, Unit
from sigap.org.selectors import org_changed

MAX_DEPTH = 6


def _purge(queryset: models.QuerySet, depth: int = 0) -> None:
    """Delete `queryset`, first deleting (recursively) the rows that protect it."""
    if depth > MAX_DEPTH:
        raise RuntimeError("protected rows nested too deep")
    relations = [
        f
        for f in queryset.model._meta.get_fields(include_hidden=True)  # related_name="+" too
        if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)
    ]
    for relation in relations:
        if relation.on_delete is models.PROTECT:
            blockers = relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": queryset}
            )
            if blockers.exists():
                _purge(blockers, depth + 1)
    queryset.delete()


def remove_bench_agency(code: str) -> int | None:
    """Remove the agency `code` and everything made for it; its id, or None if absent."""
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        return None
    agency_id = agency.pk
    people = Employee.objects.filter(agency_id=agency_id)
    user_ids = set(people.exclude(user=None).values_list("user_id", flat=True))
    user_ids |= set(agency.role_assignments.values_list("user_id", flat=True))
    with transaction.atomic():
        Unit.objects.filter(agency_id=agency_id).update(head=None)
        people.update(supervisor=None)
        _purge(people)
        get_user_model().objects.filter(pk__in=user_ids).delete()
        _purge(Office.objects.filter(agency_id=agency_id))
        _purge(Position.objects.filter(agency_id=agency_id))
        while Unit.objects.filter(agency_id=agency_id).exists():  # leaves first
            leaves = Unit.objects.filter(agency_id=agency_id, children__isnull=True)
            _purge(leaves)
        _purge(Agency.objects.filter(pk=agency_id))
    org_changed(agency_id)
    return agency_id
