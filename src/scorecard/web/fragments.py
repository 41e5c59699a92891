"""Cached page fragments: the 200 rows of the scorecard page (issue 16, "Fast pages").

With the scores cached (kpis/evaluation.py), most of the scorecard page's time was
rendering its table, one row per KPI. The table is kept in Django's cache (the same
backend as the scores, through the template's ``{% cache %}`` tag) under a key made of
everything the rows show or depend on:

- the scorecard and the organization's **data version**, read before any data: every
  write that can change a number or a name (values, targets, KPIs, objectives,
  perspectives, the scorecard, the organization's slug) gives a new version
  (organizations/versions.py, kpis/versioning.py), so a written value or a rename is
  on the very next page;
- the question: as-of day, view, "as known" moment and the query the rows' links keep;
- the reader: active language and time zone (labels, numbers and dates are localized),
  and role (the rows show no edit controls today; keyed anyway so that a viewer can
  never be served an editor's rows if some are added);
- the "at risk" rule's threshold (the rule is not part of the data version) and today
  (the forecasts look at the running period).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.cache import InvalidCacheBackendError, caches
from django.core.cache.utils import make_template_fragment_key
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from scorecard.planning.models import ForecastRule

#: The fragment's name in the ``{% cache %}`` tag of web/partials/scorecard_table.html.
SCORECARD_ROWS = "scorecard-rows"
#: Raise it when the rows' markup changes in a way the key does not capture.
ROWS_GENERATION = 1


def scorecard_rows_key(
    *,
    scorecard_id: int,
    version: int,
    as_of: dt.date,
    view: str,
    known_at: dt.datetime | None,
    period_query: str,
    role: str,
    rule: ForecastRule | None,
    today: dt.date,
) -> str:
    """The ``{% cache %}`` key of the scorecard's rows (see the module's note)."""
    parts = [
        ROWS_GENERATION,
        scorecard_id,
        version,
        as_of.isoformat(),
        view,
        known_at.isoformat() if known_at is not None else "now",
        period_query,
        get_language() or "",
        timezone.get_current_timezone_name(),
        role,
        repr(rule.at_risk_below) if rule is not None else "no-rule",
        today.isoformat(),
    ]
    text = "|".join(str(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()


def cached_rows(key: str) -> SafeString | None:
    """The rows kept under ``key``, or None; from the same cache as the ``{% cache %}``
    tag's (``template_fragments`` when configured). The page shows what this returns
    rather than asking the tag, so that rows leaving the cache in between cannot be
    rendered from a page read without its details."""
    try:
        fragments = caches["template_fragments"]
    except InvalidCacheBackendError:
        fragments = caches["default"]
    found = fragments.get(make_template_fragment_key(SCORECARD_ROWS, [key]))
    # Our own HTML, rendered by the template and kept as it was.
    return mark_safe(found) if isinstance(found, str) else None
