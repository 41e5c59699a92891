from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_delete


class AuditConfig(AppConfig):
    name = "scorecard.audit"
    verbose_name = "History and notifications"

    def ready(self) -> None:
        # The history's actor and a value's decider have no database constraint:
        # a person's deletion waits for the loads that name them (audit.integrity).
        from .integrity import deletion_lock  # apps are loaded only now

        pre_delete.connect(
            deletion_lock, sender=settings.AUTH_USER_MODEL, dispatch_uid="audit-person-deletion"
        )
