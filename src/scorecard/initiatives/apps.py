from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "scorecard.initiatives"
    verbose_name = "Initiatives"
