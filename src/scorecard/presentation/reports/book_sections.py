"""The sections a saved briefing book may add after each scorecard's report: its risk
register, the decisions of its latest review meeting, and the commentary in words for the
scorecard and its perspectives (docs/reports.md).

:func:`book_sections` reads them (risks and meetings through their selectors, the
commentary from the report's own scored page, so its figures are the report's);
:func:`sections_html` lays them out for the PDF and :func:`sections_slides` adds them to
the PowerPoint deck.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django.utils.translation import gettext, gettext_lazy
from pptx.util import Inches, Pt

from scorecard.commentary.models import Commentary
from scorecard.commentary.selectors import scorecard_facts
from scorecard.meetings.models import ReviewMeeting
from scorecard.meetings.selectors import decisions_of
from scorecard.reports.data import ReportData
from scorecard.risks.selectors import risks_of

from ..commentary import subject_text
from ..numbers import period_label

#: The sections in a few words, for headings and the book's contents.
WORDS = {
    "risks": gettext_lazy("risks"),
    "decisions": gettext_lazy("decisions"),
    "commentary": gettext_lazy("commentary"),
}


def chosen_words(chosen: tuple[str, ...]) -> str:
    """``risks, decisions`` in the active language."""
    return ", ".join(str(WORDS.get(code, code)) for code in chosen)


def texts(words: list[Any]) -> list[str]:
    """Lazy translations as text of the active language."""
    return [str(word) for word in words]


def edited(name: str) -> str:
    """A commentary's subject, marked as edited."""
    return gettext("%(name)s (edited)") % {"name": name}


#: The parts a book may add, in the order they follow each report.
SECTIONS = ("risks", "decisions", "commentary")

TITLES = {
    "risks": gettext_lazy("Risks"),
    "decisions": gettext_lazy("Decisions of the latest review"),
    "commentary": gettext_lazy("Commentary"),
}


@dataclass(frozen=True)
class RiskLine:
    title: str
    level: str
    level_after: str
    owner: str
    initiatives: tuple[str, ...]


@dataclass(frozen=True)
class DecisionLine:
    text: str
    owner: str
    due: dt.date | None


@dataclass(frozen=True)
class CommentLine:
    """One subject's words: the scorecard's or a perspective's."""

    name: str
    text: str
    edited: bool


@dataclass
class BookSections:
    """The added sections of one scorecard; a section not chosen is None."""

    scorecard: str
    risks: list[RiskLine] | None = None
    meeting: str = ""
    decisions: list[DecisionLine] | None = None
    commentary: list[CommentLine] | None = None
    period: str = ""
    chosen: tuple[str, ...] = field(default=())


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.username)


def _risks(report: ReportData) -> list[RiskLine]:
    return [
        RiskLine(
            title=r.title,
            level=r.level,
            level_after=r.level_after,
            owner=_person(r.owner),
            initiatives=tuple(sorted(i.name for i in r.initiatives.all())),
        )
        for r in risks_of(scorecard=report.scorecard)
    ]


def _decisions(report: ReportData) -> tuple[str, list[DecisionLine]]:
    """The latest meeting held on or before the as-of date, and its decisions."""
    meeting = (
        ReviewMeeting.objects.filter(scorecard=report.scorecard, held_on__lte=report.as_of)
        .only("id", "title", "held_on")
        .order_by("-held_on", "-id")
        .first()
    )
    if meeting is None:
        return "", []
    lines = [
        DecisionLine(text=d.text, owner=_person(d.owner), due=d.deadline)
        for d in decisions_of(meeting)
    ]
    return f"{meeting.title} ({meeting.held_on:%-d %b %Y})", lines


def _commentary(report: ReportData) -> tuple[str, list[CommentLine]]:
    """The saved text for the period where an owner edited one, else the generated one."""
    facts = scorecard_facts(
        page=report.page, as_of=report.as_of, view=report.view, known_at=report.known_at
    )
    subjects = []
    if facts.scorecard is not None:
        subjects.append((Commentary.Subject.SCORECARD, facts.scorecard))
    for block in report.perspectives:
        found = facts.perspectives.get(str(block.row.perspective.pk))
        if found is not None:
            subjects.append((Commentary.Subject.PERSPECTIVE, found))
    lines = []
    for subject, found in subjects:
        saved = facts.saved.get((subject, found.key))
        lines.append(
            CommentLine(
                name=found.name,
                text=saved.text if saved is not None else subject_text(found),
                edited=saved is not None,
            )
        )
    return period_label(facts.period), lines


def book_sections(report: ReportData, chosen: frozenset[str]) -> BookSections:
    """The sections in ``chosen`` ("risks", "decisions", "commentary") for one report."""
    out = BookSections(
        scorecard=report.scorecard.name, chosen=tuple(s for s in SECTIONS if s in chosen)
    )
    if "risks" in chosen:
        out.risks = _risks(report)
    if "decisions" in chosen:
        out.meeting, out.decisions = _decisions(report)
    if "commentary" in chosen:
        out.period, out.commentary = _commentary(report)
    return out


# --- PDF ----------------------------------------------------------------------------------

