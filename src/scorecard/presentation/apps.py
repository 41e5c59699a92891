from django.apps import AppConfig


class PresentationConfig(AppConfig):
    """Installed only for its templates (the PDF report's HTML and CSS)."""

    name = "scorecard.presentation"
    label = "presentation"
    verbose_name = "Presentation"
