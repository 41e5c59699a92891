"""Personal API tokens and session authentication."""

from __future__ import annotations

import hashlib
import json

from django.test import Client

from scorecard.api.models import ApiToken
from scorecard.api.services import api_token_authenticate, api_token_create, api_token_revoke
from scorecard.organizations.models import Membership
from tests.factories import MembershipFactory, ScorecardFactory, UnitFactory

from .conftest import ApiWorld, JsonClient

ME = "/api/v1/me"


def test_token_is_shown_once_and_only_its_hash_is_stored(api: ApiWorld) -> None:
    token, plaintext = api_token_create(
        user=api.world.viewer, organization=api.world.organization, name="BI export"
    )
    assert plaintext.startswith(f"sct_{token.prefix}_")
    assert len(plaintext) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert plaintext not in {stored.secret_hash, stored.prefix, stored.name}
    assert stored.secret_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert api_token_authenticate(plaintext=plaintext) == token


def test_bearer_token_acts_for_its_user_in_its_organization(api: ApiWorld) -> None:
    response = api.client("editor").get(ME)
    assert response.status_code == 200
    data = response.json()
    assert data["username"] == "editor-user"
    assert data["token"]["name"] == "editor script"
    assert [(m["organization"], m["role"]) for m in data["memberships"]] == [
        ("northwind", "editor")
    ]


def test_unknown_malformed_and_revoked_tokens_get_401(api: ApiWorld) -> None:
    good = api.tokens["viewer"]
    for token in [
        "nonsense",
        "sct_deadbeef_x",
        good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
        api.tokens["revoked"],
    ]:
        response = JsonClient(token).get(ME)
        assert response.status_code == 401, token
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["detail"] == "The API token is unknown or revoked."
    assert JsonClient().get(ME).status_code == 401


def test_revoking_takes_effect_on_the_next_request(api: ApiWorld) -> None:
    client = api.client("viewer")
    assert client.get(ME).status_code == 200
    api_token_revoke(token=ApiToken.objects.get(name="viewer script"))
    assert client.get(ME).status_code == 401


def test_token_uses_the_current_role(api: ApiWorld) -> None:
    client = api.client("viewer")
    body = {"vision": "New vision"}
    path = f"/api/v1/scorecards/{api.world.scorecard.pk}"
    assert client.patch(path, body).status_code == 403
    Membership.objects.filter(user=api.world.viewer).update(role="editor")
    assert client.patch(path, body).status_code == 200


def test_token_of_a_former_member_is_refused(api: ApiWorld) -> None:
    Membership.objects.filter(user=api.world.viewer).delete()
    response = api.client("viewer").get(ME)
    assert response.status_code == 401


def test_token_of_an_inactive_user_is_refused(api: ApiWorld) -> None:
    api.world.viewer.is_active = False
    api.world.viewer.save()
    assert api.client("viewer").get(ME).status_code == 401


def test_token_sees_only_its_own_organization(api: ApiWorld) -> None:
    """A user in two organizations: the token for one cannot reach the other."""
    world = api.world
    MembershipFactory(user=world.editor, organization=world.other_organization, role="admin")
    rival_unit = UnitFactory(organization=world.other_organization, slug="rival")
    rival_card = ScorecardFactory(organization=world.other_organization, unit=rival_unit)
    client = api.client("editor")
    assert client.get(f"/api/v1/scorecards/{rival_card.pk}").status_code == 404
    slugs = [c["slug"] for c in client.get("/api/v1/scorecards").json()["items"]]
    assert slugs == ["company"]
    # The session sees both organizations.
    session = Client()
    session.force_login(world.editor)
    assert session.get(f"/api/v1/scorecards/{rival_card.pk}").status_code == 200


def test_last_used_is_recorded(api: ApiWorld) -> None:
    token = ApiToken.objects.get(name="viewer script")
    assert token.last_used_at is None
    api.client("viewer").get(ME)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_session_reads_and_needs_csrf_for_writes(api: ApiWorld) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(api.world.editor)
    assert client.get(ME).json()["token"] is None
    body = json.dumps({"scorecard": api.world.scorecard.pk, "name": "Sustainability"})
    response = client.post("/api/v1/perspectives", body, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    client.get("/api/tokens/northwind/")  # any page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/perspectives", body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert response.status_code == 201


def test_bearer_needs_no_csrf(api: ApiWorld) -> None:
    client = JsonClient(
        client=Client(
            enforce_csrf_checks=True, headers={"Authorization": "Bearer " + api.tokens["editor"]}
        )
    )
    body = {"scorecard": api.world.scorecard.pk, "name": "Sustainability"}
    assert client.post("/api/v1/perspectives", body).status_code == 201


def test_anonymous_write_is_401_not_a_csrf_error(api: ApiWorld) -> None:
    client = JsonClient(client=Client(enforce_csrf_checks=True))
    response = client.post("/api/v1/perspectives", {"scorecard": 1, "name": "x"})
    assert response.status_code == 401


# --- token pages -------------------------------------------------------------------------


def test_token_page_creates_shows_once_and_revokes(api: ApiWorld) -> None:
    client = api.world.client_for("contributor")
    page = client.get("/api/tokens/northwind/")
    assert page.status_code == 200
    assert "contributor script" in page.content.decode()
    assert "viewer script" not in page.content.decode()  # only your own tokens
    created = client.post("/api/tokens/northwind/", {"name": "Spreadsheet"})
    assert created.status_code == 200
    token = ApiToken.objects.get(name="Spreadsheet")
    html = created.content.decode()
    start = html.index("sct_" + token.prefix + "_")
    plaintext = html[start : html.index("<", start)]
    assert JsonClient(plaintext).get(ME).status_code == 200
    assert plaintext not in client.get("/api/tokens/northwind/").content.decode()
    revoked = client.post(f"/api/tokens/northwind/{token.pk}/revoke/")
    assert revoked.status_code == 302
    assert JsonClient(plaintext).get(ME).status_code == 401


def test_token_page_refuses_a_blank_name(api: ApiWorld) -> None:
    client = api.world.client_for("viewer")
    response = client.post("/api/tokens/northwind/", {"name": "  "})
    assert response.status_code == 422
    assert ApiToken.objects.filter(user=api.world.viewer).count() == 1


def test_token_pages_are_private(api: ApiWorld) -> None:
    assert api.world.client_for("anonymous").get("/api/tokens/northwind/").status_code == 302
    assert api.world.client_for("outsider").get("/api/tokens/northwind/").status_code == 404
    other = ApiToken.objects.get(name="viewer script")
    client = api.world.client_for("admin")
    assert client.post(f"/api/tokens/northwind/{other.pk}/revoke/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
