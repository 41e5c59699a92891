from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "scorecard.api"
    verbose_name = "API"

    def ready(self) -> None:
        # Connects the receivers that revoke tokens when a member leaves or is deactivated.
        from . import signals  # noqa: F401
