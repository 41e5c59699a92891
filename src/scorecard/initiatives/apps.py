from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "scorecard.initiatives"
    verbose_name = "Initiatives"

    def ready(self) -> None:
        # The scorecard page's alerts depend on initiatives: they raise the data version.
        from . import versioning

        versioning.connect()
