"""Share outside: editors create read-only links to a scorecard or its map; people
without an account open them.

The public page (``shared``) is the only thing a token reaches: it renders the named
scorecard or map with no link to anything else, never signs anyone in and grants
nothing to other URLs (they still ask to sign in; the API still answers 401).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scorecard import clock
from scorecard.engine.types import View
from scorecard.kpis import scorecard_selectors
from scorecard.maps.selectors import map_positions
from scorecard.organizations.models import Role
from scorecard.presentation.map_parts import map_bands, map_links
from scorecard.presentation.strategy_map import render_map
from scorecard.sharing import selectors, services
from scorecard.sharing.models import ShareLink
from scorecard.strategy.models import Scorecard

from ..access import scorecard_for

#: Session key prefix: this browser gave the password of link N.
SESSION_KEY = "share-ok-"
#: A link's state in words.
STATE_LABELS = {
    selectors.LinkState.ACTIVE: gettext_lazy("active"),
    selectors.LinkState.EXPIRED: gettext_lazy("expired"),
    selectors.LinkState.REVOKED: gettext_lazy("revoked"),
}


def _date(value: str, field: str, required: bool = True) -> dt.date | None:
    value = value.strip()
    if not value and not required:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            {field: _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}}
        ) from None


@login_required
@require_http_methods(["GET", "POST"])
def share_list(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The scorecard's share links, and a form for a new one (editors and admins)."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, Role.EDITOR)
    errors: list[str] = []
    data: Any = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            expires_on = _date(data.get("expires_on", ""), "expires_on")
            assert expires_on is not None
            link, token = services.share_create(
                scorecard=scorecard,
                user=request.user,
                label=data.get("label", ""),
                what=data.get("what", ShareLink.What.SCORECARD),
                expires_on=expires_on,
                password=data.get("password", ""),
                frozen_on=_date(data.get("frozen_on", ""), "frozen_on", required=False),
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            url = request.build_absolute_uri(reverse("shared", args=[token]))
            messages.success(
                request,
                _("Link created. Copy it now, it is shown only once: %(url)s") % {"url": url},
            )
            return redirect("share_detail", org_slug, sc_slug, link.pk)
    today = clock.today()
    return render(
        request,
        "web/sharing/list.html",
        {
            "scorecard": scorecard,
            "organization": scorecard.organization,
            "membership": membership,
            "links": [
                (link, state, STATE_LABELS[state])
                for link in selectors.links_of(scorecard=scorecard)
                for state in [selectors.link_state(link)]
            ],
            "whats": ShareLink.What.choices,
            "data": data,
            "errors": errors,
            "default_expiry": today + dt.timedelta(days=30),
        },
        status=422 if errors else 200,
    )


def _link(scorecard: Scorecard, pk: int) -> ShareLink:
    link = selectors.link_get(scorecard=scorecard, pk=pk)
    if link is None:
        raise Http404(_("No such share link."))
    return link


@login_required
@require_GET
def share_detail(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """One link: what it shows, until when, and who opened it when."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, Role.EDITOR)
    link = _link(scorecard, pk)
    return render(
        request,
        "web/sharing/detail.html",
        {
            "scorecard": scorecard,
            "organization": scorecard.organization,
            "membership": membership,
            "link": link,
            "state": selectors.link_state(link),
            "state_label": STATE_LABELS[selectors.link_state(link)],
            "views": selectors.views_of(link=link),
        },
    )


@login_required
@require_POST
def share_revoke(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    scorecard, _membership = scorecard_for(request, org_slug, sc_slug, Role.EDITOR)
    link = _link(scorecard, pk)
    services.share_revoke(link=link, user=request.user)
    messages.success(request, _("The link “%(label)s” no longer works.") % {"label": link.label})
    return redirect("share_detail", org_slug, sc_slug, link.pk)


def _map_svg(page: Any, scorecard: Scorecard) -> str:
    bands = map_bands(page.perspectives, lambda o: "")
    links = map_links(page)
    svg = render_map(
        bands,
        links,
        title=_("Strategy map of %(name)s") % {"name": scorecard.name},
        positions=map_positions(scorecard=scorecard),  # the layout the editors arranged
    )
    # Boxes link nowhere from a share link: their anchors become plain groups.
    return re.sub(r'<a href="" ', "<g ", svg).replace("</a>", "</g>")


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@never_cache
@require_http_methods(["GET", "POST"])
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """The page a share link opens: nothing else is reachable from it."""
    link = selectors.link_for_token(token)
    if link is None:
        raise Http404(_("No such link."))
    state = selectors.link_state(link)
    if state != selectors.LinkState.ACTIVE:
        response = render(request, "web/sharing/gone.html", {"state": state}, status=410)
        response["X-Robots-Tag"] = "noindex"
        return response
    key = f"{SESSION_KEY}{link.pk}"
    wrong = False
    if link.has_password and not request.session.get(key):
        if request.method == "POST":
            if services.share_password_ok(link=link, password=request.POST.get("password", "")):
                request.session[key] = True
                return redirect(request.path)
            wrong = True
        response = render(
            request, "web/sharing/password.html", {"link": link, "wrong": wrong},
            status=403 if wrong else 200,
        )  # fmt: skip
        response["X-Robots-Tag"] = "noindex"
        return response
    services.share_log_view(
        link=link, ip=_client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")
    )
    scorecard = link.scorecard
    as_of = link.frozen_on or clock.today()
    page = scorecard_selectors.scorecard_page(
        scorecard=scorecard, as_of=as_of, view=View.PERIOD.value, known_at=link.frozen_at
    )
    response = render(
        request,
        "web/sharing/shared.html",
        {
            "link": link,
            "shared_scorecard": scorecard,
            "page": page,
            "as_of": as_of,
            "svg": _map_svg(page, scorecard) if link.what == ShareLink.What.MAP else "",
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
