"""The briefing book: several scorecards of the organization as one PowerPoint deck or one
PDF book."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from scorecard import clock
from scorecard.presentation.reports.book import book_pdf
from scorecard.presentation.reports.deck import deck_pptx
from scorecard.reports.data import report_data
from scorecard.strategy.models import Scorecard
from scorecard.web.access import organization_for
from scorecard.web.queries import PeriodQuery

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
#: The most scorecards one deck gathers.
MAX_SCORECARDS = 10


def _reports(request: HttpRequest, org_slug: str) -> tuple[Any, list[Any] | HttpResponse]:
    """The organization and the reports of the scorecards named in ``?scorecards=``
    (slugs, in that order; default: every scorecard), or a 400 answer saying what is wrong."""
    organization, _ = organization_for(request, org_slug)
    wanted = [s for s in request.GET.get("scorecards", "").split(",") if s.strip()]
    cards = {c.slug: c for c in Scorecard.objects.filter(organization=organization)}
    unknown = [s for s in wanted if s not in cards]
    if unknown:
        return organization, HttpResponse(
            f"No scorecard “{unknown[0]}” in {organization.name}; "
            f"choose among: {', '.join(sorted(cards))}.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    chosen = [cards[s] for s in wanted] or sorted(cards.values(), key=lambda c: c.name)
    if len(chosen) > MAX_SCORECARDS:
        return organization, HttpResponse(
            f"A book gathers at most {MAX_SCORECARDS} scorecards.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    query = PeriodQuery.from_request(request)
    now = clock.now()
    return organization, [
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


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def briefing_deck(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The chosen scorecards for the page's period (``as_of``, ``view``, ``known``) as a
    PowerPoint deck."""
    organization, reports = _reports(request, org_slug)
    if isinstance(reports, HttpResponse):
        return reports
    deck = deck_pptx(reports, title=f"Briefing book of {organization.name}")
    return _download(deck, PPTX, f"{organization.slug}-briefing-{reports[0].as_of}.pptx")


@login_required
def briefing_book(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The chosen scorecards' PDF reports as one book with a contents page, numbered
    through."""
    organization, reports = _reports(request, org_slug)
    if isinstance(reports, HttpResponse):
        return reports
    book = book_pdf(reports, title=f"Briefing book of {organization.name}")
    return _download(
        book, "application/pdf", f"{organization.slug}-briefing-{reports[0].as_of}.pdf"
    )
