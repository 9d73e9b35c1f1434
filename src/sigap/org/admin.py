"""Back office for the organisation (Django admin), scoped to the HR admin's agency."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from sigap.org.agency_settings import agency_settings_problems
from sigap.org.models import Agency, Employee, Office, Position, RoleAssignment, Unit
from sigap.org.selectors import org_changed, scope_for


class AgencyScopedAdmin(admin.ModelAdmin):
    """Rows of other agencies are invisible; superusers see all."""

    agency_field = "agency"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        scope = scope_for(request.user)
        if scope.all_agencies:
            return qs
        if not scope.whole_agency:
            return qs.none()
        return qs.filter(**{f"{self.agency_field}_id": scope.agency_id})


class OrgChangeAdmin(AgencyScopedAdmin):
    """Edits here change offices, units or who works where: refresh the cached maps."""

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        org_changed(form.instance.agency_id)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        org_changed(obj.agency_id)

    def delete_queryset(self, request, queryset) -> None:
        agencies = set(queryset.values_list("agency_id", flat=True))
        super().delete_queryset(request, queryset)
        for agency_id in agencies:
            org_changed(agency_id)


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["code", "name", "time_zone", "settings"]

    def clean_settings(self):
        settings = self.cleaned_data.get("settings") or {}
        problems = agency_settings_problems(self.instance, settings)
        if problems:
            raise forms.ValidationError(
                [f"{section}: {message}" for section, message in problems.items()]
            )
        return settings


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "time_zone"]
    search_fields = ["code", "name"]
    form = AgencyForm

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        scope = scope_for(request.user)
        return qs if scope.all_agencies else qs.filter(pk=scope.agency_id)


@admin.register(Unit)
class UnitAdmin(OrgChangeAdmin):
    list_display = [
        "code",
        "name",
        "kind",
        "parent",
        "head",
        "shift_based",
        "service_class",
        "active",
    ]
    list_filter = ["kind", "shift_based", "active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "head"]
    list_select_related = ["parent", "head"]


@admin.register(Office)
class OfficeAdmin(OrgChangeAdmin):
    list_display = ["code", "name", "time_zone", "radius_m", "latitude", "longitude", "active"]
    list_filter = ["time_zone", "active"]
    search_fields = ["code", "name", "address"]
    filter_horizontal = ["units"]


@admin.register(Position)
class PositionAdmin(AgencyScopedAdmin):
    list_display = ["name", "kind", "public_service", "flexible_eligible"]
    list_filter = ["kind", "public_service", "flexible_eligible"]
    search_fields = ["name"]


@admin.register(Employee)
class EmployeeAdmin(OrgChangeAdmin):
    list_display = ["nip", "name", "employment_type", "unit", "position", "supervisor", "active"]
    list_filter = ["employment_type", "active", "position__kind", "position__public_service"]
    search_fields = ["nip", "name", "email", "unit__name"]
    autocomplete_fields = ["unit", "position", "supervisor", "office", "user"]
    list_select_related = ["unit", "position", "supervisor"]
    list_per_page = 50


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AgencyScopedAdmin):
    list_display = ["user", "role", "agency"]
    list_filter = ["role"]
    search_fields = ["user__username"]
    autocomplete_fields = ["user"]
