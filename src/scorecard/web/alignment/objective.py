"""Aligning an existing objective to objectives above it, on the objective page:
add an alignment with a share, change a share, remove an alignment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from scorecard.alignment.services import alignment_create, alignment_delete, alignment_update
from scorecard.strategy.models import Objective, ObjectiveAlignment, Scorecard

from ..manage.common import EDIT, scorecard_for
from ..parsing import parse_number


def percent_share(raw: str) -> float:
    """A share typed in per cent ("40", "40 %", "12.5%") as a fraction; a clear error else."""
    text = (raw or "").strip().rstrip("%").strip()
    if not text:
        raise ValidationError(gettext("Enter the share in per cent (more than 0, at most 100)."))
    try:
        percent = parse_number(text)
    except ValueError:
        raise ValidationError(
            gettext("“%(raw)s” is not a number: enter the share in per cent.") % {"raw": raw}
        ) from None
    if percent is None or not 0 < percent <= 100:
        raise ValidationError(
            gettext("The share must be more than 0 %% and at most 100 %%; “%(raw)s” is not.")
            % {"raw": raw}
        )
    return percent / 100


def _objective(scorecard: Scorecard, code: str) -> Objective:
    found = (
        Objective.objects.filter(scorecard=scorecard, code=code).select_related("scorecard").first()
    )
    if found is None:
        raise Http404(gettext("No such objective."))
    return found


def _back(objective: Objective) -> HttpResponse:
    scorecard = objective.scorecard
    return redirect(
        reverse(
            "objective_detail", args=[scorecard.organization.slug, scorecard.slug, objective.code]
        )
        + "#alignment"
    )


def _alignment(objective: Objective, pk: int) -> ObjectiveAlignment:
    found = (
        ObjectiveAlignment.objects.filter(child=objective, pk=pk).select_related("parent").first()
    )
    if found is None:
        raise Http404(gettext("No such alignment."))
    return found


@login_required
@require_POST
def alignment_add(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Align the objective to an objective of a scorecard above, with a share."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, EDIT)
    objective = _objective(scorecard, code)
    parent = (
        Objective.objects.filter(
            pk=_int(request.POST.get("parent")), scorecard__organization=scorecard.organization
        )
        .select_related("scorecard")
        .first()
    )
    try:
        if parent is None:
            raise ValidationError(gettext("Choose the objective this one counts towards."))
        share = percent_share(request.POST.get("share", ""))
        alignment_create(child=objective, parent=parent, share=share)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            gettext("“%(name)s” now makes up %(share)s of “%(parent)s”.")
            % {"name": objective.name, "share": f"{share:.0%}", "parent": parent.name},
        )
    return _back(objective)


@login_required
@require_POST
def alignment_edit(
    request: HttpRequest, org_slug: str, sc_slug: str, code: str, pk: int
) -> HttpResponse:
    """Change the share of one of the objective's alignments."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, EDIT)
    objective = _objective(scorecard, code)
    alignment = _alignment(objective, pk)
    try:
        alignment_update(alignment=alignment, share=percent_share(request.POST.get("share", "")))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            gettext("“%(name)s” now makes up %(share)s of “%(parent)s”.")
            % {
                "name": objective.name,
                "share": f"{alignment.share:.0%}",
                "parent": alignment.parent.name,
            },
        )
    return _back(objective)


@login_required
@require_POST
def alignment_remove(
    request: HttpRequest, org_slug: str, sc_slug: str, code: str, pk: int
) -> HttpResponse:
    """Stop the objective counting towards one objective above (both stay)."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, EDIT)
    objective = _objective(scorecard, code)
    alignment = _alignment(objective, pk)
    alignment_delete(alignment=alignment)
    messages.success(
        request,
        gettext("“%(name)s” no longer counts towards “%(parent)s”.")
        % {"name": objective.name, "parent": alignment.parent.name},
    )
    return _back(objective)


def _int(raw: str | None) -> int:
    try:
        return int(raw or "")
    except ValueError:
        return 0
