"""Template tags of personal data: another person's NIP, phone, email and home location as
the viewing user may see them (sigap.privacy.rules.AUDIENCE, decided per person from the
request user's scope; no query per person when the employee's ids are loaded).

    {% load privacy %}
    {% nip employee %}                      full to self/supervisor/unit head/HR/inspector,
                                            masked (1985**********012) to anybody else
    {% masked_person employee as m %}       m.nip, m.phone, m.email, m.home_latitude, ...

Without a request (a template rendered outside one) everything is masked: fail closed."""

from __future__ import annotations

from typing import Any

from django import template

from sigap.org.selectors import Scope, scope_for
from sigap.privacy import masking

register = template.Library()

_ANONYMOUS = Scope(user_id=None, agency_id=None, employee_id=None)


def _scope(context: template.Context) -> Scope:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return _ANONYMOUS
    return scope_for(user)


@register.simple_tag(takes_context=True)
def nip(context: template.Context, employee: Any) -> str:
    if employee is None or not getattr(employee, "nip", ""):
        return ""
    return masking.nip_for(_scope(context), employee)


@register.simple_tag(takes_context=True)
def masked_person(context: template.Context, employee: Any) -> masking.MaskedPerson | None:
    if employee is None:
        return None
    scope = _scope(context)
    return masking.masked_person(employee, masking.relations_to(scope, employee))
