"""``scorecard score --json``: keys that stay the same between loads (issue 13)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from scorecard.interchange.scores import perspective_keys
from scorecard.interchange.services import DEMO_FILE, document_load_file
from scorecard.organizations.models import Organization

pytestmark = pytest.mark.django_db


def _score_json() -> dict:  # type: ignore[type-arg]
    out = StringIO()
    call_command(
        "score", "--as-of", "2026-10-31", "--view", "ytd", "--scorecard", "company", "--json",
        stdout=out,
    )  # fmt: skip
    return json.loads(out.getvalue())


def test_the_same_document_loaded_twice_gives_the_same_json(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCORECARD_TODAY = "2026-11-23"
    document_load_file(DEMO_FILE)
    first = _score_json()
    ids = set(Organization.objects.values_list("scorecards__perspectives__pk", flat=True))
    document_load_file(DEMO_FILE, replace=True)  # a second load: other database ids
    assert not ids & set(
        Organization.objects.values_list("scorecards__perspectives__pk", flat=True)
    )
    second = _score_json()
    assert first == second
    card = first["scorecards"][0]
    assert card["key"] == "company"
    assert [p["key"] for p in card["perspectives"]] == [
        "financial", "customer", "internal-processes", "learning-growth",
    ]  # fmt: skip
    assert {"kpis_scored", "kpis_counted", "coverage"} <= set(card)
    assert all(o["key"] and not o["key"].isdigit() for o in card["objectives"])


@pytest.mark.parametrize(
    ("names", "keys"),
    [
        (["Financial", "Learning & growth"], ["financial", "learning-growth"]),
        (["€€", "Kunden"], ["perspective-1", "kunden"]),
        (["Customer", "customer!"], ["customer", "customer-2"]),
    ],
)
def test_perspective_keys(names: list[str], keys: list[str]) -> None:
    assert perspective_keys(names) == keys
