"""The token's membership is read in the token's own query (api.services.token_membership,
issue 16): the scores API's kept answer costs two queries, and the access checks are as
strict as before: a removed member is refused and a changed role counts on the very next
call, and a member of two organizations acts with the token organization's role only."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from scorecard.api.models import ApiToken
from scorecard.api.services import api_token_authenticate, token_membership
from scorecard.organizations.models import Membership
from tests.factories import MembershipFactory, UnitFactory

from .conftest import ApiWorld

ME = "/api/v1/me"


def _scores_path(api: ApiWorld) -> str:
    return f"/api/v1/scorecards/{api.world.scorecard.pk}/scores"


def test_a_kept_scores_answer_takes_two_queries(api: ApiWorld) -> None:
    client = api.client("viewer")
    for _ in range(2):  # the token's first use is noted; the answer is kept
        assert client.get(_scores_path(api)).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_scores_path(api))
    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 2, sql
    assert 'FROM "api_apitoken"' in sql[0] and '"organizations_membership"' in sql[0]
    assert 'FROM "strategy_scorecard"' in sql[1]


def test_a_removed_member_is_refused_after_a_kept_answer(api: ApiWorld) -> None:
    client = api.client("viewer")
    for _ in range(2):
        assert client.get(_scores_path(api)).status_code == 200
    Membership.objects.filter(user=api.world.viewer).delete()
    assert client.get(_scores_path(api)).status_code == 401


def test_the_membership_is_the_token_organizations_with_its_unit(api: ApiWorld) -> None:
    world = api.world
    unit = UnitFactory(organization=world.organization, slug="sales")
    Membership.objects.filter(user=world.viewer).update(unit=unit)
    # Admin elsewhere: that membership must never be taken for the token's.
    MembershipFactory(user=world.viewer, organization=world.other_organization, role="admin")
    token = api_token_authenticate(plaintext=api.tokens["viewer"])
    assert token is not None
    with CaptureQueriesContext(connection) as queries:
        membership = token_membership(token)
    assert len(queries) == 0  # read with the token
    expected = Membership.objects.get(user=world.viewer, organization=world.organization)
    assert membership is not None
    assert (membership.pk, membership.role, membership.unit_id) == (expected.pk, "viewer", unit.pk)
    assert membership.organization == world.organization
    assert [(m["organization"], m["role"]) for m in api.client("viewer").get(ME).json()[
        "memberships"
    ]] == [("northwind", "viewer")]  # fmt: skip


def test_a_role_changed_between_calls_counts_on_the_next_call(api: ApiWorld) -> None:
    client = api.client("viewer")
    assert client.get(ME).json()["memberships"][0]["role"] == "viewer"
    Membership.objects.filter(user=api.world.viewer).update(role="admin")
    assert client.get(ME).json()["memberships"][0]["role"] == "admin"


def test_a_token_built_elsewhere_reads_its_membership(api: ApiWorld) -> None:
    """A token not read by api_token_authenticate (no annotation) asks the database."""
    token = ApiToken.objects.select_related("organization").get(name="editor script")
    membership = token_membership(token)
    assert membership is not None and membership.role == "editor"
    Membership.objects.filter(user=api.world.editor).delete()
    assert token_membership(token) is None


def _fields(obj: Any) -> dict[str, tuple[Any, type]]:
    """Every concrete field's value and its type."""
    return {
        f.attname: (getattr(obj, f.attname), type(getattr(obj, f.attname)))
        for f in obj._meta.concrete_fields
    }


def test_the_token_its_user_and_organization_are_what_the_orm_reads(api: ApiWorld) -> None:
    """The token's query is written by hand (scorecard.rawrows): its objects hold the
    ORM's values with the ORM's types (SQLite's dates and booleans converted), the
    relations the API uses come with them, and they are marked as loaded."""
    MembershipFactory(user=api.world.viewer, organization=api.world.other_organization)
    token = api_token_authenticate(plaintext=api.tokens["viewer"])
    assert token is not None
    with CaptureQueriesContext(connection) as queries:
        built = [token, token.user, token.organization, token_membership(token)]
    assert len(queries) == 0
    fresh = ApiToken.objects.select_related("user", "organization").get(pk=token.pk)
    expected = Membership.objects.get(user=api.world.viewer, organization=fresh.organization)
    for got, orm in zip(built, [fresh, fresh.user, fresh.organization, expected], strict=True):
        assert _fields(got) == _fields(orm)
        assert got._state.adding is False and got._state.db == "default"
    assert token.user.is_active is True and token.organization.slug == "northwind"


def test_unknown_and_revoked_prefixes_find_no_token(api: ApiWorld) -> None:
    plaintext = api.tokens["viewer"]
    mark, prefix, secret = plaintext.split("_", 2)
    assert api_token_authenticate(plaintext=f"{mark}_nothere_{secret}") is None
    ApiToken.objects.filter(prefix=prefix).update(revoked_at="2026-01-01T00:00:00Z")
    assert api_token_authenticate(plaintext=plaintext) is None
