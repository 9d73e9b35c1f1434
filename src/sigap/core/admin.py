from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from sigap.core.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    search_fields = ["username", "first_name", "last_name", "email", "employee__nip"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "device_name", "device_id", "created_at", "expires_at", "revoked_at"]
    search_fields = ["user__username", "device_id", "device_name"]
    list_select_related = ["user"]
    readonly_fields = ["key_hash"]
