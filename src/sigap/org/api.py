"""Sign-in endpoints of API.md: POST/DELETE /auth/token."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from sigap.core.api_auth import token_checks_run
from sigap.core.tokens import token_issue, token_revoke
from sigap.org.schemas import TokenIn, TokenOut
from sigap.org.selectors import employee_for_user
from sigap.org.services import client_ip, user_sign_in

router = Router(tags=["auth"])


@router.post("/token", auth=None, response={200: TokenOut})
def create_token(request: HttpRequest, payload: TokenIn):
    user = user_sign_in(
        request=request, login=payload.username, password=payload.password, ip=client_ip(request)
    )
    # e.g. verification: a device HR has not approved gets no token (403)
    token_checks_run(user=user, device_id=payload.device_id, device_name=payload.device_name)
    issued = token_issue(user=user, device_id=payload.device_id, device_name=payload.device_name)
    employee = employee_for_user(user)
    return {"token": issued.token, "expires_at": issued.expires_at, "employee": employee}


@router.delete("/token", response={204: None})
def delete_token(request: HttpRequest):
    token_revoke(token=request.api_token)  # type: ignore[attr-defined]
    return HttpResponse(status=204)
