"""The briefing book as PDF: several scorecard reports (the PDF report of each, reused as it
is) behind one cover page with the contents, numbered through as one book.

Each report is laid out by WeasyPrint in turn, its page counter starting where the previous
one ended, so the page numbers in the footers, in each report's own contents and in the
book's contents are the book's.
"""

from __future__ import annotations

import re
from html import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from scorecard.dates import day_month_year, day_time
from scorecard.reports.data import ReportData

from .book_sections import BookSections, chosen_words, sections_html
from .common import period_text
from .pdf import OfflineFetcher, counter_css, report_html

CONTENTS_CSS = """
@page { size: A4; margin: 20mm;
  @bottom-right { content: "Page " counter(page); font: 7.5pt sans-serif; color: #667380; } }
body { font: 10.5pt "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: #1f2933; }
h1 { font-size: 22pt; margin: 0 0 4mm; }
table { width: 100%; border-collapse: collapse; margin-top: 8mm; }
td { padding: 2mm 0; border-bottom: 0.3pt solid #c8d0d8; }
td.page { text-align: right; width: 20mm; }
"""


def _numbered(html: str, first_page: int) -> str:
    """The report's HTML with its page counter starting at ``first_page`` and the footer
    saying the book's page (its own cover page carries no footer, as in the report)."""
    css = (
        f"<style>@page :first {{ counter-reset: page {first_page}; }}"
        f"@page {{ @bottom-right {{ content: {counter_css(_('Page %(page)s'))}; }} }}</style>"
    )
    return html.replace("</head>", css + "</head>", 1)


#: Parts of a report a saved book may leave out: the section's id and its contents line.
PARTS = {
    "map": re.compile(r'<li><a href="#map">[^<]*</a></li>'),
    "initiatives": re.compile(r'<li><a href="#initiatives">[^<]*</a></li>'),
}


def _without(html: str, hide: frozenset[str]) -> str:
    """The report's HTML without the parts in ``hide`` (section and contents line)."""
    for part in sorted(hide & PARTS.keys()):
        html = PARTS[part].sub("", html, count=1)
    if hide & PARTS.keys():
        ids = ", ".join(f"#{part}" for part in sorted(hide & PARTS.keys()))
        html = html.replace("</head>", f"<style>{ids} {{ display: none; }}</style></head>", 1)
    return html


def book_pdf(
    reports: list[ReportData],
    *,
    title: str,
    hide: frozenset[str] = frozenset(),
    sections: list[BookSections] | None = None,
) -> bytes:
    """The book of ``reports`` (in that order) as PDF bytes; page 1 is the contents.
    ``hide`` names parts of each report to leave out ("map", "initiatives");
    ``sections`` (one per report) adds its risks, decisions and commentary after it."""
    fetcher = OfflineFetcher()
    documents, starts, page = [], [], 2
    extra_starts: list[int | None] = []
    for i, report in enumerate(reports):
        html = _numbered(_without(report_html(report), hide), page)
        document = HTML(string=html, url_fetcher=fetcher, base_url=None).render()
        documents.append(document)
        starts.append(page)
        page += len(document.pages)
        added = sections[i] if sections else None
        if added is not None and added.chosen:
            extra = HTML(
                string=sections_html(added, page), url_fetcher=fetcher, base_url=None
            ).render()
            documents.append(extra)
            extra_starts.append(page)
            page += len(extra.pages)
        else:
            extra_starts.append(None)
    first = reports[0] if reports else None
    made = timezone.localtime(first.generated_at) if first else None
    rows = ""
    page_word = _("page %(page)s")
    for i, (r, start, extra_start) in enumerate(zip(reports, starts, extra_starts, strict=True)):
        rows += (
            f"<tr><td>{escape(r.scorecard.name)} <span>— {escape(period_text(r))}</span></td>"
            f'<td class="page">{page_word % {"page": start}}</td></tr>'
        )
        if extra_start is not None and sections:
            words = chosen_words(sections[i].chosen)
            rows += (
                f"<tr><td>{escape(r.scorecard.name)} <span>— {escape(words)}</span></td>"
                f'<td class="page">{page_word % {"page": extra_start}}</td></tr>'
            )
    subtitle = (
        _("%(organization)s · as of %(day)s · %(numbers)s · made %(when)s")
        % {
            "organization": escape(first.scorecard.organization.name),
            "day": day_month_year(first.as_of),
            "numbers": escape(first.known_text),
            "when": day_time(made, ", "),
        }
        if first and made
        else ""
    )
    contents = HTML(
        string=(
            f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"<style>{CONTENTS_CSS}</style></head><body><h1>{escape(title)}</h1>"
            f"<p>{subtitle}</p><h2>{escape(_('Contents'))}</h2><table>{rows}</table></body></html>"
        ),
        url_fetcher=fetcher,
        base_url=None,
    ).render()
    pages = [*contents.pages[:1], *(p for d in documents for p in d.pages)]
    return bytes(contents.copy(pages).write_pdf())
