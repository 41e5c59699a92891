"""Cached page fragments: the 200 rows of the scorecard page (issue 16, "Fast pages"),
and the whole scorecard page with slots for what is personal (``kept_scorecard_page``,
below; docs/performance.md, "the page and the API on a cache hit").

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
from collections.abc import Callable
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import BaseCache, InvalidCacheBackendError, caches
from django.core.cache.utils import make_template_fragment_key
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from scorecard import clock
from scorecard.organizations.models import Membership
from scorecard.planning.models import ForecastRule
from scorecard.presentation.numbers import person
from scorecard.reviews.notifications import unread_count
from scorecard.strategy.models import Scorecard

#: The fragment's name in the ``{% cache %}`` tag of web/partials/scorecard_table.html.
SCORECARD_ROWS = "scorecard-rows"
#: Raise it when the rows' markup changes in a way the key does not capture (2: names
#: isolated in <bdi>).
ROWS_GENERATION = 2


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
    found = _fragments_cache().get(make_template_fragment_key(SCORECARD_ROWS, [key]))
    # Our own HTML, rendered by the template and kept as it was.
    return mark_safe(found) if isinstance(found, str) else None


# --- the whole scorecard page, kept (issue 16, "the page on a cache hit") -------------

#: Raise it when the page's markup changes in a way the key does not capture (2: kept
#: as UTF-8 bytes; 3: names isolated in <bdi>, headings and notes with dir="auto").
PAGE_GENERATION = 3
#: What the kept page holds instead of the request's CSRF token (each request gets its
#: own masked token in its place). Letters only: escaping leaves it as it is.
CSRF_SLOT = "csrfSlotScorecardPage7f3a9c1e"
#: Where the kept page's header shows the signed-in person (name, role, unread mentions,
#: sign-out form): rendered for each request (web/partials/personal_header.html).
PERSONAL_SLOT = mark_safe("<!--scorecard:personal-header-->")
#: The template of the personal part of the header (base.html includes it too).
PERSONAL_TEMPLATE = "web/partials/personal_header.html"
#: The slots as they are in the kept page's bytes.
CSRF_SLOT_BYTES = CSRF_SLOT.encode()
PERSONAL_SLOT_BYTES = str(PERSONAL_SLOT).encode()


def scorecard_page_key(
    *,
    scorecard_id: int,
    version: int,
    path: str,
    query: str,
    htmx: bool,
    role: str,
    today: dt.date,
    unit_name: str,
) -> str:
    """The cache key of a whole scorecard page (or its htmx partial) as every member with
    ``role`` sees it, without the personal parts (``PERSONAL_SLOT``, ``CSRF_SLOT``).

    Everything the page shows is either covered by the organization's **data version**
    (numbers, names and structure of the scorecard and its KPIs, the organization's name,
    the initiatives behind the "red, and nobody is acting on it" alert, the "at risk"
    rule: initiatives/versioning.py, planning/versioning.py) or is in the key: the URL
    (path and raw query string: the period form, the search box and any message about
    bad parameters repeat it), whether htmx asked, the member's role (tabs and
    controls), active language and time zone, today (the default as-of day and the
    forecasts) and the unit's name (not versioned). A kept page is therefore served
    without reading the rule or any data: the queries are those of the session, the
    membership, the scorecard and the header's unread mentions."""
    parts = [
        PAGE_GENERATION,
        scorecard_id,
        version,
        path,
        query,
        "htmx" if htmx else "page",
        role,
        get_language() or "",
        timezone.get_current_timezone_name(),
        today.isoformat(),
        unit_name,
    ]
    text = "\x1f".join(str(part) for part in parts)
    return "scorecard-page:" + hashlib.sha256(text.encode()).hexdigest()


def _fragments_cache() -> BaseCache:
    try:
        return caches["template_fragments"]
    except InvalidCacheBackendError:
        return caches["default"]


