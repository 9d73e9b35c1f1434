"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from sigap.attendance.requests.selectors import awaiting_count
from sigap.core import clock
from sigap.org.selectors import roles_of, scope_for


def sigap(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    roles: list[str] = []
    if user is not None and user.is_authenticated:
        roles = roles_of(scope_for(user))
    return {
        "sigap_roles": roles,
        "sigap_now": clock.now(),
        "sigap_frozen": clock.is_frozen(),
        "sigap_demo": settings.SIGAP_DEMO,
        # one COUNT, only for people who can approve something
        "sigap_requests_waiting": awaiting_count(user=user) if roles else 0,
    }
