"""The strategy map page, arranging its boxes by hand, and its SVG and PNG files.

The page, the files and the answer to a save all draw the map with the same
function (:func:`map_drawing`), so a downloaded file shows what the page shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from scorecard.kpis import scorecard_selectors
from scorecard.maps import services as map_services
from scorecard.maps.selectors import map_positions
from scorecard.organizations.models import Role
from scorecard.presentation.map_export import missing_characters, png_of, svg_document
from scorecard.presentation.map_parts import map_bands, map_links
from scorecard.presentation.planning import chance_text
from scorecard.presentation.strategy_map import render_map
from scorecard.strategy.models import Scorecard
from scorecard.web.access import scorecard_for
from scorecard.web.planning.pages import map_link_marks, risk_marks
from scorecard.web.queries import VIEW_LABELS, known_params, period_params, period_query


@dataclass
class MapDrawing:
    """The map for one request's period: the SVG and what the page says around it."""

    svg: str
    page: Any
    risks: dict[str, Any]
    names: list[str]
    context: dict[str, Any]


def _risk_sentence(rows: list[Any], risks: dict[str, Any]) -> str:
    """A map box's tooltip sentence: "2 KPIs at risk: Revenue (23 % chance), …"."""
    if not rows:
        return ""
    names = ", ".join(
        f"{r.kpi.name} ({chance_text(risks[r.kpi.code].chance)} chance)" for r in rows
    )
    return f"{len(rows)} KPI{'s' if len(rows) != 1 else ''} at risk: {names}"


def map_drawing(request: HttpRequest, scorecard: Scorecard) -> MapDrawing:
    """The scorecard's map for the period in the query string, boxes placed by hand
    where an editor put them."""
    as_of, view, errors = period_params(request)
    known_at, known, known_errors = known_params(request, as_of)
    page = scorecard_selectors.scorecard_page(
        scorecard=scorecard, as_of=as_of, view=view, known_at=known_at
    )
    query = period_query(as_of, view, known)
    risks = risk_marks(page, as_of)
    org_slug, sc_slug = scorecard.organization.slug, scorecard.slug
    bands = map_bands(
        page.perspectives,
        lambda o: reverse("objective_detail", args=[org_slug, sc_slug, o.objective.code]) + query,
        lambda o: _risk_sentence([k for k in o.kpis if k.kpi.code in risks], risks),
    )
    links = map_links(page)
    svg = render_map(
        bands,
        links,
        title=gettext("Strategy map of %(name)s") % {"name": scorecard.name},
        marks=map_link_marks(scorecard, as_of, page.rows, page.links),
        positions=map_positions(scorecard=scorecard),
    )
    names = [scorecard.name] + [b.name for b in bands] + [x.name for b in bands for x in b.boxes]
    context = {
        "as_of": as_of,
        "view": view,
        "views": VIEW_LABELS,
        "param_errors": errors + known_errors,
        "known_at": known_at,
        "known": known,
        "period_query": query,
    }
    return MapDrawing(svg, page, risks, names, context)


@login_required
def strategy_map(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The strategy map: objectives in perspective bands with cause-effect arrows.

    Editors and admins may arrange the boxes (by dragging, or with the arrow keys on a
    focused box); everybody sees the saved layout and may download it as SVG or PNG.
    """
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    drawing = map_drawing(request, scorecard)
    return render(
        request,
        "web/strategy_map.html",
        {
            "scorecard": scorecard,
            "organization": scorecard.organization,
            "membership": membership,
            "page": drawing.page,
            "svg": drawing.svg,
            "risks": drawing.risks,
            "can_arrange": membership.allows(Role.EDITOR),
            "arranged": bool(map_positions(scorecard=scorecard)),
            "missing_glyphs": missing_characters(drawing.names),
            **drawing.context,
        },
    )


def _unprocessable(message: str) -> HttpResponse:
    return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def map_positions_save(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Save where boxes were dropped (``positions``: JSON ``{"code": [x, dy], …}``).

    Answers the redrawn map (SVG) for the page's script to put in place, 422 with a
    plain message for bad input, 403 below editor.
    """
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, Role.EDITOR)
    try:
        raw = json.loads(request.POST.get("positions") or "null")
    except json.JSONDecodeError:
        return _unprocessable(gettext("The boxes' places are not readable (JSON expected)."))
    try:
        positions = map_services.parse_positions(raw)
        map_services.map_positions_save(
            scorecard=scorecard, membership=membership, positions=positions
        )
    except ValidationError as error:
        return _unprocessable(" ".join(error.messages))
    return HttpResponse(map_drawing(request, scorecard).svg, content_type="image/svg+xml")


@login_required
@require_POST
def map_rearrange(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Forget the hand-made layout: the automatic layout places every box again."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, Role.EDITOR)
    map_services.map_positions_reset(scorecard=scorecard, membership=membership)
    messages.success(request, gettext("The map is arranged automatically again."))
    return redirect(reverse("strategy_map", args=[org_slug, sc_slug]) + _query(request))


def _query(request: HttpRequest) -> str:
    as_of, view, _ = period_params(request)
    _, known, _ = known_params(request, as_of)
    return period_query(as_of, view, known)


def _download(content: bytes | str, content_type: str, scorecard: Scorecard, ext: str) -> Any:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="strategy-map-{scorecard.slug}.{ext}"'
    return response


@login_required
@require_GET
def map_svg(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The map as an SVG file (the page's drawing, for slides and documents)."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug)
    svg = svg_document(map_drawing(request, scorecard).svg)
    return _download(svg, "image/svg+xml; charset=utf-8", scorecard, "svg")


@login_required
@require_GET
def map_png(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The map as a PNG picture, rendered on the server from the same SVG."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug)
    return _download(png_of(map_drawing(request, scorecard).svg), "image/png", scorecard, "png")
