"""The scorecard report as PDF: a Django template and print CSS, laid out by WeasyPrint.

Nothing is fetched while rendering: the stylesheet is in the page, charts and the
strategy map are inline SVG, and :class:`OfflineFetcher` refuses every URL that
is not a ``data:`` URL (user text is escaped, so none should ever get there).
"""

from __future__ import annotations

import re
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from scorecard.engine.windows import CUSTOM, CustomWindow, parse_view
from scorecard.kpis.evaluation import kpi_spec
from scorecard.maps.selectors import map_positions
from scorecard.presentation.charts import history_chart, status_zones, value_range
from scorecard.presentation.map_parts import map_bands, map_links
from scorecard.presentation.numbers import format_number
from scorecard.presentation.reports.common import period_text
from scorecard.presentation.strategy_map import MapBand, render_map
from scorecard.reports.data import KpiBlock, ReportData

#: Periods a KPI's small chart shows (the most recent ones).
CHART_PERIODS = 12
#: Drawing size of a KPI's small chart in pixels (printed about 9 cm wide).
CHART_SIZE = (600, 250)
#: pygal's ids for its (here unused) legend script; repeated in every chart of a report.
SERIES_ID = re.compile(r' id="activate-serie-\d+"')


class OfflineFetcher(URLFetcher):
    """Fetches nothing but ``data:`` URLs; every other URL is refused and remembered."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, timeout=1)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not url.startswith("data:"):
            self.refused.append(url)
            raise ValueError(f"reports fetch nothing from outside: {url}")
        return super().fetch(url, headers)


def kpi_chart(block: KpiBlock) -> str:
    """The KPI's recent history over its status zones (pygal SVG), or empty."""
    history = list(block.row.result.history)[-CHART_PERIODS:]
    if not any(value is not None for _, value, _ in history):
        return ""
    kpi = block.kpi
    latest_target = next((t for _, _, t in reversed(history) if t is not None), None)
    low, high = value_range(history)
    svg = history_chart(
        history,
        title=_("History of %(kpi)s: values, targets and status zones") % {"kpi": kpi.name},
        formatter=lambda v: format_number(v, kpi.unit),
        zones=status_zones(kpi_spec(kpi), latest_target, low, high),
        y_range=(low, high),
        size=CHART_SIZE,
    )
    return SERIES_ID.sub("", svg)


def map_parts(data: ReportData) -> tuple[list[MapBand], list[tuple[str, str]]]:
    """The strategy map's bands and links (objective codes), as the web page draws them;
    each box links to its objective in the report."""
    bands = map_bands(
        (p.row for p in data.perspectives), lambda o: f"#objective-{o.objective.code}"
    )
    return bands, map_links(data.page)


def strategy_map_svg(data: ReportData) -> str:
    """The strategy map of the web page; each box links to its objective in the report."""
    bands, links = map_parts(data)
    return render_map(
        bands,
        links,
        title=_("Strategy map of %(scorecard)s") % {"scorecard": data.scorecard.name},
        positions=map_positions(scorecard=data.scorecard),  # as the editors arranged it
    )


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def counter_css(text: str) -> str:
    """A CSS ``content`` value from a translated text whose ``%(page)s`` and ``%(pages)s``
    stand for the page counters: ``"Seite " counter(page) " von " counter(pages)``."""
    marked = text % {"page": "\x00page\x00", "pages": "\x00pages\x00"}
    parts = re.split("\x00(page|pages)\x00", marked)
    out = [
        f"counter({part})" if index % 2 else _css_string(part) for index, part in enumerate(parts)
    ]
    return " ".join(item for item in out if item != '""')


def page_footer_css() -> str:
    """The CSS ``content`` of the report's page footer (``Page 2 of 9``), in the active
    language."""
    return counter_css(_("Page %(page)s of %(pages)s"))


def report_html(data: ReportData) -> str:
    """The report as HTML (what WeasyPrint lays out; also handy to debug the layout)."""
    return render_to_string(
        "reports/report.html",
        {
            "data": data,
            "period_text": period_text(data),
            "page_footer": page_footer_css(),
            "scorecard": data.scorecard,
            "organization": data.scorecard.organization,
            "page": data.page,
            "map_svg": strategy_map_svg(data) if data.page.rows.objectives else "",
            "charts": {block.kpi.pk: kpi_chart(block) for block in data.kpi_blocks},
        },
    )


def report_pdf(data: ReportData) -> bytes:
    """The report as PDF bytes."""
    fetcher = OfflineFetcher()
    document = HTML(string=report_html(data), url_fetcher=fetcher, base_url=None)
    return bytes(document.write_pdf())


def filename(data: ReportData, extension: str) -> str:
    """``northwind-company-2026-11-23.pdf``: organization, scorecard, as-of date; a report
    of the numbers as known then says so (``…-2026-10-31-as-known-then.pdf``, or
    ``…-as-known-2026-11-20-1100.pdf`` for an exact moment), so the two never mix up."""
    org = data.scorecard.organization.slug
    known = ""
    if data.known_at is not None:
        moment = timezone.localtime(data.known_at)
        known = "-as-known-then" if data.known == "then" else f"-as-known-{moment:%Y-%m-%d-%H%M}"
    day = f"{data.as_of:%Y-%m-%d}"
    window = parse_view(data.view) if data.view.startswith(f"{CUSTOM}:") else None
    if isinstance(window, CustomWindow):
        # A custom window: its two days (``…-2026-02-01-to-2026-03-31.pdf``).
        day = f"{window.start:%Y-%m-%d}-to-{window.end:%Y-%m-%d}"
    return f"{org}-{data.scorecard.slug}-{day}{known}.{extension}"
