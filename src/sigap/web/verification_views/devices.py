"""/verifikasi/perangkat/: the agency's devices for its HR admin, pending ones first, with
approve / reject (POST). Others get 403, another agency's device 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sigap.core.exceptions import Forbidden, InvalidInput, NotFound
from sigap.verification import devices
from sigap.verification.models import DeviceStatus

PAGE_SIZE = 100
PENDING_SHOWN = 200


def pages(view: Callable) -> Callable:
    """Forbidden -> 403, NotFound -> 404 (as the API says), InvalidInput -> 400."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except InvalidInput as exc:
            raise BadRequest(str(exc.message)) from exc

    return wrapper


@login_required
@require_GET
@pages
def devices_page(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")[:100]
    everything = devices.devices_for_hr(user=request.user, search=search)
    pending = list(devices.devices_pending(everything)[:PENDING_SHOWN])
    page = Paginator(everything, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"pending": pending, "page": page, "search": search}
    return render(request, "web/verification/devices.html", context)


@login_required
@require_POST
@pages
def device_decide(request: HttpRequest, device_id: int) -> HttpResponse:
    device = devices.device_decide(
        user=request.user, device_pk=device_id, decision=request.POST.get("decision", "")
    )
    label = device.device_name or device.device_id
    if device.status == DeviceStatus.APPROVED:
        text = _("Approved: %(device)s of %(name)s.")
    else:
        text = _("Rejected: %(device)s of %(name)s. Its sign-ins were ended.")
    messages.success(request, text % {"device": label, "name": device.employee.name})
    return redirect("web:devices")
