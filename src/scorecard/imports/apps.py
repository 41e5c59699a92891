from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "scorecard.imports"
    label = "imports"
    verbose_name = "Imports and exports of values"
