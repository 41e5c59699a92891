from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "scorecard.api"
    verbose_name = "API"