def kept_page(key: str) -> bytes | None:
    """The page kept under ``key`` (UTF-8, with its slots), or None."""
    found = _fragments_cache().get(key)
    return found if isinstance(found, bytes) else None


def keep_page(key: str, body: bytes) -> None:
    """Keep a page rendered with the slots (``CSRF_SLOT``, ``PERSONAL_SLOT``), as the
    UTF-8 bytes it is sent as: a 280 KB page with a few non-ASCII characters took
    several milliseconds a request to unpickle (UTF-8 decoding), fill in and encode
    again as text; as bytes it is copied (docs/performance.md, issue 16, evening)."""
    _fragments_cache().set(key, body, PAGE_SECONDS)


#: How long a kept page stays (a new data version makes it unreachable sooner).
PAGE_SECONDS = 3600


def personal_page(
    request: HttpRequest, body: bytes, membership: Membership, unread: int | None = None
) -> HttpResponse:
    """The kept ``body`` (UTF-8) for this request: its own CSRF token and its own header
    (``unread``: the person's unread count when already read, else asked for)."""
    token = get_token(request)
    if PERSONAL_SLOT_BYTES in body:
        header = personal_header(request, membership, token, unread).encode()
        body = body.replace(PERSONAL_SLOT_BYTES, header, 1)
    html = body.replace(CSRF_SLOT_BYTES, token.encode())
    response = HttpResponse(html)
    response.kept_page = True  # type: ignore[attr-defined]  # for the tests
    return response


def personal_header(
    request: HttpRequest, membership: Membership, token: str, unread: int | None = None
) -> str:
    """The header's personal part (web/partials/personal_header.html) with this request's
    CSRF token: kept per person, as the header shows them (name, role, language, unread
    mentions: ``unread`` when the caller read it with its own query, else one query), so
    that it is rendered only when one of those changes."""
    user = request.user
    count = unread_count(user=user) if unread is None else unread
    parts = [
        PAGE_GENERATION,
        user.pk,
        person(user),
        membership.role,
        get_language() or "",
        count,
    ]
    text = "\x1f".join(str(part) for part in parts)
    key = "personal-header:" + hashlib.sha256(text.encode()).hexdigest()
    fragments = _fragments_cache()
    header = fragments.get(key)
    if not isinstance(header, str):
        context = {
            "user": user,
            "membership": membership,
            "csrf_token": CSRF_SLOT,
            "unread_mentions": count,
        }
        header = render_to_string(PERSONAL_TEMPLATE, context)
        fragments.set(key, header, PAGE_SECONDS)
    return header.replace(CSRF_SLOT, token)


def has_messages(request: HttpRequest) -> bool:
    """True when flash messages wait to be shown (the page is then rendered afresh)."""
    return len(get_messages(request)) > 0


def kept_scorecard_page(
    request: HttpRequest,
    scorecard: Scorecard,
    membership: Membership,
    *,
    version: int,
    template: str,
    context: Callable[[], dict[str, Any]],
    unread: int | None = None,
) -> HttpResponse:
    """The scorecard page (or its htmx partial, ``template``) from the cache when kept
    under its key (:func:`scorecard_page_key`), else rendered from ``context()`` with
    the slots and kept; either way with this request's token and header. A page with a
    flash message waiting is rendered afresh and not kept (messages are shown once).
    ``unread``: the person's unread count when the caller read it already."""
    if has_messages(request):
        return render(request, template, context())
    key = scorecard_page_key(
        scorecard_id=scorecard.pk,
        version=version,
        path=request.path,
        query=request.META.get("QUERY_STRING", ""),
        htmx=bool(getattr(request, "htmx", False)),
        role=membership.role,
        today=clock.today(),
        unit_name=scorecard.unit.name,
    )
    body = kept_page(key)
    if body is None:
        values = context()
        values.update(csrf_token=CSRF_SLOT, personal_slot=PERSONAL_SLOT)
        body = render_to_string(template, values, request).encode()
        keep_page(key, body)
    return personal_page(request, body, membership, unread)
