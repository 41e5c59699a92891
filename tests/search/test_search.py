"""Search: a word of a name finds the item in the user's organizations, and never an item
of another organization (on SQLite by substring, on PostgreSQL by full text too)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scorecard.search.selectors import search
from tests.factories import (
    InitiativeFactory,
    KpiFactory,
    MembershipFactory,
    ObjectiveFactory,
    PerspectiveFactory,
    ScorecardFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(world):
    """Matching items in the world's organization and in the rival one."""
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Customer")
    objective = ObjectiveFactory(perspective=perspective, code="deliver", name="Deliver on time")
    KpiFactory(objective=objective, code="otd", name="On-time delivery rate")
    InitiativeFactory(scorecard=world.scorecard, name="Delivery tracking")
    UnitFactory(organization=world.organization, name="Delivery team", slug="delivery")
    rival = world.other_organization
    rival_unit = UnitFactory(organization=rival, name="Rival delivery", slug="rd")
    rival_card = ScorecardFactory(organization=world.other_organization, unit=rival_unit,
                                  name="Rival", slug="rival")  # fmt: skip
    rival_perspective = PerspectiveFactory(scorecard=rival_card, name="Customer")
    rival_objective = ObjectiveFactory(perspective=rival_perspective, code="deliver",
                                       name="Deliver faster than Northwind")  # fmt: skip
    KpiFactory(objective=rival_objective, code="otd", name="Rival delivery speed")
    InitiativeFactory(scorecard=rival_card, name="Rival delivery drones")
    deliverer = UserFactory(username="delivery.boss", first_name="Dana", last_name="Delivery")
    MembershipFactory(user=deliverer, organization=world.other_organization, role="admin")
    return world


def _names(results):
    return {
        "kpis": [k.name for k in results.kpis],
        "objectives": [o.name for o in results.objectives],
        "initiatives": [i.name for i in results.initiatives],
        "units": [u.name for u in results.units],
        "people": [m.user.username for m in results.people],
    }


def test_a_word_of_a_name_finds_kpis_objectives_initiatives_and_units(items) -> None:
    found = _names(search(user=items.viewer, query="delivery"))
    assert found["kpis"] == ["On-time delivery rate"]
    assert found["initiatives"] == ["Delivery tracking"]
    assert found["units"] == ["Delivery team"]
    assert found["people"] == []  # Dana Delivery belongs to the rival only
    assert _names(search(user=items.viewer, query="DELIVER"))["objectives"] == ["Deliver on time"]


def test_never_returns_another_organizations_items(items) -> None:
    mine = _names(search(user=items.viewer, query="rival"))
    assert mine == {"kpis": [], "objectives": [], "initiatives": [], "units": [], "people": []}
    theirs = _names(search(user=items.outsider, query="delivery"))
    assert theirs["kpis"] == ["Rival delivery speed"]
    assert theirs["initiatives"] == ["Rival delivery drones"]
    assert theirs["units"] == ["Rival delivery"]
    assert theirs["people"] == ["delivery.boss"]


def test_people_by_name_or_user_name(items) -> None:
    assert _names(search(user=items.admin, query="viewer-us"))["people"] == ["viewer-user"]


@pytest.mark.parametrize(
    ("query", "problem"),
    [("", "at least 2"), ("a", "at least 2"), ("x" * 101, "at most 100")],
)
def test_too_short_or_too_long_queries_are_explained(world, query, problem) -> None:
    results = search(user=world.viewer, query=query)
    assert problem in results.problem and results.count == 0


def test_search_takes_five_queries(items) -> None:
    with CaptureQueriesContext(connection) as queries:
        search(user=items.viewer, query="delivery")
    assert len(queries) == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search on PostgreSQL")
def test_postgresql_full_text_finds_other_word_forms(items) -> None:
    assert _names(search(user=items.viewer, query="deliveries"))["kpis"] == [
        "On-time delivery rate"
    ]


def test_search_page_lists_results_with_links_and_escapes(items) -> None:
    client = items.client_for("viewer")
    html = client.get("/search/", {"q": "delivery"}).content.decode()
    assert "/o/northwind/s/company/kpi/otd/" in html
    assert "Rival" not in html
    html = client.get("/search/", {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in html and "Nothing found" in html
    assert items.client_for("anonymous").get("/search/?q=x").status_code == 302
