"""Saved briefing books: editors assemble them (scorecards, perspectives, parts, period);
members read them as PDF, PowerPoint or Excel for the saved period, or for another one
given in the query string (``as_of``, ``view``, ``known=then``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from scorecard import clock
from scorecard.deliveries import selectors, services
from scorecard.deliveries.models import Book
from scorecard.organizations.models import Organization, Role
from scorecard.presentation.reports.book import book_pdf
from scorecard.presentation.reports.book_sections import BookSections, book_sections
from scorecard.presentation.reports.book_xlsx import book_xlsx
from scorecard.presentation.reports.deck import deck_pptx
from scorecard.reports.data import ReportData, known_then, report_data
from scorecard.web.access import organization_for
from scorecard.web.queries import PeriodQuery

from .forms import BookForm

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _book(organization: Organization, pk: int) -> Book:
    book = selectors.book_get(organization, pk)
    if book is None:
        raise Http404(gettext("No such book."))
    return book


@login_required
def book_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The organization's saved books (every member reads them; editors change them)."""
    organization, membership = organization_for(request, org_slug)
    return render(
        request,
        "deliveries/books.html",
        {
            "organization": organization,
            "membership": membership,
            "books": list(selectors.books_of(organization)),
            "may_edit": membership.allows(Role.EDITOR),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def book_edit(request: HttpRequest, org_slug: str, pk: int | None = None) -> HttpResponse:
    """Assemble a new book (no ``pk``) or change one."""
    organization, membership = organization_for(request, org_slug, Role.EDITOR)
    book = _book(organization, pk) if pk is not None else None
    initial = BookForm.initial_of(book) if book else {"include_map": True, "view": "period"}
    form = BookForm(organization=organization, initial=initial)
    if request.method == "POST":
        form = BookForm(request.POST, organization=organization)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.book_save(
                    organization=organization, user=request.user, book=book,
                    name=data["name"], scorecards=data["scorecards"],
                    perspectives=data["perspectives"], objectives=data["objectives"],
                    include_map=data["include_map"],
                    include_initiatives=data["include_initiatives"],
                    include_risks=data["include_risks"],
                    include_decisions=data["include_decisions"],
                    include_commentary=data["include_commentary"],
                    include_kpi_charts=data["include_kpi_charts"], view=data["view"],
                    as_of=data["as_of"], known=data["known"] or "",
                )  # fmt: skip
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request, gettext("Saved the book “%(name)s”.") % {"name": saved.name}
                )
                return redirect("book_list", org_slug)
    return render(
        request,
        "deliveries/book_form.html",
        {"organization": organization, "membership": membership, "form": form, "book": book},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def book_delete(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    organization, _ = organization_for(request, org_slug, Role.EDITOR)
    book = _book(organization, pk)
    services.book_delete(book=book)
    messages.success(request, gettext("Deleted the book “%(name)s”.") % {"name": book.name})
    return redirect("book_list", org_slug)


def _requested_reports(book: Book, request: HttpRequest) -> list[ReportData]:
    """The book's reports for its saved period, or the one in the query string."""
    if {"as_of", "view", "known", "known_at"} & set(request.GET):
        query = PeriodQuery.from_request(request)
        return book_reports(
            book, as_of=query.as_of, view=query.view, known=query.known, known_at=query.known_at
        )
    as_of = book.as_of or clock.today()
    known_at = known_then(as_of) if book.known == "then" else None
    return book_reports(book, as_of=as_of, view=book.view, known=book.known, known_at=known_at)


def book_hidden(book: Book) -> frozenset[str]:
    """The report parts the book leaves out of its PDF."""
    shown = (("map", book.include_map), ("initiatives", book.include_initiatives))
    return frozenset(part for part, on in shown if not on)


def book_chosen_sections(book: Book) -> frozenset[str]:
    """The sections the book adds after each report (risks, decisions, commentary)."""
    shown = (
        ("risks", book.include_risks),
        ("decisions", book.include_decisions),
        ("commentary", book.include_commentary),
    )
    return frozenset(part for part, on in shown if on)


def book_extra_sections(book: Book, reports: list[ReportData]) -> list[BookSections] | None:
    """Each report's added sections, or None when the book adds none."""
    chosen = book_chosen_sections(book)
    return [book_sections(r, chosen) for r in reports] if chosen else None


def _only_objectives(data: ReportData, aims: set[int]) -> ReportData:
    """The report with only the chosen objectives (and their KPIs and measurements), if
    any of its scorecard's are chosen; perspectives left without one are dropped."""
    blocks = [o for p in data.perspectives for o in p.objectives]
    if not any(o.row.objective.pk in aims for o in blocks):
        return data
    parts = []
    for block in data.perspectives:
        kept = [o for o in block.objectives if o.row.objective.pk in aims]
        if kept:
            parts.append(dataclasses.replace(block, objectives=kept))
    kpis = {k.kpi.pk for p in parts for o in p.objectives for k in o.kpis}
    return dataclasses.replace(
        data, perspectives=parts, measurements=[m for m in data.measurements if m.kpi_id in kpis]
    )


def book_reports(
    book: Book, *, as_of: dt.date, view: str, known: str, known_at: dt.datetime | None
) -> list[ReportData]:
    """The book's reports for a period, each limited to the chosen perspectives of its
    scorecard (none chosen: all), without initiatives if the book leaves them out."""
    chosen = {p.pk for p in book.perspectives.all()}
    aims = {o.pk for o in book.objectives.all()}
    now = clock.now()
    reports = []
    for card in sorted(book.scorecards.all(), key=lambda c: c.name):
        data = report_data(
            scorecard=card, as_of=as_of, view=view, generated_at=now, known_at=known_at,
            known=known,
        )  # fmt: skip
        mine = [p for p in data.perspectives if p.row.perspective.pk in chosen]
        if mine:
            data = dataclasses.replace(data, perspectives=mine)
        data = _only_objectives(data, aims)
        if not book.include_initiatives:
            data = dataclasses.replace(data, initiatives=[])
        reports.append(data)
    return reports


@login_required
def book_file(request: HttpRequest, org_slug: str, pk: int, fmt: str) -> HttpResponse:
    """The book as PDF, PowerPoint deck or Excel workbook."""
    organization, _ = organization_for(request, org_slug)
    book = _book(organization, pk)
    reports = _requested_reports(book, request)
    title = f"{book.name} — {organization.name}"
    content: Any
    if fmt == "pdf":
        sections = book_extra_sections(book, reports)
        content = book_pdf(reports, title=title, hide=book_hidden(book), sections=sections)
    elif fmt == "pptx":
        content = deck_pptx(
            reports, title=title, sections=book_extra_sections(book, reports),
            kpi_charts=book.include_kpi_charts,
        )  # fmt: skip
    else:
        content = book_xlsx(
            reports, title=title, include_map=book.include_map,
            include_initiatives=book.include_initiatives,
        )  # fmt: skip
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = f"{organization.slug}-book-{book.pk}-{reports[0].as_of.isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
