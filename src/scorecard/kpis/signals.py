"""Signals sent by the KPI services, for apps that react to new numbers (webhooks).

They are sent inside the service's transaction: a receiver that writes takes part
in it, and a rolled-back write leaves nothing behind.
"""

from django.dispatch import Signal

#: Sent after values that count are recorded or corrected, or when a value waiting for
#: approval is approved (values still waiting are not sent). Arguments: ``measurements`` (the new
#: Measurement rows, with ``kpi`` loaded), ``recorded_at`` (their common time) and
#: ``user`` (who recorded them, or None).
measurements_recorded = Signal()

#: Sent after values are recorded that wait for the owner's approval (they do not count
#: yet). Arguments: ``measurements`` (the new pending rows) and ``user`` (who entered them).
measurements_pending = Signal()
