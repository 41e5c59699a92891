from django.contrib import admin

from .models import Initiative, Task


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["name", "scorecard", "owner", "status", "deadline"]
    list_filter = ["scorecard", "status"]
    inlines = [TaskInline]
