"""Review meetings: every member reads them; editors hold them, keep notes and decide.

A meeting page shows the numbers stored when it was held (its snapshot), never the
live ones, so it reads the same whatever is entered afterwards.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scorecard import clock
from scorecard.dates import day_month_year
from scorecard.meetings import selectors
from scorecard.meetings.frozen import fallback_note
from scorecard.meetings.models import ReviewMeeting
from scorecard.meetings.services import decision_add, meeting_create, meeting_notes_set
from scorecard.organizations.models import Membership, Role
from scorecard.strategy.models import Scorecard

from ..manage.common import apply_errors, base_context, scorecard_for
from .forms import VIEW_CHOICES, DecisionForm, MeetingForm, NotesForm

READ, EDIT = Role.VIEWER, Role.EDITOR


@login_required
@require_http_methods(["GET", "POST"])
def meeting_list(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The scorecard's review meetings; editors hold a new one (its numbers are frozen)."""
    role = EDIT if request.method == "POST" else READ
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, role)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_create(scorecard=scorecard, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if meeting.held_on < clock.today():
                text = _(
                    "Held “%(title)s”: the numbers are kept as they were known at the end of "
                    "%(day)s."
                )
            else:
                text = _("Held “%(title)s”: the numbers are kept as they are now.")
            day_text = day_month_year(meeting.held_on)
            messages.success(request, text % {"title": meeting.title, "day": day_text})
            return redirect("meeting_detail", org_slug, sc_slug, meeting.pk)
    return render(
        request,
        "web/governance/meeting_list.html",
        {
            **base_context(scorecard.organization, membership, scorecard),
            "meetings": selectors.meeting_list(scorecard=scorecard),
            "form": form,
            "view_labels": dict(VIEW_CHOICES),
        },
        status=422 if form.errors else 200,
    )


def _meeting(scorecard: Scorecard, pk: int) -> ReviewMeeting:
    meeting = selectors.meeting_get(scorecard=scorecard, pk=pk)
    if meeting is None:
        raise Http404("No such review meeting.")
    return meeting


def _detail(
    request: HttpRequest,
    scorecard: Scorecard,
    membership: Membership,
    meeting: ReviewMeeting,
    *,
    notes_form: NotesForm | None = None,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_edit = membership.allows(EDIT)
    live_query = "?" + urlencode(
        {"as_of": meeting.as_of.isoformat(), "view": meeting.view,
         "known_at": meeting.known_at.isoformat()}
    )  # fmt: skip
    # The report scores the input the meeting kept (structure and values of then).
    report_query = live_query + "&" + urlencode({"meeting": meeting.pk})
    context: dict[str, Any] = {
        **base_context(scorecard.organization, membership, scorecard),
        "meeting": meeting,
        "report_query": report_query,
        "frozen_note": "" if meeting.engine_input else fallback_note(meeting),
        "frozen": selectors.frozen_scorecard(meeting),
        "decisions": selectors.decisions_of(meeting),
        "view_label": dict(VIEW_CHOICES).get(meeting.view, meeting.view),
        "live_url": reverse("scorecard_detail", args=[scorecard.organization.slug, scorecard.slug]),
        "live_query": live_query,
        "notes_form": notes_form or NotesForm(initial={"notes": meeting.notes}),
        "decision_form": (decision_form or DecisionForm(scorecard=scorecard)) if can_edit else None,
    }
    return render(request, "web/governance/meeting.html", context, status=status)


@login_required
@require_GET
def meeting_detail(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """One meeting: the numbers as they were, the notes and the decisions."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, READ)
    return _detail(request, scorecard, membership, _meeting(scorecard, pk))


@login_required
@require_POST
def meeting_notes(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Editors write the meeting's notes (the history keeps every version)."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    meeting = _meeting(scorecard, pk)
    form = NotesForm(request.POST)
    if form.is_valid():
        try:
            meeting_notes_set(meeting=meeting, notes=form.cleaned_data["notes"], user=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved the notes."))
            return redirect(reverse("meeting_detail", args=[org_slug, sc_slug, pk]) + "#notes")
    return _detail(request, scorecard, membership, meeting, notes_form=form, status=422)


@login_required
@require_POST
def meeting_decision(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Editors record a decision; it becomes a task for its owner."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    meeting = _meeting(scorecard, pk)
    form = DecisionForm(request.POST, scorecard=scorecard)
    if form.is_valid():
        try:
            decision = decision_add(meeting=meeting, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            initiative = decision.task.initiative if decision.task else None
            if initiative:
                text = _("Recorded the decision; it is a task in “%(name)s” now.") % {
                    "name": initiative.name
                }
            else:
                text = _("Recorded the decision; it is a task now.")
            messages.success(request, text)
            return redirect(reverse("meeting_detail", args=[org_slug, sc_slug, pk]) + "#decisions")
    return _detail(request, scorecard, membership, meeting, decision_form=form, status=422)
