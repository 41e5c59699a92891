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

#: Sent ONCE by a bulk load (``kpis/bulkload.py``, what a file import writes through)
#: instead of the two signals above per chunk of values, so that a load nobody listens
#: to closely costs no work per value. Arguments: ``kpi_ids`` (the KPIs given new
#: values), ``recorded_at``, ``user``, ``recorded`` and ``pending`` (how many new
#: values count, and how many wait for approval) and ``chunks``: ``chunks(pending)``
#: yields the new values that count (``pending=False``) or wait (``True``) as lists of
#: Measurement rows with ``kpi`` loaded, read from the database on demand, a chunk at a
#: time. A receiver of ``measurements_recorded``/``measurements_pending`` that must also
#: see bulk loads listens to this one too (webhooks and alerts do).
measurements_loaded = Signal()
