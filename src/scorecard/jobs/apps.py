from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "scorecard.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
