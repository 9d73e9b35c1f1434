"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

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
    }
