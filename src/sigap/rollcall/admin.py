"""Back office: series (the agency's recurrence options), sessions, reports and their logs."""

from django.contrib import admin

from sigap.rollcall.models import (
    Participation,
    Rollcall,
    RollcallSeries,
    UnitReport,
    UnitReportCorrection,
)


@admin.register(RollcallSeries)
class RollcallSeriesAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "agency",
        "frequency",
        "weekday",
        "day",
        "month",
        "start_time",
        "active",
    ]
    list_filter = ["agency", "frequency", "active"]


@admin.register(Rollcall)
class RollcallAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "date", "start_time", "cutoff_time", "kind", "prefilled_at"]
    list_filter = ["agency", "kind"]
    date_hierarchy = "date"
    raw_id_fields = ["series", "office", "created_by"]


class CorrectionInline(admin.TabularInline):
    model = UnitReportCorrection
    extra = 0
    can_delete = False
    readonly_fields = ["by", "at", "reason", "old", "new"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(UnitReport)
class UnitReportAdmin(admin.ModelAdmin):
    list_display = ["rollcall", "unit", "expected", "present", "confirmed_at", "corrected"]
    list_filter = ["corrected"]
    raw_id_fields = ["rollcall", "unit", "confirmed_by"]
    readonly_fields = ["prefilled_at", "rule_version"]
    inlines = [CorrectionInline]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["rollcall", "employee", "present", "source", "at"]
    list_filter = ["present", "source"]
    raw_id_fields = ["rollcall", "employee", "marked_by", "check_in"]
