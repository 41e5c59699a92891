from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "scorecard.planning"
    verbose_name = "Planning"

    def ready(self) -> None:
        # The scorecard page's "at risk" marks follow the rule: it raises the data version.
        from . import versioning

        versioning.connect()
