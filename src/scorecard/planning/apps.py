from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "scorecard.planning"
    verbose_name = "Planning"
