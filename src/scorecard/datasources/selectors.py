"""Reads for data sources, always scoped by organization (except for the CLI's lookup)."""

from __future__ import annotations

from django.db.models import QuerySet

from scorecard.organizations.models import Organization

from .models import Connection, DataSource, Run

#: How many runs a source's page lists.
RECENT_RUNS = 30


def connections_of(organization: Organization) -> QuerySet[Connection]:
    return Connection.objects.filter(organization=organization)


def sources_of(organization: Organization) -> QuerySet[DataSource]:
    return DataSource.objects.filter(organization=organization).select_related(
        "connection", "scorecard", "kpi"
    )


def runs_of(source: DataSource, limit: int = RECENT_RUNS) -> list[Run]:
    return list(Run.objects.filter(source=source)[:limit])


def source_named(text: str) -> DataSource:
    """The source with this number or name (for the command line); ValueError if none
    or several (names are unique per organization: give the number then)."""
    query = DataSource.objects.select_related("connection", "scorecard", "kpi")
    found = list(query.filter(pk=int(text))) if text.isdigit() else list(query.filter(name=text))
    if not found:
        raise ValueError(f"No data source is called “{text}”; `scorecard pull --all` lists none?")
    if len(found) > 1:
        numbers = ", ".join(str(s.pk) for s in found)
        raise ValueError(
            f"Several organizations have a source “{text}”: give its number ({numbers})."
        )
    return found[0]
