from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "scorecard.strategy"
    verbose_name = "Strategy"
