from django.contrib import admin

from .models import Objective, ObjectiveAlignment, ObjectiveLink, Perspective, Scorecard


class PerspectiveInline(admin.TabularInline):
    model = Perspective
    extra = 0


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "unit"]
    list_filter = ["organization"]
    inlines = [PerspectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "scorecard", "perspective", "owner", "weight"]
    list_filter = ["scorecard"]
    search_fields = ["name", "code"]


admin.site.register(ObjectiveLink)
admin.site.register(ObjectiveAlignment)
