from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "scorecard.organizations"
    verbose_name = "Organizations"
