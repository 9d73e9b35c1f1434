"""Back office for working time (Django admin), scoped to the HR admin's agency.

Every save or delete bumps the agency's calendar generation (`calendar_changed`)
so that cached calendars are not used after an edit.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sigap.org.admin import AgencyScopedAdmin
from sigap.org.models import Agency
from sigap.org.selectors import scope_for
from sigap.worktime.models import (
    Holiday,
    HolidaySource,
    RamadanPeriod,
    ScheduleVersion,
    Shift,
    ShiftAssignment,
    WeeklyHours,
)
from sigap.worktime.selectors import calendar_changed


class CalendarAdmin(AgencyScopedAdmin):
    """Agency-scoped, limits agency choices to the user's agency, and invalidates
    the calendar cache after every change."""

    def agency_id_of(self, obj) -> int:
        return obj.agency_id

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = scope_for(request.user)
        if db_field.related_model is Agency and not scope.all_agencies:
            kwargs["queryset"] = Agency.objects.filter(pk=scope.agency_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        calendar_changed(self.agency_id_of(obj))

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        calendar_changed(self.agency_id_of(form.instance))

    def delete_model(self, request, obj) -> None:
        agency_id = self.agency_id_of(obj)
        super().delete_model(request, obj)
        calendar_changed(agency_id)

    def delete_queryset(self, request, queryset: QuerySet) -> None:
        agency_ids = {self.agency_id_of(obj) for obj in queryset}
        super().delete_queryset(request, queryset)
        for agency_id in agency_ids:
            calendar_changed(agency_id)


class WeeklyHoursInline(admin.TabularInline):
    model = WeeklyHours
    extra = 0
    fields = ["period", "weekday", "start", "end", "break_minutes"]
    ordering = ["period", "weekday"]


@admin.register(ScheduleVersion)
class ScheduleVersionAdmin(CalendarAdmin):
    list_display = ["effective_from", "agency", "window_start", "window_end", "note"]
    list_filter = [("agency", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["note"]
    date_hierarchy = "effective_from"
    inlines = [WeeklyHoursInline]


@admin.register(WeeklyHours)
class WeeklyHoursAdmin(CalendarAdmin):
    agency_field = "version__agency"
    list_display = ["version", "period", "weekday", "start", "end", "break_minutes"]
    list_filter = ["period", "weekday"]
    search_fields = ["version__note"]
    list_select_related = ["version"]

    def agency_id_of(self, obj) -> int:
        return obj.version.agency_id

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = scope_for(request.user)
        if db_field.name == "version" and not scope.all_agencies:
            kwargs["queryset"] = ScheduleVersion.objects.filter(agency_id=scope.agency_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(RamadanPeriod)
class RamadanPeriodAdmin(CalendarAdmin):
    list_display = ["start", "end", "agency", "note"]
    list_filter = [("agency", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["note"]
    date_hierarchy = "start"


@admin.register(Holiday)
class HolidayAdmin(CalendarAdmin):
    list_display = ["date", "name", "kind", "source", "active", "package_date"]
    list_filter = ["kind", "source", "active"]
    search_fields = ["name"]
    date_hierarchy = "date"
    readonly_fields = ["package_date"]
    actions = ["deactivate", "activate"]

    @admin.action(description=_("Remove the selected holidays (deactivate)"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_active(queryset, active=False)

    @admin.action(description=_("Restore the selected holidays (activate)"))
    def activate(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_active(queryset, active=True)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        """Days from the national calendar are removed by deactivating them, so that
        re-seeding does not bring them back."""
        if obj is not None and obj.source == HolidaySource.PACKAGE:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_active(queryset.filter(source=HolidaySource.PACKAGE), active=False)
        super().delete_queryset(request, queryset.exclude(source=HolidaySource.PACKAGE))

    def _set_active(self, queryset: QuerySet, *, active: bool) -> None:
        agency_ids = set(queryset.values_list("agency_id", flat=True))
        queryset.update(active=active)
        for agency_id in agency_ids:
            calendar_changed(agency_id)


@admin.register(Shift)
class ShiftAdmin(CalendarAdmin):
    list_display = ["code", "name", "start", "end", "break_minutes", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]


@admin.register(ShiftAssignment)
class ShiftAssignmentAdmin(CalendarAdmin):
    agency_field = "employee__agency"
    list_display = ["date", "employee", "shift"]
    list_filter = ["shift__code", ("employee__unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["employee__nip", "employee__name"]
    date_hierarchy = "date"
    autocomplete_fields = ["employee"]
    list_select_related = ["employee", "shift"]

    def agency_id_of(self, obj) -> int:
        return obj.employee.agency_id

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = scope_for(request.user)
        if db_field.name == "shift" and not scope.all_agencies:
            kwargs["queryset"] = Shift.objects.filter(agency_id=scope.agency_id, active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
