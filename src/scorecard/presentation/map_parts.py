"""The strategy map's bands and links from a scored scorecard: one builder for the map page,
dashboards, share links, PDF reports and workbooks, so a box reads the same everywhere.

The caller says where a box links to (an objective page, an anchor in a report, nowhere)
and, on the map page, which boxes carry a risk sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from scorecard.kpis.scorecard_selectors import ObjectiveRow, PerspectiveRow, ScorecardPage
from scorecard.presentation.numbers import pct, status_label
from scorecard.presentation.strategy_map import MapBand, MapBox


def map_bands(
    perspectives: Iterable[PerspectiveRow],
    url_of: Callable[[ObjectiveRow], str],
    risk_of: Callable[[ObjectiveRow], str] | None = None,
) -> list[MapBand]:
    """One band per perspective (in the given order), one box per objective with its score
    and status in words; ``url_of`` gives a box's link, ``risk_of`` its risk sentence."""
    return [
        MapBand(
            p.perspective.name,
            tuple(
                MapBox(
                    key=o.objective.code,
                    name=o.objective.name,
                    status=o.result.status,
                    score_text=pct(o.result.score),
                    status_text=status_label(o.result.status),
                    url=url_of(o),
                    risk=risk_of(o) if risk_of is not None else "",
                )
                for o in p.objectives
            ),
        )
        for p in perspectives
    ]


def map_links(page: ScorecardPage) -> list[tuple[str, str]]:
    """The scorecard's cause → effect links as pairs of objective codes (links to objectives
    that are not on the page are left out)."""
    codes = {o.pk: o.code for o in page.rows.objectives}
    return [(codes[c], codes[e]) for c, e in page.links if c in codes and e in codes]
