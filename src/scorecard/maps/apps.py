from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "scorecard.maps"
    verbose_name = "Strategy map layouts"
