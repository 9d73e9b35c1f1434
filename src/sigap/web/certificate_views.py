"""/penghargaan/sertifikat/<category>/<year>/<month>/: the certificate (PDF) of one of the
month's best, for anyone of the agency (the rankings are public inside it).

`?rank=` picks the first entry of that rank (default 1: the category's first entry);
`?key=<employee id or unit id>` picks another listed entry. An unknown category, a month
that does not exist, has not begun or is outside the rankings' years, and an entry not
listed are 404; a user without an agency is 403. The winner's NIP is printed as the
downloader may see it: in full for the winner, their supervisor, unit head, HR and
inspectors, masked for a colleague or a leader. Another agency's people are never listed
(each user sees their own agency's rankings), so asking for them is 404.
"""

from __future__ import annotations

import dataclasses

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sigap.core.exceptions import InvalidInput, NotFound
from sigap.discipline import rewards, selectors
from sigap.discipline.rewards import EmployeeEntry, UnitEntry
from sigap.org.selectors import scope_for
from sigap.privacy import masking
from sigap.reports.certificate import (
    CATEGORIES,
    EMPLOYEE_CATEGORIES,
    certificate_filename,
    certificate_pdf,
)
from sigap.web.roster_views.access import parse_int


def _listed(found: rewards.Rankings, category: str) -> list[EmployeeEntry] | list[UnitEntry]:
    if category in EMPLOYEE_CATEGORIES:
        return found.employees.get(category, [])
    return found.units.get(category, [])


def _key(entry: EmployeeEntry | UnitEntry) -> int:
    return entry.employee_id if isinstance(entry, EmployeeEntry) else entry.unit_id


def _chosen(entries, query) -> EmployeeEntry | UnitEntry:
    """The first entry of `?rank=` (default 1), or the one of `?key=`; else 404."""
    if query.get("key") is not None:
        key = parse_int(query.get("key"))
        found = next((e for e in entries if key is not None and _key(e) == key), None)
    else:
        rank = parse_int(query.get("rank", "1"))
        found = next((e for e in entries if rank is not None and e.rank == rank), None)
    if found is None:
        raise Http404(_("Nobody is listed there."))
    return found


@login_required
@require_GET
def reward_certificate(request: HttpRequest, category: str, year: int, month: int) -> HttpResponse:
    scope = scope_for(request.user)
    if not selectors.may_see_rankings(scope):
        raise PermissionDenied(_("The rankings are for the people of an agency."))
    if category not in CATEGORIES:
        raise Http404(_("No such category."))
    try:
        agency = selectors.agency_of(user=request.user)
        selectors.parse_month(f"{year:04d}-{month:02d}", zone=agency.time_zone)
    except (NotFound, InvalidInput) as exc:
        raise Http404(str(exc.message)) from exc
    found = rewards.rankings(agency=agency, year=year, month=month)
    entry = _chosen(_listed(found, category), request.GET)
    if isinstance(entry, EmployeeEntry):  # the NIP as the downloader may see it
        shown = masking.nips_by_id(scope, {entry.employee_id: entry.nip})
        entry = dataclasses.replace(entry, nip=shown[entry.employee_id])
    content = certificate_pdf(agency=agency, year=year, month=month, category=category, entry=entry)
    response = HttpResponse(content, content_type="application/pdf")
    filename = certificate_filename(category=category, year=year, month=month, name=entry.name)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
