"""Adoption: who uses the scorecard in their daily work (editors and admins)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from scorecard import clock
from scorecard.adoption.selectors import ACTIVITIES, adoption
from scorecard.organizations.models import Role, Unit

from ..access import organization_for

#: What a member did, in words.
ACTIVITY_WORDS = {
    "opened": pgettext_lazy("activity", "opened"),
    "updated": pgettext_lazy("activity", "updated"),
    "commented": pgettext_lazy("activity", "commented"),
    "proposed": pgettext_lazy("activity", "proposed"),
}


@login_required
@require_GET
def adoption_page(request: HttpRequest, org_slug: str) -> HttpResponse:
    """People who opened, updated, commented or proposed in the last 30 and 90 days."""
    organization, membership = organization_for(request, org_slug, Role.EDITOR)
    slug = request.GET.get("unit", "")
    unit = Unit.objects.filter(organization=organization, slug=slug).first() if slug else None
    report = adoption(organization=organization, today=clock.today(), unit=unit)
    for person in report.people:  # the activities in the reader's language
        person.did = {
            days: [str(ACTIVITY_WORDS.get(a, a)) for a in done] for days, done in person.did.items()
        }
    return render(
        request,
        "web/adoption/adoption.html",
        {
            "organization": organization,
            "membership": membership,
            "report": report,
            "unit": unit,
            "units": Unit.objects.filter(organization=organization),
            "activities": ACTIVITIES,
        },
    )
