"""``scorecard_of_member`` (the access query of every scorecard page) writes its SQL once
and builds the objects from the row by hand (scorecard.rawrows, issue 16): what it gives
must be what the ORM gives, field for field and with the same types, on SQLite and
PostgreSQL, with the relations the pages use already there (no query to reach them),
and it must find nothing where the ORM's query found nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from scorecard.organizations.models import Membership
from scorecard.reviews.services import comment_add
from scorecard.strategy.models import Scorecard
from scorecard.strategy.selectors import scorecard_in, scorecard_of_member
from tests.factories import ObjectiveFactory, ScorecardFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _fields(obj: Model) -> dict[str, tuple[Any, type]]:
    """Every concrete field's value and its type."""
    return {
        f.attname: (getattr(obj, f.attname), type(getattr(obj, f.attname)))
        for f in obj._meta.concrete_fields
    }


def _same_as_the_orm(built: Model) -> None:
    """``built`` holds what the ORM reads for the same row, and is marked as loaded."""
    fresh = type(built).objects.get(pk=built.pk)
    assert _fields(built) == _fields(fresh)
    assert built._state.adding is False and built._state.db == "default"


@pytest.fixture
def child(world: Any) -> Scorecard:
    """A department's scorecard under the company's, with every field filled in."""
    unit = UnitFactory(organization=world.organization, parent=world.unit, slug="sales")
    return ScorecardFactory(
        organization=world.organization,
        unit=unit,
        parent=world.scorecard,
        slug="sales",
        name="Sales – € and ×",
        aggregator="min",
        score_cap=1.5,
        min_coverage=0.25,
    )


def test_every_object_is_what_the_orm_reads(world: Any, child: Scorecard) -> None:
    Membership.objects.filter(user=world.editor).update(unit=child.unit)
    found = scorecard_of_member(user=world.editor, org_slug="northwind", slug="sales")
    assert found is not None
    with CaptureQueriesContext(connection) as queries:
        scorecard, membership = found.scorecard, found.membership
        related = [scorecard.organization, scorecard.unit, scorecard.parent]
        related += [membership.organization, membership.user]
    assert not queries.captured_queries, "the relations the pages use came with the row"
    for obj in [scorecard, membership, *related]:
        _same_as_the_orm(obj)
    assert scorecard.pk == child.pk and scorecard.parent.pk == world.scorecard.pk
    assert scorecard.unit.pk == child.unit_id and membership.unit_id == child.unit_id
    assert membership.role == "editor" and membership.user is world.editor
    assert scorecard.organization is membership.organization


def test_a_top_scorecard_has_no_parent_and_reaching_it_costs_nothing(world: Any) -> None:
    found = scorecard_of_member(user=world.viewer, org_slug="northwind", slug="company")
    assert found is not None
    with CaptureQueriesContext(connection) as queries:
        assert found.scorecard.parent is None
    assert not queries.captured_queries
    _same_as_the_orm(found.scorecard)


def test_a_built_scorecard_saves_as_an_update(world: Any) -> None:
    found = scorecard_of_member(user=world.admin, org_slug="northwind", slug="company")
    assert found is not None
    found.scorecard.name = "Renamed"
    found.scorecard.save()
    assert Scorecard.objects.count() == 1
    assert Scorecard.objects.get(pk=world.scorecard.pk).name == "Renamed"


@pytest.mark.parametrize(
    ("persona", "org_slug", "slug"),
    [
        ("viewer", "northwind", "nowhere"),  # unknown scorecard
        ("viewer", "nowhere", "company"),  # unknown organization
        ("outsider", "northwind", "company"),  # not a member
        ("outsider", "rival", "company"),  # a member, but the scorecard is not theirs
    ],
)
def test_nothing_is_found_where_the_user_may_not_look(
    world: Any, persona: str, org_slug: str, slug: str
) -> None:
    user = getattr(world, persona)
    assert scorecard_of_member(user=user, org_slug=org_slug, slug=slug) is None


def test_an_anonymous_user_finds_nothing_and_asks_nothing(world: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert (
            scorecard_of_member(user=AnonymousUser(), org_slug="northwind", slug="company") is None
        )
    assert not queries.captured_queries


def test_the_unread_count_is_the_users_own(world: Any) -> None:
    objective = ObjectiveFactory(perspective__scorecard=world.scorecard)
    for text in ("one", "two"):
        comment_add(item=objective, author=world.editor, text=f"@{world.viewer.username} {text}")
    counts = {
        persona: scorecard_of_member(
            user=getattr(world, persona), org_slug="northwind", slug="company"
        ).unread
        for persona in ("viewer", "editor")
    }
    assert counts == {"viewer": 2, "editor": 0}


def test_scorecard_in_finds_it_only_among_the_organizations_given(
    world: Any, child: Scorecard
) -> None:
    """The scores API's lookup (also hand-written SQL): the scorecard and its organization
    as the ORM reads them, and nothing outside the organizations given."""
    mine, theirs = world.organization.pk, world.other_organization.pk
    found = scorecard_in(pk=child.pk, organization_ids=[mine])
    assert found is not None
    with CaptureQueriesContext(connection) as queries:
        organization = found.organization
    assert not queries.captured_queries
    _same_as_the_orm(found)
    _same_as_the_orm(organization)
    assert scorecard_in(pk=child.pk, organization_ids=[theirs, mine]) is not None
    assert scorecard_in(pk=child.pk, organization_ids=[theirs]) is None
    assert scorecard_in(pk=child.pk, organization_ids=[]) is None
    assert scorecard_in(pk=child.pk + 1000, organization_ids=[mine]) is None
    # Past what a 64-bit id can hold: nothing (SQLite would raise), and so a 404.
    assert scorecard_in(pk=2**70, organization_ids=[mine]) is None
    client = world.client_for("viewer")
    assert client.get(f"/api/v1/scorecards/{2**70}/scores").status_code == 404
