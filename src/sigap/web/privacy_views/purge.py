"""The retention page (/privasi/retensi/): HR admins see their agency's retention settings
and latest purge runs (counts per rule, never content), and can start a dry run now, which
shows what the next purge would delete. 403 for anyone else."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from sigap.org.models import Agency, Role
from sigap.org.selectors import scope_for
from sigap.privacy.purge import privacy_purge, purge_rule_labels, purge_runs
from sigap.privacy.settings import privacy_settings


def _hr_agency(request: HttpRequest) -> Agency:
    scope = scope_for(request.user)
    if scope.agency_id is None or not (scope.has_role(Role.HR_ADMIN) or scope.all_agencies):
        raise PermissionDenied
    return Agency.objects.get(pk=scope.agency_id)


@login_required
@require_GET
def retention_page(request: HttpRequest) -> HttpResponse:
    agency = _hr_agency(request)
    labels = purge_rule_labels()
    runs = [
        (run, [(labels.get(key, key), count) for key, count in run.counts.items()])
        for run in purge_runs(agency=agency)
    ]
    context = {
        "agency": agency,
        "settings": privacy_settings(agency),
        "runs": runs,
        "labels": labels,
    }
    return render(request, "web/privacy/purge.html", context)


@login_required
@require_POST
def retention_dry_run(request: HttpRequest) -> HttpResponse:
    """Count what the purge would delete today (nothing is deleted); back to the list."""
    agency = _hr_agency(request)
    privacy_purge(agency=agency, dry_run=True, by=request.user)
    return redirect("web:privacy_retention")
