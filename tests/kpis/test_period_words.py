"""The period views are worded by one list, on every page, form, report and history entry."""

from __future__ import annotations

import pytest
from django.utils import translation

from scorecard.engine.types import View
from scorecard.kpis.period_words import VIEW_CHOICES, view_label
from scorecard.meetings.models import ReviewMeeting
from scorecard.presentation.history import CODE_LABELS
from scorecard.web import queries
from scorecard.web.governance.forms import VIEW_CHOICES as MEETING_CHOICES


@pytest.mark.parametrize(
    ("language", "code", "words"),
    [
        ("en", "ytd", "Year to date"),
        ("de", "ytd", "Seit Jahresbeginn"),
        ("fr", "ytd", "Depuis le début de l'année"),
        ("es", "ytd", "En lo que va de año"),
        ("en", "half_year", "Half-year"),
        ("en", "fortnight", "fortnight"),  # an unknown code is shown as it is
    ],
)
def test_view_label_in_each_language(language: str, code: str, words: str) -> None:
    with translation.override(language):
        assert view_label(code) == words
        assert queries.view_label(code) == words


def test_every_view_of_the_engine_is_offered_once() -> None:
    codes = [code for code, _label in VIEW_CHOICES]
    views = (View.PERIOD, View.MONTH, View.QUARTER, View.HALF_YEAR, View.YTD, View.YEAR)
    assert sorted(codes) == sorted(v.value for v in views)
    assert len(set(codes)) == len(codes)


def test_pages_forms_and_history_share_the_list() -> None:
    assert queries.VIEW_LABELS is VIEW_CHOICES
    assert MEETING_CHOICES is VIEW_CHOICES
    assert CODE_LABELS[(ReviewMeeting, "view")] == dict(VIEW_CHOICES)
