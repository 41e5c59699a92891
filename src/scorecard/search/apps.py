from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search across an organization's scorecards; no models of its own."""

    name = "scorecard.search"
    label = "search"
    verbose_name = "Search"
