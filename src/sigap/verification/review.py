"""The inspector's review of check-ins flagged by verification: who may review (`review_area`,
`check_in_for_review`), the queue (`review_queue`, `review_items`), the decision
(`review_decide`) and the decisions log (`decisions_log`).

Flagged: waiting for review because verification flagged it (`review: pending` with
"verification" among its review reasons), or a risk score at or above the agency's review
threshold, and not voided. Decided: a decision exists and nothing flagged it again since
(a surprise inspection puts a cleared check-in back to pending).

Who: inspectors and HR admins see their agency, unit heads their subtree (read and
decide); nobody decides on their own check-in. Others get Forbidden; a unit or check-in of
another agency is NotFound.

Confirm (cheating confirmed) voids the check-in (`review: rejected`, it no longer counts),
recomputes its day and tells the employee and their supervisor; clear lets it stand
(`review: accepted`). Either way the decision is kept with its note, reasons and score:
the case file for discipline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sigap.attendance.models import CheckIn, Review
from sigap.attendance.services import attendance_day_recompute
from sigap.core import clock
from sigap.core.exceptions import Conflict, Forbidden, InvalidInput, NotFound
from sigap.core.models import User
from sigap.core.notifications import notify
from sigap.org.models import Agency, Role, Unit
from sigap.org.rules import subtree
from sigap.org.selectors import Scope, unit_children_map
from sigap.verification.models import (
    CheckVerification,
    Decision,
    FaceOutcome,
    FaceReference,
    Finding,
    InspectionEntry,
    ReferenceStatus,
    ReviewDecision,
)
from sigap.verification.reasons import ReasonLine, local_time, reason_line
from sigap.verification.rules import WEIGHTS
from sigap.verification.settings import verification_settings

REVIEW_ROLES = frozenset({Role.INSPECTOR, Role.HR_ADMIN})
VERIFICATION_REASON = "verification"
NOTE_MAX = 2000
MONTH_URL = "/presensi/bulan/"

ACTIONS = {"confirm": Decision.CONFIRMED, "clear": Decision.CLEARED}

# --- who may review ------------------------------------------------------------------------


def may_review(scope: Scope) -> bool:
    """Inspectors and HR admins of an agency, and unit heads."""
    if scope.agency_id is None:
        return False
    return bool(scope.roles & REVIEW_ROLES) or bool(scope.headed_unit_ids)


def _agency_id(scope: Scope) -> int:
    if scope.agency_id is None or not may_review(scope):
        raise Forbidden()
    return scope.agency_id


@dataclass(frozen=True, slots=True)
class ReviewArea:
    """What a reviewer sees: an agency and its threshold, and the units (None: all of it)."""

    agency: Agency
    unit_ids: frozenset[int] | None
    threshold: int
    employee_id: int | None

    def includes(self, check_in: CheckIn) -> bool:
        employee = check_in.employee
        if employee.agency_id != self.agency.pk:
            return False
        return self.unit_ids is None or employee.unit_id in self.unit_ids


def review_area(*, scope: Scope, unit_id: int | None = None) -> ReviewArea:
    """The reviewer's area, narrowed to a unit's subtree when one is given. Fails closed."""
    agency = Agency.objects.get(pk=_agency_id(scope))
    agency_wide = bool(scope.roles & REVIEW_ROLES)
    units: frozenset[int] | None = None if agency_wide else frozenset(scope.unit_ids)
    if unit_id is not None:
        if not Unit.objects.filter(pk=unit_id, agency_id=agency.pk).exists():
            raise NotFound(_("No such unit."))
        if units is not None and unit_id not in units:
            raise Forbidden()
        units = frozenset(subtree(unit_children_map(agency.pk), unit_id))
    threshold = verification_settings(agency).review_threshold
    return ReviewArea(agency, units, threshold, scope.employee_id)


def review_units(scope: Scope) -> list[Unit]:
    """The units a reviewer may filter by."""
    if not may_review(scope):
        return []
    units = Unit.objects.filter(agency_id=_agency_id(scope), active=True)
    if not scope.roles & REVIEW_ROLES:
        units = units.filter(pk__in=scope.unit_ids)
    return list(units.only("pk", "name", "code").order_by("name", "pk"))


def _in_area(area: ReviewArea) -> Q:
    condition = Q(employee__agency_id=area.agency.pk)
    if area.unit_ids is not None:
        condition &= Q(employee__unit_id__in=area.unit_ids)
    return condition


# --- the queue -------------------------------------------------------------------------------


def flagged_condition(threshold: int) -> Q:
    by_verification = Q(review=Review.PENDING, review_reasons__icontains=f'"{VERIFICATION_REASON}"')
    risky = Q(risk_score__gte=threshold) & ~Q(review=Review.REJECTED)
    undecided = Q(review=Review.PENDING) | ~Exists(
        ReviewDecision.objects.filter(check_in=OuterRef("pk"))
    )
    return Q(by_verification | risky) & Q(undecided)


def is_flagged(check_in: CheckIn, threshold: int) -> bool:
    """The same test as `flagged_condition` for one loaded check-in (decisions aside)."""
    if check_in.review == Review.PENDING and VERIFICATION_REASON in check_in.review_reasons:
        return True
    return check_in.risk_score >= threshold and check_in.review != Review.REJECTED


def review_queue(*, area: ReviewArea, date: dt.date | None = None) -> QuerySet[CheckIn]:
    """Flagged, undecided check-ins of the area, newest first, ready for `review_items`."""
    found = CheckIn.objects.filter(_in_area(area), flagged_condition(area.threshold))
    if date is not None:
        found = found.filter(work_date=date)
    references = FaceReference.objects.filter(status=ReferenceStatus.ACTIVE).only(
        "pk", "employee_id", "status", "created_at"
    )
    return (
        found.select_related("employee", "employee__unit", "checked")
        .prefetch_related(
            Prefetch(
                "employee__face_references",
                queryset=references.order_by("created_at", "pk"),
                to_attr="active_references",
            )
        )
        .order_by("-recorded_at", "-pk")
    )


def check_in_for_review(*, scope: Scope, check_in_id: int) -> CheckIn:
    """A check-in the caller may decide on (flagged or not: the service says)."""
    area = review_area(scope=scope)
    event = (
        CheckIn.objects.select_related(
            "employee", "employee__unit", "employee__supervisor", "employee__agency"
        )
        .filter(pk=check_in_id)
        .first()
    )
    if event is None or event.employee.agency_id != area.agency.pk:
        raise NotFound(_("No such check-in."))
    if not area.includes(event) or event.employee_id == area.employee_id:
        raise Forbidden()
    return event


def reference_for_review(*, scope: Scope, reference_id: int) -> FaceReference:
    """An active reference photo of someone in the reviewer's area."""
    area = review_area(scope=scope)
    reference = (
        FaceReference.objects.filter(_in_area(area), pk=reference_id, status=ReferenceStatus.ACTIVE)
        .exclude(image="")
        .first()
    )
    if reference is None:
        raise NotFound()
    return reference


