from django.apps import AppConfig


class DeliveriesConfig(AppConfig):
    name = "scorecard.deliveries"
    verbose_name = "Scheduled deliveries"
