"""The organization page: the unit tree, units and members, through real requests."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from scorecard.organizations.models import Membership, Unit
from tests.factories import ScorecardFactory, UnitFactory, UserFactory
from tests.web.test_manage_access import ORG, build_card, count_queries

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"


@pytest.fixture
def card(world: Any) -> Any:
    return build_card(world)


def test_tree_shows_units_with_their_scorecards(card: Any) -> None:
    ScorecardFactory(
        organization=card.world.organization, unit=card.sales, name="Sales 2027", slug="sales-2027"
    )
    html = card.world.client_for("viewer").get(reverse("organization_detail", args=[ORG])).content
    page = html.decode()
    assert page.index("Northwind") < page.index("Sales") < page.index("Sales 2027")
    assert 'class="depth-1"' in page
    # Viewers see no admin tools and no member list.
    assert "Add a unit" not in page and "Add member" not in page


def test_admin_sees_tools_and_members(card: Any) -> None:
    page = card.world.client_for("admin").get(reverse("organization_detail", args=[ORG])).content
    html = page.decode()
    assert "Add a unit" in html and "Invite by e-mail" in html
    assert "viewer-user" in html and "contributor-user" in html
    # The only admin cannot be demoted or removed: no controls for them.
    assert "(the only admin)" in html
    assert 'aria-label="Deactivate admin-user' not in html


def test_add_rename_move_and_delete_a_unit(card: Any) -> None:
    client = card.world.client_for("admin")
    root = card.world.unit
    response = client.post(reverse("unit_new", args=[ORG]), {"name": "Retail", "parent": root.pk})
    assert response.status_code == 302
    retail = Unit.objects.get(slug="retail")
    assert retail.parent == root
    response = client.post(
        reverse("unit_edit", args=[ORG, "retail"]),
        {"name": "Retail shops", "parent": card.sales.pk},
    )
    assert response.status_code == 302
    retail.refresh_from_db()
    assert (retail.name, retail.parent_id, retail.slug) == ("Retail shops", card.sales.pk, "retail")
    assert client.post(reverse("unit_delete", args=[ORG, "retail"])).status_code == 302
    assert not Unit.objects.filter(slug="retail").exists()


def test_unit_cannot_move_into_its_own_branch(card: Any) -> None:
    team = UnitFactory(
        organization=card.world.organization, parent=card.sales, name="Team A", slug="team-a"
    )
    response = card.world.client_for("admin").post(
        reverse("unit_edit", args=[ORG, "sales"]), {"name": "Sales renamed", "parent": team.pk}
    )
    assert response.status_code == 422
    assert "lies inside" in response.content.decode()
    card.sales.refresh_from_db()
    # Rename and move are one change: the refused move keeps the old name too.
    assert (card.sales.name, card.sales.parent_id) == ("Sales", card.world.unit.pk)


def test_new_unit_needs_a_name_and_a_free_short_name(card: Any) -> None:
    client = card.world.client_for("admin")
    url = reverse("unit_new", args=[ORG])
    response = client.post(url, {"name": "", "parent": card.world.unit.pk})
    assert response.status_code == 422 and "This field is required" in response.content.decode()
    response = client.post(url, {"name": "Sales", "parent": card.world.unit.pk})
    assert response.status_code == 422
    assert "short name" in response.content.decode()
    assert Unit.objects.filter(organization=card.world.organization).count() == 2


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("scorecard", "still has 1 scorecard"),
        ("child", "still has 1 sub-unit"),
    ],
)
def test_deleting_a_unit_in_use_is_refused_with_a_reason(card: Any, setup: str, message: str):
    if setup == "scorecard":
        ScorecardFactory(organization=card.world.organization, unit=card.sales)
    else:
        UnitFactory(organization=card.world.organization, parent=card.sales)
    client = card.world.client_for("admin")
    url = reverse("unit_delete", args=[ORG, "sales"])
    page = client.get(url)
    assert page.status_code == 409 and message in page.content.decode()
    response = client.post(url)
    assert response.status_code == 409 and "still has" in response.content.decode()
    assert Unit.objects.filter(slug="sales").exists()


def test_top_unit_cannot_be_deleted(card: Any) -> None:
    response = card.world.client_for("admin").post(reverse("unit_delete", args=[ORG, "northwind"]))
    assert response.status_code == 409
    assert "organization itself" in response.content.decode()


def test_unit_page_shows_path_scorecards_and_people(card: Any) -> None:
    Membership.objects.filter(user=card.world.contributor).update(unit=card.sales)
    html = card.world.client_for("viewer").get(reverse("unit_detail", args=[ORG, "sales"])).content
    page = html.decode()
    assert "Northwind" in page
    assert card.world.contributor.get_full_name() in page  # people by name, not user name
    assert "Rename or move" not in page  # viewers only read


def test_admin_changes_a_role_and_removes_a_member(card: Any) -> None:
    client = card.world.client_for("admin")
    viewer = Membership.objects.get(user=card.world.viewer)
    client.post(reverse("member_role", args=[ORG, viewer.pk]), {"role": "editor"})
    viewer.refresh_from_db()
    assert viewer.role == "editor"
    client.post(reverse("member_remove", args=[ORG, viewer.pk]))
    assert not Membership.objects.filter(pk=viewer.pk).exists()


def test_the_last_admin_cannot_be_demoted_or_removed(card: Any) -> None:
    client = card.world.client_for("admin")
    own = Membership.objects.get(user=card.world.admin)
    response = client.post(
        reverse("member_role", args=[ORG, own.pk]), {"role": "viewer"}, follow=True
    )
    assert "last admin" in response.content.decode()
    response = client.post(reverse("member_remove", args=[ORG, own.pk]), follow=True)
    assert "last admin" in response.content.decode()
    own.refresh_from_db()
    assert own.role == "admin"
    # With a second admin, the first may step down.
    client.post(
        reverse("member_role", args=[ORG, Membership.objects.get(user=card.world.editor).pk]),
        {"role": "admin"},
    )
    client.post(reverse("member_role", args=[ORG, own.pk]), {"role": "editor"})
    own.refresh_from_db()
    assert own.role == "editor"


def test_member_ids_of_another_organization_are_not_found(card: Any) -> None:
    foreign = Membership.objects.get(user=card.world.outsider)
    response = card.world.client_for("admin").post(reverse("member_remove", args=[ORG, foreign.pk]))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_names_are_escaped(card: Any) -> None:
    card.sales.name = XSS
    card.sales.save()
    card.world.viewer.first_name = XSS
    card.world.viewer.save()
    client = card.world.client_for("admin")
    for url in [
        reverse("organization_detail", args=[ORG]),
        reverse("unit_detail", args=[ORG, "sales"]),
    ]:
        html = client.get(url).content.decode()
        assert XSS not in html and "&lt;script&gt;" in html, url


def test_organization_page_in_constant_queries(card: Any) -> None:
    client = card.world.client_for("admin")
    url = reverse("organization_detail", args=[ORG])
    few = count_queries(client, url)
    for i in range(30):
        unit = UnitFactory(organization=card.world.organization, parent=card.sales)
        ScorecardFactory(organization=card.world.organization, unit=unit, slug=f"sc-{i}")
        user = UserFactory()
        Membership.objects.create(user=user, organization=card.world.organization, unit=unit)
    assert count_queries(client, url) == few <= 9  # the open invitations
