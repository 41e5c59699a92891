from django.apps import AppConfig


class DataSourcesConfig(AppConfig):
    name = "scorecard.datasources"
    label = "datasources"
    verbose_name = "Data sources"
