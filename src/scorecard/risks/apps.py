from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "scorecard.risks"
    verbose_name = "Risks"
