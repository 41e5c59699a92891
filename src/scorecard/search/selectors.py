"""One search over the items of the organizations a user belongs to.

Every query is scoped by organization id first; nothing of another organization can be
found. On PostgreSQL a word also matches through full-text search (stemmed: "deliveries"
finds "delivery"); everywhere a case-insensitive substring match finds names and codes.
Five queries, whatever the number of scorecards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Membership, Unit
from scorecard.strategy.models import Objective

MIN_LENGTH = 2
MAX_LENGTH = 100
LIMIT = 20


@dataclass
class SearchResults:
    """What a search found, by kind; ``problem`` explains a query that was not run."""

    query: str
    kpis: list[Kpi] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    people: list[Membership] = field(default_factory=list)
    problem: str = ""

    @property
    def count(self) -> int:
        return sum(
            len(group)
            for group in (self.kpis, self.objectives, self.initiatives, self.units, self.people)
        )


def _full_text() -> bool:
    return connection.vendor == "postgresql"


def _match(queryset: QuerySet[Any], text: str, fields: list[str]) -> QuerySet[Any]:
    """Rows whose ``fields`` contain ``text`` (or, on PostgreSQL, match its words)."""
    contains = Q()
    for name in fields:
        contains |= Q(**{f"{name}__icontains": text})
    if not _full_text():
        return queryset.filter(contains)
    vector = SearchVector(*fields, config="english")
    words = SearchQuery(text, config="english", search_type="websearch")
    return queryset.annotate(_search=vector).filter(contains | Q(_search=words))


def search(*, user: Any, query: str, organization_id: int | None = None) -> SearchResults:
    """KPIs, objectives, initiatives, units and people matching ``query`` in the
    organizations ``user`` belongs to (only ``organization_id`` when given)."""
    text = " ".join((query or "").split())
    results = SearchResults(query=text)
    if len(text) < MIN_LENGTH:
        results.problem = _("Type at least %(count)s characters to search.") % {"count": MIN_LENGTH}
        return results
    if len(text) > MAX_LENGTH:
        results.problem = _("A search is at most %(count)s characters long.") % {
            "count": MAX_LENGTH
        }
        return results
    organizations = Membership.objects.filter(user_id=user.pk).values("organization_id")
    if organization_id is not None:
        organizations = organizations.filter(organization_id=organization_id)
    results.kpis = list(
        _match(
            Kpi.objects.filter(scorecard__organization_id__in=organizations),
            text,
            ["name", "code", "description"],
        )
        .select_related("scorecard__organization", "objective")
        .order_by("name", "pk")[:LIMIT]
    )
    results.objectives = list(
        _match(
            Objective.objects.filter(scorecard__organization_id__in=organizations),
            text,
            ["name", "code", "description"],
        )
        .select_related("scorecard__organization")
        .order_by("name", "pk")[:LIMIT]
    )
    results.initiatives = list(
        _match(
            Initiative.objects.filter(scorecard__organization_id__in=organizations),
            text,
            ["name", "description"],
        )
        .select_related("scorecard__organization")
        .order_by("name", "pk")[:LIMIT]
    )
    results.units = list(
        _match(Unit.objects.filter(organization_id__in=organizations), text, ["name", "slug"])
        .select_related("organization")
        .order_by("name", "pk")[:LIMIT]
    )
    results.people = list(
        _match(
            Membership.objects.filter(organization_id__in=organizations),
            text,
            ["user__username", "user__first_name", "user__last_name"],
        )
        .select_related("user", "organization", "unit")
        .order_by("user__username", "pk")[:LIMIT]
    )
    return results
