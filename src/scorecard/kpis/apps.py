from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "scorecard.kpis"
    verbose_name = "KPIs"
