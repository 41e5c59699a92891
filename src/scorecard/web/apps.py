from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "scorecard.web"
    verbose_name = "Web"

    def ready(self) -> None:
        # Keeps each person's saved language in the session when they sign in.
        from .language import connect

        connect()