# --- reasons in words ----------------------------------------------------------------------


def case_reasons(
    risk_codes: list[str], verified: list[dict] | None, extra: dict[str, dict] | None = None
) -> list[dict]:
    """A check-in's reasons with their details: what verification found (`verified`), then
    any reason added since (a surprise inspection), with the detail given in `extra`."""
    reasons = [dict(r) for r in verified or []]
    known = {r.get("code") for r in reasons}
    for code in risk_codes:
        if code not in known:
            detail = (extra or {}).get(code, {})
            reasons.append({"code": code, "weight": WEIGHTS.get(code, 0), **detail})
    return reasons


@dataclass
class ReviewItem:
    check_in: CheckIn
    face: str
    face_label: str
    distance: float | None
    references: list[FaceReference]
    reasons: list[ReasonLine]


def _inspection_details(check_ins: list[CheckIn]) -> dict[int, dict[str, dict]]:
    ids = [c.pk for c in check_ins if "absent_at_inspection" in c.risk_reasons]
    if not ids:
        return {}
    rows = InspectionEntry.objects.filter(
        check_in_id__in=ids, finding=Finding.ABSENT_BUT_CHECKED_IN
    ).values_list("check_in_id", "inspection__at")
    return {
        check_in_id: {"absent_at_inspection": {"at": at.isoformat()}} for check_in_id, at in rows
    }


