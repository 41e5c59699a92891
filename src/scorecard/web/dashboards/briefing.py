"""The briefing deck: several scorecards of the organization as one PowerPoint file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from scorecard import clock
from scorecard.presentation.reports.deck import deck_pptx
from scorecard.reports.data import report_data
from scorecard.strategy.models import Scorecard
from scorecard.web.access import organization_for
from scorecard.web.queries import PeriodQuery

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
#: The most scorecards one deck gathers.
MAX_SCORECARDS = 10


@login_required
def briefing_deck(request: HttpRequest, org_slug: str) -> HttpResponse:
    """``?scorecards=company,sales`` (slugs, in that order; default: every scorecard) for
    the page's period (``as_of``, ``view``, ``known``) as a .pptx deck."""
    organization, _ = organization_for(request, org_slug)
    wanted = [s for s in request.GET.get("scorecards", "").split(",") if s.strip()]
    cards = {c.slug: c for c in Scorecard.objects.filter(organization=organization)}
    unknown = [s for s in wanted if s not in cards]
    if unknown:
        return HttpResponse(
            f"No scorecard “{unknown[0]}” in {organization.name}; "
            f"choose among: {', '.join(sorted(cards))}.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    chosen = [cards[s] for s in wanted] or sorted(cards.values(), key=lambda c: c.name)
    if len(chosen) > MAX_SCORECARDS:
        return HttpResponse(
            f"A deck gathers at most {MAX_SCORECARDS} scorecards.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    query = PeriodQuery.from_request(request)
    now = clock.now()
    reports = [
        report_data(
            scorecard=card,
            as_of=query.as_of,
            view=query.view,
            generated_at=now,
            known_at=query.known_at,
            known=query.known,
        )
        for card in chosen
    ]
    response = HttpResponse(
        deck_pptx(reports, title=f"Briefing book of {organization.name}"), content_type=PPTX
    )
    name = f"{organization.slug}-briefing-{query.as_of.isoformat()}.pptx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
