from django.contrib import admin

from .models import Benchmark, ForecastRule, Funnel, FunnelStage


class StageInline(admin.TabularInline):
    model = FunnelStage
    extra = 0


@admin.register(Funnel)
class FunnelAdmin(admin.ModelAdmin):
    list_display = ["name", "scorecard"]
    inlines = [StageInline]


@admin.register(Benchmark)
class BenchmarkAdmin(admin.ModelAdmin):
    list_display = ["kpi", "value", "percentile", "source", "as_of"]


@admin.register(ForecastRule)
class ForecastRuleAdmin(admin.ModelAdmin):
    list_display = ["scorecard", "at_risk_below"]
