from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "scorecard.dashboards"
    verbose_name = "Dashboards"
