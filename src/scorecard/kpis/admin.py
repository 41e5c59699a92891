from django.contrib import admin

from .models import Kpi, KpiAlignment, Measurement, Target


@admin.register(Kpi)
class KpiAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "scorecard", "objective", "optimization", "update_interval"]
    list_filter = ["scorecard", "optimization", "update_interval"]
    search_fields = ["name", "code"]


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["kpi", "period_start", "value", "recorded_by", "recorded_at", "superseded_at"]
    list_filter = ["kpi__scorecard"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["kpi", "period_start", "value", "provenance"]


@admin.register(KpiAlignment)
class KpiAlignmentAdmin(admin.ModelAdmin):
    list_display = ["child", "parent"]
