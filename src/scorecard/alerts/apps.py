from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "scorecard.alerts"
    label = "alerts"
    verbose_name = "Alerts"

    def ready(self) -> None:
        # Connects the receivers of the signals and saves that raise alerts.
        from . import receivers  # noqa: F401
