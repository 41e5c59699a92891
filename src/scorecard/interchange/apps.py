from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "scorecard.interchange"
    verbose_name = "Interchange"
