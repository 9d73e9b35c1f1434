"""Forms of the performance pages: the daily report's activity rows (a formset: rows are
added by report.js from `empty_form`; rows left blank are ignored), the review queue's
filters, and the task assignment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from sigap.core.exceptions import DomainError
from sigap.org.models import Employee
from sigap.performance.models import Activity, ReportStatus, Task
from sigap.performance.services.reports import EVIDENCE_PATH

MAX_ACTIVITIES = 100
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityForm(forms.Form):
    """One activity row. Types are checked here; the report's rules by the service."""

    description = forms.CharField(
        label=_("What did you do?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    output_qty = forms.DecimalField(
        label=_("Output"),
        required=False,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"}),
    )
    output_unit = forms.CharField(
        label=_("Unit"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. dokumen")}),
    )
    minutes = forms.IntegerField(
        label=_("Minutes"),
        required=False,
        widget=forms.NumberInput(attrs={"min": "1", "max": "1440", "inputmode": "numeric"}),
    )
    task = forms.TypedChoiceField(label=_("Task"), required=False, coerce=int, empty_value=None)
    evidence_file = forms.FileField(
        label=_("Photo or PDF"),
        required=False,
        widget=forms.FileInput(
            attrs={"accept": "image/*,application/pdf", "capture": "environment"}
        ),
    )
    evidence_url = forms.CharField(
        label=_("or a link"),
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    # an evidence file uploaded earlier (EVIDENCE_PATH<id>/), kept unless removed
    evidence_kept = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args: Any, task_choices: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        task = self.fields["task"]
        assert isinstance(task, forms.TypedChoiceField)
        task.choices = [("", _("No task")), *(task_choices or [])]

    def activity(self, evidence_url: str | None) -> dict[str, Any]:
        """The row as the API's activity (daily_report_submit's input)."""
        data = self.cleaned_data
        return {
            "description": data["description"],
            "output_qty": data["output_qty"] if data["output_qty"] is not None else 0,
            "output_unit": data["output_unit"],
            "minutes": data["minutes"] if data["minutes"] is not None else 0,
            "evidence_url": evidence_url,
            "task_id": data["task"],
        }

    def kept_evidence(self) -> str:
        """The uploaded file this row keeps, for the page's link (an evidence path only)."""
        value = str(self["evidence_kept"].value() or "")
        key = value.removeprefix(EVIDENCE_PATH).rstrip("/")
        return value if value.startswith(EVIDENCE_PATH) and key.isdigit() else ""

    def evidence_link(self) -> str | None:
        """The kept upload, else the typed link (a new file is uploaded by the caller)."""
        return self.cleaned_data["evidence_kept"] or self.cleaned_data["evidence_url"] or None


class ActivityFormSet(forms.BaseFormSet):
    def filled(self) -> list[ActivityForm]:
        """The rows with something in them, in page order (what the service numbers)."""
        return [form for form in self.forms if form.has_changed()]

    def add_domain_error(self, exc: DomainError) -> list[str]:
        """Put a refusal's issues on their rows; return what belongs to the whole report."""
        filled = self.filled()
        issues = list(exc.detail.get("issues") or [])
        if not issues and "index" in exc.detail:
            issues = [{"index": exc.detail["index"], "message": str(exc.message)}]
        page: list[str] = []
        for issue in issues:
            index = issue.get("index")
            if index is None or not 0 <= index < len(filled):
                page.append(str(issue["message"]))
                continue
            form = filled[index]
            field = issue.get("field")
            form.add_error(field if field in form.fields else None, str(issue["message"]))
        if not issues:
            fields = exc.detail.get("fields") or {}
            page += [str(exc.message), *(str(m) for m in fields.values())]
        return page


def activity_formset(
    *, tasks: list[Task], initial: list[dict] | None = None, data=None, files=None
) -> ActivityFormSet:
    """The rows of a report: `initial` rows, or one empty row to start with."""
    choices = [(t.pk, task_label(t)) for t in tasks]
    formset_class = forms.formset_factory(
        ActivityForm,
        formset=ActivityFormSet,
        extra=0 if initial else 1,
        max_num=MAX_ACTIVITIES,
        absolute_max=MAX_ACTIVITIES,
        validate_max=True,
    )
    formset = formset_class(
        data,
        files,
        initial=initial,
        prefix="activity",
        form_kwargs={"task_choices": choices},
    )
    assert isinstance(formset, ActivityFormSet)
    return formset


def task_label(task: Task) -> str:
    return f"{task.title} · {date_format(task.due, 'j M Y')}"


def activity_rows(activities: list[Activity], *, with_evidence: bool = True) -> list[dict]:
    """Stored activities as the form's initial rows (without evidence when repeating)."""
    return [
        {
            "description": a.description,
            "output_qty": _plain(a.output_qty),
            "output_unit": a.output_unit,
            "minutes": a.minutes,
            "task": a.task_id,
            "evidence_url": a.evidence_url if with_evidence else "",
            "evidence_kept": f"{EVIDENCE_PATH}{a.evidence_id}/"
            if with_evidence and a.evidence_id
            else "",
        }
        for a in activities
    ]


def _plain(quantity: Decimal) -> Decimal | int:
    """1 rather than 1.00, 1.5 rather than 1.50 in the number input."""
    return int(quantity) if quantity == quantity.to_integral_value() else quantity.normalize()


# --- the review queue ------------------------------------------------------------------

STATUS_ALL = "all"


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[*ReportStatus.choices, (STATUS_ALL, _("all"))],
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("Until"), required=False, widget=DATE_INPUT)
    person = forms.CharField(
        label=_("Person (NIP or name)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def filters(self) -> dict[str, Any]:
        """The selector's filters; a garbled field is ignored, the status defaults to
        `submitted` (waiting for review)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        status = data.get("status") or ReportStatus.SUBMITTED
        return {
            "status": None if status == STATUS_ALL else status,
            "start": data.get("start"),
            "end": data.get("end"),
            "person": data.get("person") or "",
        }


# --- tasks -----------------------------------------------------------------------------


class AssigneeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.unit.name}"


class TaskAssignForm(forms.Form):
    assignee = AssigneeField(label=_("Assign to"), queryset=Employee.objects.none())
    title = forms.CharField(label=_("Task"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target_qty = forms.DecimalField(
        label=_("Target"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"}),
    )
    target_unit = forms.CharField(
        label=_("Unit"), max_length=60, widget=forms.TextInput(attrs={"placeholder": "dokumen"})
    )
    due = forms.DateField(label=_("Due date"), widget=DATE_INPUT)

    def __init__(self, *args: Any, assignees: QuerySet[Employee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = assignees

    def add_domain_error(self, exc: DomainError) -> None:
        fields = exc.detail.get("fields") or {}
        for name, message in fields.items():
            self.add_error(name if name in self.fields else None, str(message))
        if not fields:
            self.add_error(None, str(exc.message))


def default_due(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=7)
