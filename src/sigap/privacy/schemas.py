"""API schemas that carry another person's identifiers, masked for the caller.

`PersonRef` (`{"nip", "name"}`, API.md's shape for a person) resolves its `nip` from the
request in the validation context that django-ninja passes to response schemas: the full
NIP to the person, their supervisor, unit head, HR and inspectors, a masked one (still a
string of the same length) to anybody else (sigap.privacy.rules.AUDIENCE). Give it the
Employee row (not a dict) so it can tell: a dict is taken as already decided by its
producer. Without a request in the context the NIP is masked (fails closed).

No query per person: the caller's own row is recognised by its user id (the check-in path
computes no scope), anyone else's from the request's memoised scope and the row's ids."""

from __future__ import annotations

from typing import Any

from ninja import Schema

from sigap.org.models import Employee
from sigap.org.selectors import scope_for
from sigap.privacy import masking
from sigap.privacy.rules import Field, mask_nip, masked


def viewer_user_id(request: Any) -> int | None:
    """The caller's user id without loading the user (an API token knows it)."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return int(token.user_id)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return int(user.pk)


def nip_seen_by_request(request: Any, employee: Employee) -> str:
    """`employee`'s NIP as the user of `request` may see it."""
    nip = employee.nip or ""
    if request is None:
        return mask_nip(nip)
    own = employee.user_id if "user_id" not in employee.get_deferred_fields() else None
    if own is not None and own == viewer_user_id(request):
        return nip
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return mask_nip(nip)
    return masked(Field.NIP, nip, masking.relations_to(scope_for(user), employee))


class PersonRef(Schema):
    nip: str
    name: str

    @staticmethod
    def resolve_nip(obj: Any, context: Any = None) -> str:
        if isinstance(obj, Employee):
            return nip_seen_by_request((context or {}).get("request"), obj)
        return obj["nip"] if isinstance(obj, dict) else obj.nip
