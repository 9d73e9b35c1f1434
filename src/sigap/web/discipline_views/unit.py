"""/tpp/unit/: the month's statements of a group of people, 50 a page, sortable by the final
TPP %. HR admins pick any unit of the agency (default: the first OPD), unit heads a unit of
their subtree (default: the one they head), a supervisor their direct subordinates
(`?unit=team`); anyone else is refused."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sigap.discipline import rules, selectors, statements
from sigap.discipline.models import TppStatement
from sigap.org.models import Agency, Employee, Role, Unit
from sigap.org.selectors import Scope, scope_for, unit_children_map
from sigap.web.discipline_views.common import Month, month_of, pages

TEAM = "team"
PAGE_SIZE = 50
SORTS = {
    "name": ("employee__name", "employee_id"),
    "final": ("final_pct", "employee__name", "employee_id"),
    "-final": ("-final_pct", "employee__name", "employee_id"),
}


def _is_hr(scope: Scope) -> bool:
    return scope.all_agencies or scope.has_role(Role.HR_ADMIN)


def _units(scope: Scope) -> QuerySet[Unit]:
    if scope.agency_id is None:
        return Unit.objects.none()
    units = Unit.objects.filter(agency_id=scope.agency_id, active=True)
    return units if _is_hr(scope) else units.filter(pk__in=scope.unit_ids)


def _default_choice(scope: Scope) -> str:
    if _is_hr(scope) and scope.agency_id is not None:
        roots = unit_children_map(scope.agency_id).get(None, [])
        first = _units(scope).filter(pk__in=roots).order_by("code", "name").first()
        if first is not None:
            return str(first.pk)
    if scope.headed_unit_ids:
        first = Unit.objects.filter(pk__in=scope.headed_unit_ids).order_by("name").first()
        if first is not None:
            return str(first.pk)
    if scope.is_supervisor:
        return TEAM
    raise PermissionDenied(_("Only supervisors, unit heads and HR see a list of statements."))


def _group(request: HttpRequest, scope: Scope, choice: str) -> tuple[Agency, QuerySet, str]:
    """(agency, the people, the title) of `?unit=` (an id or `team`)."""
    if choice == TEAM:
        if not scope.is_supervisor or scope.agency_id is None:
            raise PermissionDenied(_("You supervise nobody directly."))
        people = selectors.viewable_people(user=request.user).filter(
            supervisor_id=scope.employee_id
        )
        agency = Agency.objects.get(pk=scope.agency_id)
        return agency, people, _("My direct subordinates")
    if not choice.isdigit() or len(choice) > 18:
        raise Http404(_("No such unit."))
    unit = selectors.statement_unit(user=request.user, unit_id=int(choice))
    return unit.agency, statements.unit_people(unit), unit.name


def _choices(scope: Scope) -> list[tuple[str, str]]:
    choices = [(TEAM, _("My direct subordinates"))] if scope.is_supervisor else []
    units = _units(scope).order_by("name").values_list("pk", "name")
    return choices + [(str(pk), name) for pk, name in units]


def _rows(found: list[TppStatement], month: Month) -> list[dict[str, Any]]:
    link = reverse("web:tpp_employee", args=["NIP"])
    rows = []
    for statement in found:
        employee: Employee = statement.employee
        rows.append(
            {
                "statement": statement,
                "employee": employee,
                "position": employee.position.name if employee.position else "",
                "summary": rules.summary(statement.counts),
                "href": f"{link.replace('NIP', employee.nip, 1)}?month={month.param}",
            }
        )
    return rows


@login_required
@require_GET
@pages
def tpp_unit(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    choice = request.GET.get("unit") or _default_choice(scope)
    agency, people, title = _group(request, scope, choice)
    month = month_of(request, zone=agency.time_zone)
    sort = request.GET.get("sort") or "name"
    sort = sort if sort in SORTS else "name"
    found = statements.statements_ensure(
        agency=agency, people=people, year=month.year, month=month.month
    ).order_by(*SORTS[sort])
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": title,
        "choice": choice,
        "choices": _choices(scope),
        "month": month,
        "sort": sort,
        "page": page,
        "rows": _rows(list(page.object_list), month),
        "query": urlencode({"unit": choice, "sort": sort}),  # the month links add month=
        "base_query": urlencode({"unit": choice, "month": month.param}),  # the sort links
        "page_query": urlencode({"unit": choice, "month": month.param, "sort": sort}),
    }
    return render(request, "web/discipline/unit.html", context)
