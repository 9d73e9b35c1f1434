"""The privacy notice (/privasi/): what SIGAP collects, why (the agency's legal duty, not
consent), who sees what, how long it is kept (the agency's own retention settings), the
person's rights under UU 27/2022 and where to exercise them, the breach notice and the
agency's data protection contact. Open without signing in (linked from the login page and
the phone check-in page).

The long legal text is one template per language (web/privacy/notice_id.html, the default,
and notice_en.html), chosen by the active language; the page around it uses gettext.

Which agency: the signed-in user's; otherwise `?instansi=<agency code>`, or the only agency
of a deployment that serves one. Without one the shipped defaults are shown."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from sigap.org.models import Agency
from sigap.org.selectors import scope_for
from sigap.privacy.contact import DpoContact, dpo_contact
from sigap.privacy.rules import RetentionSettings
from sigap.privacy.settings import privacy_settings

BODIES = {"id": "web/privacy/notice_id.html", "en": "web/privacy/notice_en.html"}


def notice_agency(request: HttpRequest) -> Agency | None:
    """The agency whose notice is shown (see the module docstring)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        agency_id = scope_for(user).agency_id
        if agency_id is not None:
            return Agency.objects.filter(pk=agency_id).first()
    code = request.GET.get("instansi", "")[:40]
    if code:
        return Agency.objects.filter(code=code).first()
    agencies = list(Agency.objects.order_by("pk")[:2])
    return agencies[0] if len(agencies) == 1 else None


def _retention(agency: Agency | None) -> RetentionSettings:
    try:
        return privacy_settings(agency) if agency is not None else RetentionSettings()
    except ValidationError:  # a broken setting is refused when saved; show the defaults
        return RetentionSettings()


def _contact(agency: Agency | None) -> DpoContact:
    try:
        return dpo_contact(agency)
    except ValidationError:
        return DpoContact()


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    agency = notice_agency(request)
    language = (translation.get_language() or "id").split("-")[0]
    context = {
        "agency": agency,
        "retention": _retention(agency),
        "dpo": _contact(agency),
        "body": BODIES.get(language, BODIES["id"]),
    }
    return render(request, "web/privacy/notice.html", context)
