from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "scorecard.kpis"
    verbose_name = "KPIs"

    def ready(self) -> None:
        # Every save or delete of a model that feeds a score raises the data version.
        from . import versioning

        versioning.connect()
