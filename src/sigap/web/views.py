"""Pages: sign-in, the role home page, the profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sigap.core.exceptions import DomainError
from sigap.org.selectors import employee_for_user, office_info_for, roles_of, scope_for
from sigap.org.services import client_ip, user_sign_in
from sigap.web.forms import SignInForm


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    form = SignInForm(request.POST or None)
    status, retry_after = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            user = user_sign_in(
                request=request,
                login=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            status, retry_after = exc.status, getattr(exc, "retry_after", None)
        else:
            login(request, user)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = ""
            return redirect(target or "web:home")
    response = render(request, "registration/login.html", {"form": form}, status=status)
    if retry_after is not None:  # 429 while locked out: say when to come back
        response["Retry-After"] = str(retry_after)
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    employee = employee_for_user(request.user)
    context = {
        "employee": employee,
        "roles": roles_of(scope),
        "scope": scope,
        "subordinate_count": (
            scope.employees().filter(supervisor_id=scope.employee_id).count()
            if scope.is_supervisor
            else 0
        ),
        "headed_units": list(scope.units().filter(pk__in=scope.headed_unit_ids)),
    }
    return render(request, "web/home.html", context)


@require_safe
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    employee = employee_for_user(request.user)
    office = office_info_for(employee) if employee else None
    return render(request, "web/profile.html", {"employee": employee, "office": office})


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("web:profile")
    return render(request, "web/password_change.html", {"form": form})


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """The PWA manifest: the check-in page installs as an app."""
    return JsonResponse(
        {
            "name": "SIGAP Presensi",
            "short_name": "SIGAP",
            "lang": "id",
            "start_url": reverse("web:check_in"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#f4f6f8",
            "theme_color": "#0b5d7a",
            "icons": [
                {"src": static("web/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("web/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            ],
        },
        content_type="application/manifest+json",
    )


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the site root so that its scope covers every page."""
    path = finders.find("web/sw.js")
    with open(path, encoding="utf-8") as handle:  # type: ignore[arg-type]
        body = handle.read()
    response = HttpResponse(body, content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
