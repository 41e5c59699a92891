from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "scorecard.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        # Connects the receivers of the measurement signals.
        from . import receivers  # noqa: F401
