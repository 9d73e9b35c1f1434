"""Back office for work arrangements, scoped to the HR admin's agency."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sigap.arrangements import rules
from sigap.arrangements.models import (
    EmergencyPolicy,
    FlexibleWorkApplication,
    Room,
    RosterChange,
    RosterEntry,
    WfaRegion,
)
from sigap.arrangements.selectors import arrangements_changed
from sigap.org.admin import AgencyScopedAdmin


class EmergencyPolicyForm(forms.ModelForm):
    class Meta:
        model = EmergencyPolicy
        fields = "__all__"  # noqa: DJ007 (back office of a non-personal table)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wfo_share"].required = False  # a preset level fills it

    def clean(self):
        data = super().clean()
        if data.get("level"):  # a preset decides the share of non-essential units
            data["wfo_share"] = rules.LEVEL_SHARES[data["level"]]
            self.instance.wfo_share = data["wfo_share"]
        if data.get("wfo_share") is None:
            raise ValidationError(_("Choose a preset level or a custom WFO share."))
        problems = rules.validate_policy_shares(
            policy_share=data["wfo_share"],
            essential_share=data.get("essential_share", rules.DEFAULT_ESSENTIAL_SHARE),
            critical_share=data.get("critical_share", rules.DEFAULT_CRITICAL_SHARE),
        )
        if problems:
            raise ValidationError(_("The shares are out of range: %(p)s") % {"p": problems})
        return data


@admin.register(EmergencyPolicy)
class EmergencyPolicyAdmin(AgencyScopedAdmin):
    list_display = ["name", "unit", "start", "end", "level", "wfo_share", "essential_share"]
    list_filter = ["level"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]
    date_hierarchy = "start"
    form = EmergencyPolicyForm


@admin.register(Room)
class RoomAdmin(AgencyScopedAdmin):
    agency_field = "office__agency"
    list_display = ["name", "office", "capacity", "meeting_room"]
    search_fields = ["name", "office__name"]
    list_select_related = ["office"]


@admin.register(WfaRegion)
class WfaRegionAdmin(AgencyScopedAdmin):
    list_display = ["name", "agency", "radius_m"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        arrangements_changed(obj.agency_id)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        arrangements_changed(obj.agency_id)


@admin.register(FlexibleWorkApplication)
class FlexibleWorkApplicationAdmin(AgencyScopedAdmin):
    agency_field = "employee__agency"
    list_display = ["employee", "mode", "days_per_week", "valid_from", "valid_until", "status"]
    list_filter = ["status", "mode"]
    search_fields = ["employee__name", "employee__nip"]
    list_select_related = ["employee"]
    readonly_fields = ["decided_by", "decided_at", "submitted_at"]

    def has_add_permission(self, request) -> bool:
        return False  # employees apply on their page; the unit head decides there


@admin.register(RosterEntry)
class RosterEntryAdmin(AgencyScopedAdmin):
    agency_field = "employee__agency"
    list_display = ["employee", "date", "mode", "reason", "absence_code", "override_reason"]
    list_filter = ["mode", "reason"]
    search_fields = ["employee__name", "employee__nip"]
    date_hierarchy = "date"
    list_select_related = ["employee"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # rosters change through the roster page (checks and history)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(RosterChange)
class RosterChangeAdmin(AgencyScopedAdmin):
    agency_field = "employee__agency"
    list_display = [
        "employee",
        "date",
        "old_mode",
        "new_mode",
        "reason",
        "changed_by",
        "changed_at",
    ]
    list_filter = ["reason"]
    search_fields = ["employee__name", "employee__nip"]
    list_select_related = ["employee", "changed_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