def review_items(check_ins) -> list[ReviewItem]:
    """Presentation rows for check-ins from `review_queue` (at most one more query)."""
    events = list(check_ins)
    extra = _inspection_details(events)
    items = []
    for event in events:
        checked = getattr(event, "checked", None)
        face = checked.face if checked is not None else ""
        items.append(
            ReviewItem(
                check_in=event,
                face=face,
                face_label=str(FaceOutcome(face).label) if face in FaceOutcome.values else "",
                distance=checked.distance if checked is not None else None,
                references=list(getattr(event.employee, "active_references", [])),
                reasons=[
                    reason_line(r, event.time_zone)
                    for r in case_reasons(
                        event.risk_reasons,
                        checked.reasons if checked is not None else None,
                        extra.get(event.pk),
                    )
                ],
            )
        )
    return items


# --- the decision ---------------------------------------------------------------------------


def review_decide(*, check_in: CheckIn, by: User, action: str, note: str) -> ReviewDecision:
    """Confirm (void the check-in) or clear (let it stand) a flagged check-in, once.
    `check_in` comes from `check_in_for_review` (the caller is authorised)."""
    decision = ACTIONS.get(action)
    if decision is None:
        raise InvalidInput(detail={"fields": {"decision": ["confirm or clear"]}})
    note = (note or "").strip()[:NOTE_MAX]
    if decision == Decision.CONFIRMED and not note:
        raise InvalidInput(
            _("Write down what was found before confirming."),
            detail={"fields": {"note": ["required"]}},
        )
    employee = check_in.employee
    threshold = verification_settings(employee.agency).review_threshold
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update().get(pk=check_in.pk)
        decided = ReviewDecision.objects.filter(check_in_id=locked.pk).exists()
        if decided and locked.review != Review.PENDING:
            raise Conflict(_("This check-in has already been decided."), code="already_decided")
        if not is_flagged(locked, threshold):
            raise Conflict(_("This check-in is not flagged for review."), code="not_flagged")
        record = _record(locked, decision=decision, note=note, by=by)
        attendance_day_recompute(employee=employee, date=locked.work_date)
        if decision == Decision.CONFIRMED:
            _notify_confirmed(locked, employee, note)
    return record


def _record(locked: CheckIn, *, decision: str, note: str, by: User) -> ReviewDecision:
    """Write the outcome on the (locked) check-in and keep the decision with its case."""
    now = clock.now()
    locked.review = Review.REJECTED if decision == Decision.CONFIRMED else Review.ACCEPTED
    locked.reviewed_by, locked.reviewed_at, locked.review_note = by, now, note
    locked.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note"])
    verified = CheckVerification.objects.filter(check_in_id=locked.pk)
    reasons = case_reasons(
        locked.risk_reasons,
        verified.values_list("reasons", flat=True).first(),
        _inspection_details([locked]).get(locked.pk),
    )
    record = ReviewDecision(
        check_in=locked,
        employee_id=locked.employee_id,
        decision=decision,
        note=note,
        reasons=reasons,
        score=locked.risk_score,
        by=by,
        at=now,
    )
    record.full_clean(exclude=["check_in", "employee", "by", "note", "reasons"])
    record.save(force_insert=True)
    return record


def _notify_confirmed(check_in: CheckIn, employee, note: str) -> None:
    when = local_time(check_in.recorded_at, check_in.time_zone)
    body = " - ".join(filter(None, [f"{check_in.get_kind_display()} {when}", note]))
    notify(
        user_id=employee.user_id,
        kind="verification",
        title=gettext("Your check-in was voided after review"),
        body=body,
        url=MONTH_URL,
    )
    supervisor = employee.supervisor
    if supervisor is not None and supervisor.active:
        notify(
            user_id=supervisor.user_id,
            kind="verification",
            title=gettext("A check-in of %(name)s was voided after review")
            % {"name": employee.name},
            body=body,
        )


# --- the decisions log -----------------------------------------------------------------------


def decisions_log(
    *, area: ReviewArea, decision: str | None = None, date: dt.date | None = None
) -> QuerySet[ReviewDecision]:
    found = ReviewDecision.objects.filter(_in_area(area))
    if decision in Decision.values:
        found = found.filter(decision=decision)
    if date is not None:
        found = found.filter(check_in__work_date=date)
    return found.select_related(
        "employee", "employee__unit", "check_in", "by", "by__employee"
    ).order_by("-at", "-pk")
