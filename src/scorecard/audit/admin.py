from django.contrib import admin

from .models import Change, Notification


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "kind", "label"]
    list_filter = ["kind", "action"]
    search_fields = ["label", "actor_name"]


admin.site.register(Notification)
