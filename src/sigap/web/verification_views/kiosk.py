"""The office QR kiosk. /verifikasi/kios/: HR creates or rotates each office's kiosk link.
/kios/<office>/<key>/: the full-screen kiosk (no sign-in: the key is the credential),
which polls /kios/<office>/<key>/kode/ for the current code with htmx. A wrong or
outdated key is a 404 (the polling fragment then shows that the link is no longer valid
and stops polling)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sigap.core import clock
from sigap.core.exceptions import NotFound
from sigap.org.models import Office
from sigap.verification import kiosk
from sigap.web.verification_views.devices import pages

POLL_SECONDS = 3


def kiosk_url(request: HttpRequest, office: Office) -> str:
    path = reverse("web:kiosk", args=[office.pk, kiosk.kiosk_key(office)])
    return request.build_absolute_uri(path)


@login_required
@require_GET
@pages
def kiosks_page(request: HttpRequest) -> HttpResponse:
    offices = kiosk.kiosk_offices(user=request.user)
    rows = [{"office": o, "url": kiosk_url(request, o) if o.qr_secret else ""} for o in offices]
    return render(request, "web/verification/kiosks.html", {"rows": rows})


@login_required
@require_POST
@pages
def kiosk_link(request: HttpRequest, office_id: int) -> HttpResponse:
    rotate = request.POST.get("action") == "rotate"
    office = kiosk.kiosk_link_create(user=request.user, office_id=office_id, rotate=rotate)
    if rotate:
        text = _("New kiosk link for %(office)s: the old link and its codes no longer work.")
    else:
        text = _("Kiosk link ready for %(office)s.")
    messages.success(request, text % {"office": office.name})
    return redirect(f"{reverse('web:kiosks')}#office-{office.pk}")


def _code_context(office: Office, key: str) -> dict:
    code = kiosk.kiosk_code(office, clock.now())
    return {
        "office": office,
        "key": key,
        "code": code,
        "svg": mark_safe(code.svg),  # noqa: S308 - segno's own SVG of our token
        "poll_seconds": POLL_SECONDS,
    }


@never_cache
@require_GET
@pages
def kiosk_page(request: HttpRequest, office_id: int, key: str) -> HttpResponse:
    office = kiosk.kiosk_office(office_id=office_id, key=key)
    return render(request, "web/verification/kiosk.html", _code_context(office, key))


@never_cache
@require_GET
def kiosk_code(request: HttpRequest, office_id: int, key: str) -> HttpResponse:
    try:
        office = kiosk.kiosk_office(office_id=office_id, key=key)
    except NotFound:
        return render(request, "web/verification/kiosk_gone.html", status=404)
    return render(request, "web/verification/kiosk_code.html", _code_context(office, key))
