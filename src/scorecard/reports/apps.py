from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Scorecard reports as PDF and XLSX; no models of its own."""

    name = "scorecard.reports"
    label = "reports"
    verbose_name = "Reports"
