from django.apps import AppConfig
from django.db.models.signals import post_delete, pre_delete, pre_save


class KpisConfig(AppConfig):
    name = "scorecard.kpis"
    verbose_name = "KPIs"

    def ready(self) -> None:
        # Every save or delete of a model that feeds a score raises the data version.
        # (imported here: the apps are loaded only now)
        from . import versioning
        from .integrity import creation_hold, deletion_done, deletion_lock
        from .models import Kpi, Measurement

        versioning.connect()
        # A value's KPI has no database constraint: a KPI's deletion waits for the
        # writers holding it, and a value saved on its own holds its KPI (kpis.integrity).
        pre_delete.connect(deletion_lock, sender=Kpi, dispatch_uid="kpi-deletion")
        post_delete.connect(deletion_done, sender=Kpi, dispatch_uid="kpi-deletion-done")
        pre_save.connect(creation_hold, sender=Measurement, dispatch_uid="value-kpi")
