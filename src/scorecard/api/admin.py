"""API tokens in the Django admin: see and revoke, never read the secret."""

from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "organization",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["organization"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = [
        "user",
        "organization",
        "prefix",
        "secret_hash",
        "created_at",
        "last_used_at",
    ]
