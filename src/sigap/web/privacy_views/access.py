"""The access log on the web (DOMAIN.md section 10).

/privasi/akses/: HR admins and inspectors search their agency's log by whose data (NIP or
name), by viewer, data category and date range, 50 a page, with the viewer's address
(403 for anyone else; a NIP that is nobody's in the agency is a 404 with the form).
/privasi/akses-saya/: an employee sees who viewed their own data: the viewer's name, role
and unit, what, when and through which channel (no addresses).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sigap.core.exceptions import DomainError, Forbidden, NotFound
from sigap.org.selectors import employee_for_user, scope_for
from sigap.privacy.access import (
    AccessFilter,
    access_log_allowed,
    access_log_of_subject,
    access_log_search,
    viewer_of,
)
from sigap.privacy.models import AccessLog, DataCategory

PAGE_SIZE = 50


class AccessFilterForm(forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("Whose data (NIP or name)"), max_length=100, required=False
    )
    viewer = forms.CharField(
        label=gettext_lazy("Viewed by (name, user name or NIP)"), max_length=100, required=False
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Data"),
        choices=[("", gettext_lazy("All")), *DataCategory.choices],
        required=False,
    )
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self) -> AccessFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return AccessFilter(
            subject=data.get("subject", ""),
            viewer=data.get("viewer", ""),
            category=data.get("category", ""),
            start=data.get("start"),
            end=data.get("end"),
        )


def _rows(request: HttpRequest, found: QuerySet[AccessLog]) -> dict[str, Any]:
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "rows": [(entry, viewer_of(entry)) for entry in page.object_list],
        "query": query.urlencode(),
    }


@login_required
@require_GET
def access_search(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not access_log_allowed(scope):
        raise PermissionDenied
    form = AccessFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "error": ""}
    status = 200
    try:
        context |= _rows(request, access_log_search(scope=scope, filters=form.filters()))
    except Forbidden as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except DomainError as exc:  # NotFound (a NIP of nobody here), InvalidInput (the range)
        context |= {"error": str(exc.message), "rows": [], "page": None, "query": ""}
        status = 404 if isinstance(exc, NotFound) else exc.status
    return render(request, "web/privacy/access_search.html", context, status=status)


@login_required
@require_GET
def access_mine(request: HttpRequest) -> HttpResponse:
    employee = employee_for_user(request.user)
    if employee is None:
        raise Http404(_("This account is not an employee."))
    context = _rows(request, access_log_of_subject(employee=employee))
    return render(request, "web/privacy/access_mine.html", context)
