"""The commentary panel: the generated text (or the owner's edited one) for the period the
page shows, the form to edit it before a meeting, and its history. Pages load it as an htmx
fragment (hx-trigger="load"); without JavaScript it is a page of its own."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from scorecard.commentary.models import Commentary
from scorecard.commentary.selectors import commentary_history, scorecard_facts, subject_period
from scorecard.commentary.services import commentary_save
from scorecard.kpis.models import Kpi
from scorecard.kpis.scorecard_selectors import scorecard_page
from scorecard.organizations.models import Membership, Role
from scorecard.presentation.commentary import subject_text
from scorecard.strategy.models import Objective, Scorecard
from scorecard.web.access import is_htmx, scorecard_for
from scorecard.web.queries import PeriodQuery, period_query

from .rewrite import rewrite


def _may_edit(
    user: Any, membership: Membership, scorecard: Scorecard, subject: str, key: str
) -> bool:
    """Editors and admins edit any text; the owner of a KPI or objective edits its own."""
    if membership.allows(Role.EDITOR):
        return True
    if membership.role == Role.VIEWER:
        return False
    if subject == Commentary.Subject.KPI:
        return Kpi.objects.filter(scorecard=scorecard, code=key, owner=user).exists()
    if subject == Commentary.Subject.OBJECTIVE:
        return Objective.objects.filter(scorecard=scorecard, code=key, owner=user).exists()
    return False


@login_required
@require_http_methods(["GET", "POST"])
def commentary_panel(
    request: HttpRequest, org_slug: str, sc_slug: str, subject: str, key: str
) -> HttpResponse:
    """GET: the subject's commentary; POST (owner or editor): keep an edited text for the
    period, or an empty text to go back to the generated one."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    if subject not in Commentary.Subject.values:
        raise Http404("No such kind of commentary.")
    query = PeriodQuery.from_request(request)
    page = scorecard_page(
        scorecard=scorecard, as_of=query.as_of, view=query.view, known_at=query.known_at
    )
    facts = scorecard_facts(page=page, as_of=query.as_of, view=query.view, known_at=query.known_at)
    found = facts.get(subject, key)
    period = subject_period(facts, subject, key)
    if found is None or period is None:
        raise Http404("Nothing of that name on this scorecard.")
    may_edit = _may_edit(request.user, membership, scorecard, subject, key)
    generated = subject_text(found)
    status, errors = 200, []
    if request.method == "POST":
        if not may_edit:
            return HttpResponse(
                gettext("Only the owner or an editor can edit this commentary."), status=403
            )
        if query.known_at is not None:
            errors = [
                gettext("Commentary is edited for the numbers as known now, not as known then.")
            ]
            status = 422
        else:
            try:
                row = commentary_save(
                    scorecard=scorecard, subject=subject, key=key, period=period,
                    text=request.POST.get("text", ""), generated=generated, user=request.user,
                )  # fmt: skip
            except ValidationError as exc:
                errors, status = exc.messages, 422
            else:
                facts.saved.pop((subject, key), None)
                if row is not None:
                    facts.saved[(subject, key)] = row
    saved = facts.saved.get((subject, key))
    # An edited text is the owner's; otherwise the configured model may reword it.
    worded = rewrite(generated) if saved is None else None
    context = {
        "organization": scorecard.organization,
        "scorecard": scorecard,
        "membership": membership,
        "subject": subject,
        "key": key,
        "name": getattr(found, "name", key),
        "period": period,
        "generated": generated,
        "saved": saved,
        "text": saved.text if saved else worded.text if worded else generated,
        "rewritten": worded is not None and worded.rewritten,
        "may_edit": may_edit and query.known_at is None,
        "errors": errors,
        "posted": request.POST.get("text", "") if errors else "",
        "history": commentary_history(scorecard=scorecard, subject=subject, key=key, period=period),
        "period_query": period_query(query.as_of, query.view, query.known),
        "param_errors": query.errors,
    }
    template = "web/commentary/_panel.html" if is_htmx(request) else "web/commentary/page.html"
    return render(request, template, context, status=status)
