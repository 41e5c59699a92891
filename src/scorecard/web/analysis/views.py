"""SWOT and PESTEL boards: members read them; editors add items, remove them and turn
them into objectives."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from scorecard.analysis import selectors, services
from scorecard.analysis.models import BOARDS, AnalysisItem
from scorecard.strategy.models import Scorecard
from scorecard.web.access import scorecard_for
from scorecard.web.manage.common import base_context


def _board_or_404(board: str) -> str:
    if board not in BOARDS:
        raise Http404(gettext("No such board; there are SWOT and PESTEL boards."))
    return board


def _item_or_404(scorecard: Scorecard, pk: int) -> AnalysisItem:
    item = selectors.item_get(scorecard=scorecard, pk=pk)
    if item is None:
        raise Http404(gettext("No such item on this scorecard's boards."))
    return item


def _problems(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(m for ms in exc.message_dict.values() for m in ms)
    return " ".join(exc.messages)


@login_required
@require_GET
def board(request: HttpRequest, org_slug: str, sc_slug: str, board: str) -> HttpResponse:
    """A SWOT or PESTEL board: its categories side by side with their items."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    _board_or_404(board)
    return render(
        request,
        "analysis/board.html",
        {**base_context(scorecard.organization, membership, scorecard),
         "board": board, "board_label": str(BOARDS[board][0]),
         "boards": [(key, str(label)) for key, (label, _) in BOARDS.items()],
         "columns": selectors.board_columns(scorecard=scorecard, board=board),
         "perspectives": list(scorecard.perspectives.order_by("position", "pk")),
         "can_edit": membership.allows("editor")},
    )  # fmt: skip


@login_required
@require_POST
def item_add(request: HttpRequest, org_slug: str, sc_slug: str, board: str) -> HttpResponse:
    """Editors add an item to a category of the board."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "editor")
    _board_or_404(board)
    try:
        services.item_add(
            scorecard=scorecard, board=board, category=request.POST.get("category", ""),
            text=request.POST.get("text", ""),
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, _problems(exc))
    return redirect("analysis_board", org_slug, sc_slug, board)


@login_required
@require_POST
def item_delete(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Editors remove an item (an objective made from it stays)."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "editor")
    item = _item_or_404(scorecard, pk)
    services.item_delete(item=item)
    messages.success(request, gettext("Removed “%(text)s”.") % {"text": item.text})
    return redirect("analysis_board", org_slug, sc_slug, item.board)


@login_required
@require_POST
def item_objective(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Editors turn an item into an objective of one of the scorecard's perspectives."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "editor")
    item = _item_or_404(scorecard, pk)
    raw = request.POST.get("perspective", "")
    perspective = scorecard.perspectives.filter(pk=int(raw) if raw.isdigit() else 0).first()
    if perspective is None:
        messages.error(request, gettext("Choose the perspective the new objective belongs to."))
        return redirect("analysis_board", org_slug, sc_slug, item.board)
    try:
        objective = services.item_to_objective(
            item=item, perspective=perspective, name=request.POST.get("name", "").strip()
        )
    except ValidationError as exc:
        messages.error(request, _problems(exc))
        return redirect("analysis_board", org_slug, sc_slug, item.board)
    messages.success(
        request,
        gettext("Made the objective “%(name)s” from the %(board)s.")
        % {"name": objective.name, "board": item.board_label},
    )
    return redirect("objective_detail", org_slug, sc_slug, objective.code)
