"""Back office for performance: yearly SKP targets (HR), tasks and reports read-only."""

from __future__ import annotations

from django.contrib import admin

from sigap.org.admin import AgencyScopedAdmin
from sigap.performance.models import DailyReport, SkpTarget, Task


@admin.register(SkpTarget)
class SkpTargetAdmin(AgencyScopedAdmin):
    agency_field = "employee__agency"
    list_display = ["employee", "year", "title", "quantity", "unit"]
    list_filter = ["year"]
    search_fields = ["employee__name", "employee__nip", "title"]
    autocomplete_fields = ["employee"]
    list_select_related = ["employee"]


class ReadOnlyAdmin(AgencyScopedAdmin):
    agency_field = "employee__agency"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    agency_field = "assignee__agency"
    list_display = [
        "title",
        "assignee",
        "assigned_by",
        "target_qty",
        "target_unit",
        "due",
        "status",
    ]
    list_filter = ["status"]
    search_fields = ["title", "assignee__name", "assignee__nip"]
    list_select_related = ["assignee", "assigned_by"]


@admin.register(DailyReport)
class DailyReportAdmin(ReadOnlyAdmin):
    list_display = ["employee", "date", "status", "total_minutes", "late", "reviewed_at"]
    list_filter = ["status", "late"]
    search_fields = ["employee__name", "employee__nip"]
    date_hierarchy = "date"
    list_select_related = ["employee"]
