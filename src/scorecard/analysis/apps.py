from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "scorecard.analysis"
    verbose_name = "SWOT and PESTEL"
