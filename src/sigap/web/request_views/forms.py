"""Forms of the request pages: the new request (fields shown per type), a decision, HR's
filters. Field names follow the API (`date`, `kind`, `time` for a correction), so the
service's field errors and rule issues land on the right field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sigap.attendance.models import Kind, RequestStatus, RequestType
from sigap.attendance.requests.selectors import RequestFilter
from sigap.attendance.requests.services import RequestDraft
from sigap.core.exceptions import DomainError
from sigap.org.selectors import Scope

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALL_TYPES = frozenset(RequestType.values)
RANGE_TYPES = ALL_TYPES - {RequestType.KOREKSI}
# the types a field is shown (and read) for; the others are shown for every type
FIELD_TYPES: dict[str, frozenset[str]] = {
    "start": RANGE_TYPES,
    "end": RANGE_TYPES,
    "date": frozenset({RequestType.KOREKSI}),
    "kind": frozenset({RequestType.KOREKSI}),
    "time": frozenset({RequestType.KOREKSI}),
    "destination": frozenset({RequestType.DL}),
    "destination_latitude": frozenset({RequestType.DL}),
    "destination_longitude": frozenset({RequestType.DL}),
    "government_doctor_note": frozenset({RequestType.CS}),
}
ATTACHMENT_CODES = ("invalid_attachment", "payload_too_large")


def type_choices() -> list[tuple[str, Any]]:
    return [(t.value, format_lazy("{} ({})", t.label, t.value)) for t in RequestType]


def any_type_choices() -> list[tuple[str, Any]]:
    return [("", _("all")), *type_choices()]


class RequestForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=type_choices)
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("Until"), required=False, widget=DATE)
    date = forms.DateField(label=_("Day to correct"), required=False, widget=DATE)
    kind = forms.ChoiceField(
        label=_("Which event"), required=False, choices=[("", "—"), *Kind.choices]
    )
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reference = forms.CharField(label=_("Letter number"), max_length=100, required=False)
    destination = forms.CharField(label=_("Destination"), max_length=200, required=False)
    destination_latitude = forms.FloatField(
        label=_("Latitude (optional)"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    destination_longitude = forms.FloatField(
        label=_("Longitude (optional)"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    attachment = forms.FileField(
        label=_("Attachment (PDF, JPEG or PNG, at most 5 MB)"), required=False
    )
    government_doctor_note = forms.BooleanField(
        label=_("The note is from a government doctor"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.issues: list[dict] = []
        for name, field in self.fields.items():
            field.types = " ".join(sorted(FIELD_TYPES.get(name, ALL_TYPES)))  # type: ignore[attr-defined]

    def draft(self) -> RequestDraft:
        """The draft of the chosen type; the fields of other types are ignored."""
        data = self.cleaned_data
        chosen = data["type"]
        values = {
            name: data.get(name) if chosen in FIELD_TYPES.get(name, ALL_TYPES) else None
            for name in self.fields
        }
        return RequestDraft(
            type=chosen,
            reason=data["reason"],
            start=values["start"],
            end=values["end"],
            reference=data.get("reference") or "",
            destination=values["destination"] or "",
            destination_latitude=values["destination_latitude"],
            destination_longitude=values["destination_longitude"],
            correction_date=values["date"],
            correction_kind=values["kind"] or None,
            correction_time=values["time"],
            government_doctor_note=bool(values["government_doctor_note"]),
        )

    def add_domain_error(self, exc: DomainError) -> None:
        """Field errors under their fields; rule issues listed on top and under their
        fields; anything else as the form's message."""
        fields = exc.detail.get("fields")
        # a rule refusal spreads its first issue's params into detail: "fields" may be
        # correction_fields_required's list of missing fields, not field errors
        fields = fields if isinstance(fields, dict) else {}
        for name, errors in fields.items():
            self.add_error(name if name in self.fields else None, errors)
        self.issues = list(exc.detail.get("issues") or [])
        for issue in self.issues:
            if issue.get("field") in self.fields:
                self.add_error(issue["field"], issue["message"])
        if exc.code in ATTACHMENT_CODES:
            self.add_error("attachment", str(exc.message))
        elif not fields and not self.issues:
            self.add_error(None, str(exc.message))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    note = forms.CharField(max_length=2000, required=False)


def _month(value: str) -> tuple[int, int] | None:
    try:
        day = dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return None
    return day.year, day.month


class RequestFilterForm(forms.Form):
    """HR's filters; a garbled value is ignored rather than refused."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *RequestStatus.choices]
    )
    type = forms.ChoiceField(label=_("Type"), required=False, choices=any_type_choices)
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    month = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    q = forms.CharField(label=_("NIP or name"), required=False, max_length=100)

    def __init__(self, data: Any, *, scope: Scope) -> None:
        super().__init__(data)
        units = scope.units().filter(active=True).order_by("name").values_list("pk", "name")
        self.fields["unit"].choices = [("", _("all")), *units]  # type: ignore[attr-defined]

    def filters(self) -> RequestFilter:
        self.is_valid()  # keeps the valid fields in cleaned_data, drops the others
        valid = self.cleaned_data
        return RequestFilter(
            status=valid.get("status") or "",
            type=valid.get("type") or "",
            unit_id=valid.get("unit"),
            month=_month(valid.get("month") or ""),
            search=(valid.get("q") or "").strip(),
        )
