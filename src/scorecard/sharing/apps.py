from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "scorecard.sharing"
    verbose_name = "Share links"
