"""Back office: the TPP deduction tables (versions with their bands and leave rates), the
statements (read-only) and the duty-to-examine alerts (read-only)."""

from __future__ import annotations

import copy
import datetime as dt

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import construct_instance
from django.http import HttpRequest
from django.utils.translation import gettext as _

from sigap.core import clock
from sigap.discipline import rules
from sigap.discipline.messages import problem_message
from sigap.discipline.models import (
    DisciplineAlert,
    TppBand,
    TppLeaveRate,
    TppStatement,
    TppTableVersion,
)
from sigap.discipline.tables import frozen_months_of, table_from_rows, version_problems
from sigap.discipline.tasks import refresh_agency
from sigap.org.admin import AgencyScopedAdmin
from sigap.org.models import Agency
from sigap.org.selectors import scope_for

VERSION_FIELDS = (
    "effective_from",
    "effective_until",
    "absent_rate",
    "missed_rollcall_rate",
    "discipline_share",
    "cap",
    "missing_punch_minutes",
    "__all__",
)


class TableVersionForm(forms.ModelForm):
    class Meta:
        model = TppTableVersion
        fields = [
            "agency",
            "name",
            "effective_from",
            "effective_until",
            "absent_rate",
            "missed_rollcall_rate",
            "discipline_share",
            "cap",
            "convert_minutes",
            "missing_punch_minutes",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        version = construct_instance(self, copy.copy(self.instance))
        bands = list(version.bands.all()) if version.pk else []
        leave = list(version.leave_rates.all()) if version.pk else []
        problems = version_problems(version, bands, leave)
        errors = {f: m for f, m in problems.items() if f in VERSION_FIELDS}
        if errors:
            raise ValidationError(errors)
        return cleaned


def _complete(version: TppTableVersion) -> TppTableVersion:
    """The version with the shipped values where its own form left a field empty (that
    form reports the error; the rows are still checked on their own)."""
    table, filled = rules.DEFAULT_TABLE, copy.copy(version)
    for name in ("absent_rate", "missed_rollcall_rate", "discipline_share", "cap"):
        if getattr(filled, name) is None:
            setattr(filled, name, getattr(table, name))
    if filled.missing_punch_minutes is None:
        filled.missing_punch_minutes = table.missing_punch_minutes
    return filled


class _RowsFormSet(forms.BaseInlineFormSet):
    """Validates the inline rows together with the version (the same checks as the rules)."""

    fields_checked: tuple[str, ...] = ()

    def rows(self) -> list:
        kept = []
        for form in self.forms:
            if not form.is_valid() or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            kept.append(form.save(commit=False))
        return kept

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        version = _complete(self.instance)
        frozen = frozen_months_of(version)
        if frozen and self.has_changed():
            months = ", ".join(f"{m:02d}/{y}" for y, m in frozen)
            raise ValidationError(
                _("This version was used for locked months (%(months)s) and cannot change.")
                % {"months": months}
            )
        table = self.table(version)
        found = [p for p in rules.table_problems(table) if p.field in self.fields_checked]
        if found:
            raise ValidationError([problem_message(p) for p in found])

    def table(self, version: TppTableVersion) -> rules.TppTable:
        """The version's table with this formset's rows in place of the stored ones."""
        saved_bands = list(version.bands.all()) if version.pk else []
        saved_leave = list(version.leave_rates.all()) if version.pk else []
        if self.model is TppBand:
            return table_from_rows(version, self.rows(), saved_leave)
        return table_from_rows(version, saved_bands, self.rows())


class BandFormSet(_RowsFormSet):
    fields_checked = ("late_bands", "early_bands")


class LeaveFormSet(_RowsFormSet):
    fields_checked = ("leave_rates",)


def default_band_rows() -> list[dict]:
    """A new version's form starts with the shipped bands (DOMAIN.md section 6)."""
    table = rules.DEFAULT_TABLE
    return [
        {"kind": kind, "code": b.code, "low": b.low, "high": b.high, "rate": b.rate}
        for kind, bands in (("late", table.late_bands), ("early", table.early_bands))
        for b in bands
    ]


class BandInline(admin.TabularInline):
    model = TppBand
    formset = BandFormSet

    def get_extra(self, request: HttpRequest, obj=None, **kwargs) -> int:
        return len(default_band_rows()) if obj is None else 0


class LeaveRateInline(admin.TabularInline):
    model = TppLeaveRate
    formset = LeaveFormSet
    extra = 0


@admin.register(TppTableVersion)
class TppTableVersionAdmin(AgencyScopedAdmin):
    form = TableVersionForm
    list_display = ["name", "agency", "effective_from", "effective_until", "discipline_share"]
    list_filter = ["agency"]
    inlines = [BandInline, LeaveRateInline]

    def save_related(self, request: HttpRequest, form, formsets, change) -> None:
        """Open months the version covers are recomputed (a locked month never changes)."""
        super().save_related(request, form, formsets, change)
        version = form.instance
        today = clock.today(version.agency.time_zone)
        last = today.replace(day=1) - dt.timedelta(days=1)
        for day in (last, today):
            first = day.replace(day=1)
            covered = version.effective_from <= first and (
                version.effective_until is None or version.effective_until >= first
            )
            if covered:
                agency_id, year, month = version.agency_id, day.year, day.month
                transaction.on_commit(
                    lambda a=agency_id, y=year, m=month: refresh_agency.delay(a, y, m)
                )

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "agency":
            scope = scope_for(request.user)
            if not scope.all_agencies:
                kwargs["queryset"] = Agency.objects.filter(pk=scope.agency_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        table = rules.DEFAULT_TABLE
        return {
            "absent_rate": table.absent_rate,
            "missed_rollcall_rate": table.missed_rollcall_rate,
            "discipline_share": table.discipline_share,
            "cap": table.cap,
            "missing_punch_minutes": table.missing_punch_minutes,
            **super().get_changeform_initial_data(request),
        }

    def get_formset_kwargs(self, request: HttpRequest, obj, inline, prefix) -> dict:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BandInline) and obj.pk is None and request.method == "GET":
            kwargs["initial"] = default_band_rows()
        return kwargs

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and frozen_months_of(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(TppStatement)
class TppStatementAdmin(AgencyScopedAdmin):
    agency_field = "employee__agency"
    list_display = ["employee", "year", "month", "deduction_pct", "final_pct", "frozen_at"]
    list_filter = ["year", "month"]
    search_fields = ["employee__nip", "employee__name"]
    raw_id_fields = ["employee", "table_version"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(DisciplineAlert)
class DisciplineAlertAdmin(AgencyScopedAdmin):
    agency_field = "employee__agency"
    list_display = [
        "employee",
        "year",
        "threshold",
        "consecutive",
        "sanction",
        "raised_at",
        "acknowledged_at",
        "escalated_at",
    ]
    list_filter = ["year", "level", "consecutive"]
    search_fields = ["employee__nip", "employee__name"]
    raw_id_fields = ["employee", "supervisor", "acknowledged_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
