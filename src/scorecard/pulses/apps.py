from django.apps import AppConfig


class PulsesConfig(AppConfig):
    name = "scorecard.pulses"
    verbose_name = "Pulses"