SECTIONS_CSS = """
@page { size: A4; margin: 18mm;
  @bottom-right { content: "Page " counter(page); font: 7.5pt sans-serif; color: #667380; } }
body { font: 10pt "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: #1f2933; }
h1 { font-size: 18pt; margin: 0 0 3mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 1.5mm 2mm 1.5mm 0; border-bottom: 0.3pt solid #c8d0d8;
  vertical-align: top; }
p.none { color: #667380; }
"""


def _due(day: dt.date | None) -> str:
    return f"{day:%-d %b %Y}" if day else "—"


def risk_rows(sections: BookSections) -> list[list[str]]:
    """The risk register's rows: title, level before, level after, owner, initiatives."""
    return [
        [
            r.title,
            r.level,
            r.level_after or "not rated",
            r.owner or "—",
            ", ".join(r.initiatives) or "—",
        ]
        for r in sections.risks or []
    ]


def decision_rows(sections: BookSections) -> list[list[str]]:
    return [[d.text, d.owner or "—", _due(d.due)] for d in sections.decisions or []]


def _table(head: list[str], rows: list[list[str]], empty: str) -> str:
    if not rows:
        return f'<p class="none">{escape(empty)}</p>'
    ths = "".join(f"<th>{escape(h)}</th>" for h in head)
    trs = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{ths}</tr></thead><tbody>{trs}</tbody></table>"


RISK_HEAD = [
    gettext_lazy("Risk"), gettext_lazy("Level"), gettext_lazy("After mitigation"),
    gettext_lazy("Owner"), gettext_lazy("Mitigating initiatives"),
]  # fmt: skip
DECISION_HEAD = [gettext_lazy("Decision"), gettext_lazy("Owner"), gettext_lazy("Due")]


def sections_html(sections: BookSections, first_page: int) -> str:
    """The sections of one scorecard as an HTML document whose pages start at ``first_page``."""
    parts = [f"<h1>{escape(sections.scorecard)}: {escape(chosen_words(sections.chosen))}</h1>"]
    if sections.risks is not None:
        parts.append(f"<h2>{TITLES['risks']}</h2>")
        parts.append(_table(texts(RISK_HEAD), risk_rows(sections), gettext("No risks recorded.")))
    if sections.decisions is not None:
        parts.append(f"<h2>{TITLES['decisions']}</h2>")
        if sections.meeting:
            parts.append(f"<p>{escape(sections.meeting)}</p>")
            parts.append(
                _table(
                    texts(DECISION_HEAD), decision_rows(sections), gettext("No decisions taken.")
                )
            )
        else:
            parts.append(f'<p class="none">{escape(gettext("No review meeting held yet."))}</p>')
    if sections.commentary is not None:
        parts.append(f"<h2>{TITLES['commentary']} — {escape(sections.period)}</h2>")
        for line in sections.commentary:
            heading = edited(line.name) if line.edited else line.name
            parts.append(f"<h3>{escape(heading)}</h3><p>{escape(line.text)}</p>")
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<style>{SECTIONS_CSS}@page :first {{ counter-reset: page {first_page}; }}</style>"
        f"</head><body>{''.join(parts)}</body></html>"
    )


# --- PowerPoint ---------------------------------------------------------------------------


def _slide(deck: Any, title: str) -> Any:
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # "Title Only"
    slide.shapes.title.text = title
    return slide


def _slide_table(slide: Any, head: list[str], rows: list[list[str]]) -> None:
    shape = slide.shapes.add_table(
        len(rows) + 1,
        len(head),
        Inches(0.4),
        Inches(1.4),
        Inches(9.2),
        Inches(0.3) * (len(rows) + 1),
    )
    table = shape.table
    for c, name in enumerate(head):
        table.cell(0, c).text = name
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text = value
            cell.text_frame.paragraphs[0].font.size = Pt(10)


def _slide_text(slide: Any, lines: list[tuple[str, bool]]) -> None:
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.4), Inches(8.8), Inches(5.4))
    frame = box.text_frame
    frame.word_wrap = True
    for i, (line, bold) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(13)
        paragraph.font.bold = bold


def sections_slides(deck: Any, sections: BookSections) -> None:
    """One slide per chosen section of one scorecard."""
    name = sections.scorecard
    if sections.risks is not None:
        slide = _slide(deck, f"{name} · {TITLES['risks']}")
        rows = risk_rows(sections)
        if rows:
            _slide_table(slide, texts(RISK_HEAD), rows)
        else:
            _slide_text(slide, [(gettext("No risks recorded."), False)])
    if sections.decisions is not None:
        title = f"{name} · {TITLES['decisions']}"
        slide = _slide(deck, f"{title}: {sections.meeting}" if sections.meeting else title)
        if not sections.meeting:
            _slide_text(slide, [(gettext("No review meeting held yet."), False)])
        elif sections.decisions:
            _slide_table(slide, texts(DECISION_HEAD), decision_rows(sections))
        else:
            _slide_text(slide, [(gettext("No decisions taken."), False)])
    if sections.commentary is not None:
        slide = _slide(deck, f"{name} · {TITLES['commentary']} — {sections.period}")
        lines = []
        for line in sections.commentary:
            lines.append((edited(line.name) if line.edited else line.name, True))
            lines.append((line.text, False))
        _slide_text(slide, lines)
