"""The what-if page scores the scorecard the way the scorecard page does, with the
shares the departments contribute to aligned objectives (issue 13)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from scorecard.engine import whatif as wi
from scorecard.interchange.services import DEMO_FILE, document_load_file
from scorecard.kpis.evaluation import scorecard_evaluate
from scorecard.planning.selectors import whatif_page
from scorecard.strategy.models import Scorecard

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 23)


@pytest.fixture
def company(settings: Any) -> Scorecard:
    settings.SCORECARD_TODAY = "2026-11-23"
    document_load_file(DEMO_FILE)
    return Scorecard.objects.get(organization__slug="northwind", slug="company")


def _strong_after(label: str, html: str) -> str:
    # The label may carry a glossary term's markup; the number is the next <strong>.
    match = re.search(
        rf'<span class="label">(?:<[^>]+>)*{label}<.*?<strong[^>]*>([^<]*)</strong>', html, re.S
    )
    assert match, label
    return match.group(1)


def test_what_if_now_equals_the_scorecard_page(company: Scorecard) -> None:
    page = scorecard_evaluate(scorecard=company, as_of=AS_OF)
    whatif = whatif_page(scorecard=company, as_of=AS_OF, changes=wi.Changes())
    assert whatif.base.score == pytest.approx(page.score)
    # The departments' shares are in it: some objective blends in a unit's score.
    blended = [o for o in page.objectives.values() if o.contributions]
    assert blended
    for key, objective in page.objectives.items():
        assert whatif.base.objectives[key].score == pytest.approx(objective.score), key
    # Both pages print the same headline.
    client = Client()
    client.force_login(get_user_model().objects.get(username="ceo"))
    scorecard_html = client.get(
        reverse("scorecard_detail", args=["northwind", "company"])
    ).content.decode()
    whatif_html = client.get(reverse("whatif", args=["northwind", "company"])).content.decode()
    assert _strong_after("Scorecard now", whatif_html) == _strong_after(
        "Overall score", scorecard_html
    )


def test_a_change_keeps_the_units_shares(company: Scorecard) -> None:
    base = whatif_page(scorecard=company, as_of=AS_OF, changes=wi.Changes())
    changed = whatif_page(
        scorecard=company, as_of=AS_OF, changes=wi.Changes(values={"revenue": 3_000_000})
    )
    assert changed.changed is not None
    for key, objective in base.base.objectives.items():
        after = changed.changed.objectives[key]
        assert [c.score for c in after.contributions] == [c.score for c in objective.contributions]
