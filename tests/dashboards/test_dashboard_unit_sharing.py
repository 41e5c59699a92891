"""Sharing a dashboard with one unit, through real requests on the demo company: the
members of the unit and of its sub-units read it, everyone else (the owner aside) gets 404,
and a unit of another organization is refused with a plain message."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from scorecard.dashboards.models import Dashboard
from scorecard.interchange.services import DEMO_FILE, document_load_file
from scorecard.organizations.models import Membership, Organization, Unit

pytestmark = pytest.mark.django_db
BASE = "/o/northwind/dashboards/"


@pytest.fixture
def demo(settings: Any) -> None:
    settings.SCORECARD_TODAY = "2026-11-23"
    document_load_file(DEMO_FILE)


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_shared_with_a_unit_its_members_and_sub_units_read_it(demo: None) -> None:
    owner = signed_in("strategy")
    owner.post(BASE, {"name": "Sales pipeline"})
    dashboard = Dashboard.objects.get(name="Sales pipeline")
    url = f"{BASE}{dashboard.pk}/"
    sales = Unit.objects.get(organization__slug="northwind", slug="sales")
    # A sub-unit of Sales, with the marketing lead in it.
    inside = Unit.objects.create(
        organization=sales.organization, parent=sales, name="Inside sales", slug="inside"
    )
    Membership.objects.filter(user__username="marketing").update(unit=inside)
    settings_page = owner.get(url).content.decode()
    assert f'<option value="{inside.pk}">· · Inside sales</option>' in settings_page

    answer = owner.post(
        f"{url}settings/", {"name": "Sales pipeline", "unit": sales.pk}, follow=True
    )
    assert "is shared with Sales and its sub-units" in answer.content.decode()
    for username, status in [
        ("sales.lead", 200),  # in Sales
        ("marketing", 200),  # in a sub-unit of Sales
        ("ops.lead", 404),  # in Operations
        ("viewer", 404),
        ("admin", 404),  # an admin of the company unit, not of Sales
        ("strategy", 200),  # the owner
    ]:
        assert signed_in(username).get(url).status_code == status, username
    listed = signed_in("sales.lead").get(BASE).content.decode()
    assert "<bdi>Sales pipeline</bdi>" in listed and "with <bdi>Sales</bdi>" in listed
    assert "Sales pipeline" not in signed_in("ops.lead").get(BASE).content.decode()
    widget = f"{url}widgets/"
    owner.post(widget, {"kind": "note", "text": "Pipeline first."})
    note = dashboard.widgets.get()
    assert signed_in("marketing").get(f"{widget}{note.pk}/").status_code == 200
    assert signed_in("ops.lead").get(f"{widget}{note.pk}/").status_code == 404

    # Shared with the company unit: every member of a unit under it reads it.
    owner.post(f"{url}settings/", {"name": "Sales pipeline", "unit": sales.parent_id})
    assert signed_in("ops.lead").get(url).status_code == 200
    # Shared with the organization wins over a unit; private again: only the owner.
    owner.post(f"{url}settings/", {"name": "Sales pipeline", "shared": "on", "unit": sales.pk})
    dashboard.refresh_from_db()
    assert dashboard.shared and dashboard.unit is None
    owner.post(f"{url}settings/", {"name": "Sales pipeline"})
    assert signed_in("sales.lead").get(url).status_code == 404


def test_a_unit_as_home_page_holds_while_the_member_is_in_it(demo: None) -> None:
    owner, lead = signed_in("strategy"), signed_in("sales.lead")
    owner.post(BASE, {"name": "Sales pipeline"})
    dashboard = Dashboard.objects.get()
    url = f"{BASE}{dashboard.pk}/"
    sales = Unit.objects.get(organization__slug="northwind", slug="sales")
    owner.post(f"{url}settings/", {"name": "Sales pipeline", "unit": sales.pk})
    lead.post(f"{url}home/", {"use": "on"})
    assert lead.get("/")["Location"] == url
    # Moved to Operations: no longer a reader, so the normal start page.
    Membership.objects.filter(user__username="sales.lead").update(
        unit=Unit.objects.get(slug="operations")
    )
    assert lead.get("/").status_code == 200


def test_a_unit_of_another_organization_is_refused(demo: None) -> None:
    owner = signed_in("strategy")
    owner.post(BASE, {"name": "Mine"})
    dashboard = Dashboard.objects.get()
    other = Organization.objects.create(name="Other", slug="other")
    foreign = Unit.objects.create(organization=other, name="Elsewhere", slug="elsewhere")
    page = owner.post(
        f"{BASE}{dashboard.pk}/settings/", {"name": "Mine", "unit": foreign.pk}, follow=True
    ).content.decode()
    assert "Choose a unit of this organization to share with." in page
    dashboard.refresh_from_db()
    assert dashboard.unit is None and not dashboard.shared
