"""A dashboard as a member's home page, through real requests on the demo company: the
owner and a viewer it is shared with land on it at ``/``; once it is private again the
viewer gets the normal start page; "Stop using as home" and ``/?start=1`` lead back."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from scorecard.dashboards.models import Dashboard, HomeDashboard
from scorecard.interchange.services import DEMO_FILE, document_load_file

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


def test_owner_and_viewer_use_a_dashboard_as_home_until_it_is_unshared(demo: None) -> None:
    owner, viewer = signed_in("strategy"), signed_in("viewer")
    owner.post(BASE, {"name": "Board pack", "shared": "on"})
    dashboard = Dashboard.objects.get(name="Board pack")
    url = f"{BASE}{dashboard.pk}/"
    assert "Use as my home page" in owner.get(url).content.decode()

    # The owner chooses it: / opens it.
    answer = owner.post(f"{url}home/", {"use": "on"}, follow=True)
    assert "is now your home page" in answer.content.decode()
    assert "Stop using as home" in answer.content.decode()
    home = owner.get("/")
    assert home.status_code == 302 and home["Location"] == url
    assert owner.get("/?start=1").status_code == 200  # the normal start page on request

    # The viewer it is shared with chooses it too.
    assert viewer.get("/").status_code == 200
    viewer.post(f"{url}home/", {"use": "on"}, follow=True)
    assert viewer.get("/")["Location"] == url

    # Unshared: the viewer cannot read it, so / is the normal start page again.
    owner.post(f"{url}settings/", {"name": "Board pack"})
    start = viewer.get("/")
    assert start.status_code == 200 and "Board pack" not in start.content.decode()
    assert viewer.post(f"{url}home/", {"use": "off"}).status_code == 404
    assert owner.get("/")["Location"] == url  # the owner still reads it

    # Stop using it as home.
    owner.post(f"{url}home/", {"use": "off"})
    assert owner.get("/").status_code == 200
    assert HomeDashboard.objects.filter(user__username="strategy").count() == 0


def test_one_home_dashboard_per_member_the_last_chosen_wins(demo: None) -> None:
    owner = signed_in("strategy")
    owner.post(BASE, {"name": "First"})
    owner.post(BASE, {"name": "Second"})
    first, second = Dashboard.objects.order_by("name")
    owner.post(f"{BASE}{first.pk}/home/", {"use": "on"})
    owner.post(f"{BASE}{second.pk}/home/", {"use": "on"})
    assert owner.get("/")["Location"] == f"{BASE}{second.pk}/"
    # Stopping on a dashboard that is not the home one changes nothing.
    owner.post(f"{BASE}{first.pk}/home/", {"use": "off"})
    assert owner.get("/")["Location"] == f"{BASE}{second.pk}/"
    # A deleted dashboard takes the choice with it.
    owner.post(f"{BASE}{second.pk}/delete/")
    assert owner.get("/").status_code == 200
