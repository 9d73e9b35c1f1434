"""Devices: the phones an employee signs in from, and HR's decision on each.

Decisions:
- Every sign-in through the API (POST /auth/token) records its device (`device_sign_in`,
  registered as a token check from the app config). Accounts without an employee record
  and browser sessions are not concerned.
- An employee's first device is approved at once. A new one waits for HR: under the
  agency's `new_device = "approval"` (the default) it gets no token until HR approves it
  (403 `device_not_approved`); under `"flag"` it gets a token and its check-ins carry the
  `new_device` reason until HR decides. A rejected device never gets a token (403
  `device_rejected`); rejecting a device revokes its live tokens.
- HR admins of the agency see and decide its devices (`devices_for_hr`, `device_decide`);
  others get Forbidden, another agency's device is NotFound.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from sigap.core import clock
from sigap.core.exceptions import Forbidden, InvalidInput, NotFound
from sigap.core.models import ApiToken, User
from sigap.core.tokens import token_revoke
from sigap.org.models import Employee, Role
from sigap.org.selectors import scope_for
from sigap.verification.models import Device, DeviceStatus
from sigap.verification.settings import verification_settings

NAME_MAX = 128


class DeviceNotApproved(Forbidden):
    code = "device_not_approved"
    default_message = _(
        "This device is not approved yet. Your HR admin (BKPSDM) must approve it before "
        "you can sign in on it; your first device remains usable."
    )


class DeviceRejected(Forbidden):
    code = "device_rejected"
    default_message = _(
        "Your HR admin (BKPSDM) has rejected this device. Sign in on your approved device, "
        "or contact HR."
    )


# --- signing in ------------------------------------------------------------------------


def device_sign_in(*, user: User, device_id: str, device_name: str) -> None:
    """Record the device of a sign-in and refuse it when HR has not allowed it (the token
    check registered with sigap.core.api_auth; raises before any token is issued)."""
    employee = Employee.objects.select_related("agency").filter(user=user, active=True).first()
    if employee is None:
        return
    device = device_record(employee=employee, device_id=device_id, device_name=device_name)
    if device.status == DeviceStatus.REJECTED:
        raise DeviceRejected(detail={"device_id": device.device_id})
    if (
        device.status == DeviceStatus.PENDING
        and verification_settings(employee.agency).new_device == "approval"
    ):
        raise DeviceNotApproved(detail={"device_id": device.device_id})


@transaction.atomic
def device_record(*, employee: Employee, device_id: str, device_name: str) -> Device:
    """The employee's device `device_id`, created on first sight (approved when it is the
    employee's first device, else pending) or with its last sighting updated."""
    now = clock.now()
    # one decision at a time per employee: two first sign-ins cannot both be "the first"
    Employee.objects.select_for_update().filter(pk=employee.pk).values_list("pk").first()
    name = (device_name or "").strip()[:NAME_MAX]
    device = Device.objects.filter(employee=employee, device_id=device_id).first()
    if device is not None:
        device.last_seen_at = now
        fields = ["last_seen_at"]
        if name and name != device.device_name:
            device.device_name = name
            fields.append("device_name")
        device.save(update_fields=fields)
        return device
    first = not Device.objects.filter(employee=employee).exists()
    device = Device(
        employee=employee,
        device_id=device_id,
        device_name=name,
        status=DeviceStatus.APPROVED if first else DeviceStatus.PENDING,
        first_seen_at=now,
        last_seen_at=now,
        decided_at=now if first else None,
    )
    device.full_clean()
    device.save()
    return device


# --- HR --------------------------------------------------------------------------------


def hr_agency_id(user: User) -> int:
    """The agency the user is HR admin of (Forbidden otherwise)."""
    scope = scope_for(user)
    if not scope.has_role(Role.HR_ADMIN) or scope.agency_id is None:
        raise Forbidden(_("Only the agency's HR admin may do this."))
    return scope.agency_id


def devices_for_hr(*, user: User, search: str = "") -> QuerySet[Device]:
    """The agency's devices by employee (name, then id); each employee's pending devices
    first, then the most recently seen. `search`: the start of a NIP or part of a name."""
    agency_id = hr_agency_id(user)
    devices = Device.objects.filter(employee__agency_id=agency_id)
    search = search.strip()
    if search:
        devices = devices.filter(
            Q(employee__nip__startswith=search) | Q(employee__name__icontains=search)
        )
    pending_first = Case(
        When(status=DeviceStatus.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return devices.select_related("employee", "employee__unit", "decided_by").order_by(
        "employee__name", "employee_id", pending_first, "-last_seen_at", "pk"
    )


def devices_pending(devices: QuerySet[Device]) -> QuerySet[Device]:
    """The pending ones of `devices_for_hr`, the longest waiting first."""
    return devices.filter(status=DeviceStatus.PENDING).order_by("first_seen_at", "pk")


DECISIONS = {"approve": DeviceStatus.APPROVED, "reject": DeviceStatus.REJECTED}


@transaction.atomic
def device_decide(*, user: User, device_pk: int, decision: str) -> Device:
    """HR approves or rejects a device (either can be changed later). Rejecting revokes
    the device's live tokens: its next request is 401."""
    agency_id = hr_agency_id(user)
    status = DECISIONS.get(decision)
    if status is None:
        raise InvalidInput(_("Choose approve or reject."), code="invalid_decision")
    device = (
        Device.objects.select_for_update()
        .filter(pk=device_pk, employee__agency_id=agency_id)
        .select_related("employee")
        .first()
    )
    if device is None:
        raise NotFound(_("No such device in your agency."))
    device.status = status
    device.decided_at = clock.now()
    device.decided_by = user
    device.save(update_fields=["status", "decided_at", "decided_by"])
    if status == DeviceStatus.REJECTED and device.employee.user_id is not None:
        live = ApiToken.objects.filter(
            user_id=device.employee.user_id, device_id=device.device_id, revoked_at__isnull=True
        )
        for token in live:
            token_revoke(token=token)
            # again after the commit: a request resolving the token meanwhile re-cached it
            transaction.on_commit(partial(token_revoke, token=token))
    return device
