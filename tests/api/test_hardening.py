"""Hostile and careless input to the API: refused with a clear JSON 4xx on both databases.

Also the life of a token: expiry, and revocation when its owner leaves or is deactivated.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from scorecard.api.body import MAX_DEPTH
from scorecard.api.models import ApiToken
from scorecard.api.services import api_token_create
from scorecard.mcp_server.access import Refused, access_for_token
from scorecard.organizations.models import Membership
from scorecard.organizations.services import membership_remove
from scorecard.strategy.models import Objective, Perspective
from tests.factories import MembershipFactory

from .conftest import ApiWorld, Stuff

V1 = "/api/v1"
BULK = f"{V1}/measurements/bulk"


def raw(api: ApiWorld, method: str, path: str, body: str | bytes, persona: str = "admin") -> object:
    client = api.client(persona).client
    return getattr(client, method)(path, data=body, content_type="application/json")


# Item 8: nesting, surrogates, NUL, long names, big bodies ----------------------------------


def test_deeply_nested_json_is_a_clear_422(api: ApiWorld, stuff: Stuff) -> None:
    deep = "[" * 5000 + "]" * 5000
    for path in (BULK, f"{V1}/perspectives"):
        response = raw(api, "post", path, deep)
        assert response.status_code == 422, (path, response.content[:200])
        assert response["Content-Type"].startswith("application/json")
        assert f"nested more than {MAX_DEPTH} levels" in response.json()["detail"]
    just_too_deep = json.dumps(
        [{"kpi": stuff.kpi.pk, "period_start": "2026-02-01", "value": 1, "x": [[[]]]}]
    ).replace("[[[]]]", "[" * MAX_DEPTH + "]" * MAX_DEPTH)
    assert raw(api, "post", BULK, just_too_deep).status_code == 422


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (f"{V1}/perspectives", '{"scorecard": %(card)d, "name": "Growth \\ud800"}'),
        (f"{V1}/perspectives", '{"scorecard": %(card)d, "name": "ok", "\\udfff": 1}'),
        (BULK, '[{"kpi": %(kpi)d, "period_start": "2026-02-01", "value": 1, "note": "\\udc00"}]'),
        (f"{V1}/perspectives", '{"scorecard": %(card)d, "name": "Growth\\u0000"}'),
        (BULK, '[{"kpi": %(kpi)d, "period_start": "2026-02-01", "value": 1, "note": "a\\u0000"}]'),
    ],
)
def test_lone_surrogates_and_nul_are_refused(
    api: ApiWorld, stuff: Stuff, path: str, body: str
) -> None:
    before = Perspective.objects.count()
    response = raw(api, "post", path, body % {"card": api.world.scorecard.pk, "kpi": stuff.kpi.pk})
    assert response.status_code == 422, response.content[:300]
    detail = response.json()["detail"]
    assert "surrogate" in detail or "NUL" in detail
    assert response.json()["errors"][0]["loc"][0] == "body"
    assert Perspective.objects.count() == before


def test_nul_in_a_query_string_is_refused(api: ApiWorld) -> None:
    response = api.client("viewer").get(f"{V1}/scorecards", slug="a\x00b")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "slug"]
    assert "NUL" in response.json()["detail"]


def test_over_long_names_are_refused_the_same_on_both_databases(
    api: ApiWorld, stuff: Stuff
) -> None:
    client = api.client("editor")
    new = {"perspective": stuff.perspective.pk, "name": "x" * 201}
    long_name = client.post(f"{V1}/objectives", new)
    assert long_name.status_code == 422
    assert long_name.json()["errors"][0]["loc"] == ["body", "name"]
    assert "200 characters" in long_name.json()["errors"][0]["message"]
    renamed = client.patch(f"{V1}/objectives/{stuff.objective.pk}", {"name": "y" * 201})
    assert renamed.status_code == 422
    assert Objective.objects.get(pk=stuff.objective.pk).name == "Delight"
    new["name"] = "x" * 200
    assert client.post(f"{V1}/objectives", new).status_code == 201


def test_oversized_bodies_get_a_json_413(api: ApiWorld, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"scorecard": api.world.scorecard.pk, "name": "x" * 2000})
    for path in (f"{V1}/perspectives", BULK):
        response = raw(api, "post", path, body)
        assert response.status_code == 413
        assert response["Content-Type"].startswith("application/json")
        assert "too large: more than the 1,000 bytes allowed" in response.json()["detail"]


def test_non_object_bodies_are_refused(api: ApiWorld, stuff: Stuff) -> None:
    for body in ("[null, null]", "1", '"name"', "null"):
        response = raw(api, "patch", f"{V1}/objectives/{stuff.objective.pk}", body)
        assert response.status_code == 422, body
        assert "JSON object" in response.json()["detail"]


def test_numbers_are_not_dates(api: ApiWorld, stuff: Stuff) -> None:
    client = api.client("viewer")
    for path in ("measurements", "targets"):
        response = client.get(f"{V1}/{path}", period_to=0)
        assert response.status_code == 422, path
        assert "YYYY-MM-DD" in response.json()["errors"][0]["message"]
    scores = client.get(f"{V1}/scorecards/{api.world.scorecard.pk}/scores", known_at="0.5")
    assert scores.status_code == 422
    assert client.get(f"{V1}/measurements", period_to="2026-01-31").status_code == 200


def test_rule_errors_carry_a_code_and_schema_errors_do_not(api: ApiWorld, stuff: Stuff) -> None:
    client = api.client("editor")
    again = {"objective": stuff.objective.pk, "code": "nps", "name": "Again"}
    duplicate = client.post(f"{V1}/kpis", again)
    assert duplicate.status_code == 422
    assert all(error.get("code") for error in duplicate.json()["errors"])
    missing = client.post(f"{V1}/kpis", {"objective": stuff.objective.pk})
    assert missing.status_code == 422
    assert not any("code" in error for error in missing.json()["errors"])


# Item 9: token expiry and revocation --------------------------------------------------------


def test_expired_tokens_get_a_clear_401(api: ApiWorld, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCORECARD_TODAY = "2026-03-01"
    token, plaintext = api_token_create(
        user=api.world.viewer,
        organization=api.world.organization,
        name="A month",
        lifetime=dt.timedelta(days=30),
    )
    assert token.expires_at == dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC)
    client = Client(headers={"Authorization": f"Bearer {plaintext}"})
    assert client.get(f"{V1}/me").status_code == 200
    settings.SCORECARD_TODAY = "2026-04-01"
    response = client.get(f"{V1}/me")
    assert response.status_code == 401
    assert response.json()["detail"] == (
        "The API token expired on 2026-03-31 12:00 UTC; create a new one."
    )


def test_the_mcp_server_refuses_an_expired_token_with_the_same_reason(  # type: ignore[no-untyped-def]
    api: ApiWorld, settings
) -> None:
    settings.SCORECARD_TODAY = "2026-03-01"
    _token, plaintext = api_token_create(
        user=api.world.viewer,
        organization=api.world.organization,
        name="A month for the assistant",
        lifetime=dt.timedelta(days=30),
    )
    access = access_for_token(plaintext)
    assert access.can(api.world.organization.pk, "viewer")
    settings.SCORECARD_TODAY = "2026-04-01"
    with pytest.raises(Refused) as refused:
        access_for_token(plaintext)
    assert str(refused.value) == (
        "Not authenticated: The API token expired on 2026-03-31 12:00 UTC; create a new one."
    )
    with translation.override("de"), pytest.raises(Refused) as german:
        access_for_token(plaintext)
    assert "2026-03-31 12:00 UTC" in str(german.value)
    assert "expired" not in str(german.value)


def test_the_mcp_server_reads_the_token_and_its_membership_in_one_query(
    api: ApiWorld, django_assert_num_queries: Any
) -> None:
    plaintext = api.tokens["viewer"]
    access_for_token(plaintext)  # the first call of the minute records the token's use
    with django_assert_num_queries(1):
        access = access_for_token(plaintext)
    assert access.memberships[api.world.organization.pk].role == "viewer"
    # A changed role counts on the very next call (it is read with the token, not kept).
    Membership.objects.filter(user=api.world.viewer, organization=api.world.organization).update(
        role="editor"
    )
    assert access_for_token(plaintext).memberships[api.world.organization.pk].role == "editor"


def test_token_page_offers_a_lifetime_and_lists_expiry_and_last_use(api: ApiWorld) -> None:
    client = api.world.client_for("editor")
    page = client.get("/api/tokens/northwind/").content.decode()
    assert 'name="lifetime_days"' in page and "after 90 days" in page
    created = client.post("/api/tokens/northwind/", {"name": "Quarterly", "lifetime_days": "90"})
    assert created.status_code == 200
    token = ApiToken.objects.get(name="Quarterly")
    assert token.expires_at is not None
    assert (token.expires_at - token.created_at) == dt.timedelta(days=90)
    assert api.client("editor").get(f"{V1}/me").status_code == 200  # sets last use
    listed = client.get("/api/tokens/northwind/").content.decode()
    assert f"{token.expires_at:%Y-%m-%d}" in listed
    assert "Last used" in listed
    editor_script = ApiToken.objects.get(name="editor script")
    assert editor_script.last_used_at is not None
    assert f"{editor_script.last_used_at:%Y-%m-%d %H:%M}" in listed
    refused = client.post("/api/tokens/northwind/", {"name": "Forever", "lifetime_days": "12"})
    assert refused.status_code == 422
    assert not ApiToken.objects.filter(name="Forever").exists()


def test_removing_a_member_revokes_their_tokens_for_good(api: ApiWorld) -> None:
    world = api.world
    client = api.client("viewer")
    assert client.get(f"{V1}/me").status_code == 200
    membership = Membership.objects.get(user=world.viewer, organization=world.organization)
    membership_remove(membership=membership)
    assert client.get(f"{V1}/me").status_code == 401
    MembershipFactory(user=world.viewer, organization=world.organization, role="viewer")
    response = client.get(f"{V1}/me")
    assert response.status_code == 401  # re-adding the member does not revive the token
    assert ApiToken.objects.get(name="viewer script").revoked_at is not None


def test_deactivating_a_user_revokes_their_tokens_for_good(api: ApiWorld) -> None:
    world = api.world
    world.editor.is_active = False
    world.editor.save()
    assert ApiToken.objects.get(name="editor script").revoked_at is not None
    world.editor.is_active = True
    world.editor.save()
    assert api.client("editor").get(f"{V1}/me").status_code == 401
    # Other people's tokens are untouched.
    assert api.client("admin").get(f"{V1}/me").status_code == 200
