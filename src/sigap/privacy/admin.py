"""Back office of personal data: the access log, read-only (superusers only: HR admins and
inspectors search it at /privasi/akses/), and `AccessLoggedAdmin`, the mixin that logs the
change views of rows showing someone's location, selfie or face (the employee form shows the
home location)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sigap.org.admin import EmployeeAdmin
from sigap.org.models import Employee
from sigap.privacy.access import access_record
from sigap.privacy.models import AccessLog, DataCategory


class AccessLoggedAdmin(admin.ModelAdmin):
    """Logs every rendering of a row's change form (GET, or a POST shown again with its
    errors) as a view of `access_category` data of `access_subject_ids(obj)`."""

    access_category: str = DataCategory.LOCATION
    access_subject_field = "employee_id"  # the row's person: "pk" for Employee itself

    def access_subject_ids(self, obj: Any) -> list[int]:
        return [getattr(obj, self.access_subject_field)]

    def access_what(self, obj: Any) -> str:
        return f"{self.model._meta.model_name} {obj.pk}"

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict,
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ):
        if obj is not None and not add:
            access_record(
                viewer=request.user,  # type: ignore[arg-type]
                subject_ids=self.access_subject_ids(obj),
                category=self.access_category,
                what=self.access_what(obj),
                request=request,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


class LoggedEmployeeAdmin(AccessLoggedAdmin, EmployeeAdmin):
    """The employee form shows the registered home location."""

    access_category = DataCategory.LOCATION
    access_subject_field = "pk"

    def access_subject_ids(self, obj: Employee) -> list[int]:
        return [obj.pk] if obj.home_latitude is not None else []

    def access_what(self, obj: Employee) -> str:
        return f"employee record {obj.pk} (home location)"


if admin.site.is_registered(Employee):
    admin.site.unregister(Employee)
admin.site.register(Employee, LoggedEmployeeAdmin)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Append-only: nobody adds, changes or deletes a row here; superusers may look."""

    list_display = ["at", "actor_name", "subject", "category", "channel", "what", "ip"]
    list_filter = ["category", "channel"]
    search_fields = ["subject__nip", "subject__name", "actor_name", "what"]
    list_select_related = ["subject"]
    date_hierarchy = "at"
    ordering = ["-at", "-pk"]
    list_per_page = 100

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
