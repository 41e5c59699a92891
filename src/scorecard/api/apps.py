from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "scorecard.api"
    verbose_name = "API"

    def ready(self) -> None:
        # Connects the receivers that revoke tokens when a member leaves or is deactivated,
        # and registers the deploy checks (the check command loads no URLs or middleware).
        from scorecard import deploy_checks  # noqa: F401

        from . import signals  # noqa: F401
