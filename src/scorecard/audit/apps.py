from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "scorecard.audit"
    verbose_name = "History and notifications"
