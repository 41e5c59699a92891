"""Share links: hashed tokens, expiry, revocation, passwords, frozen numbers, the log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from scorecard.kpis.services import measurement_record
from scorecard.sharing import services
from scorecard.sharing.models import ShareLink, ShareView
from tests.factories import KpiFactory, ObjectiveFactory, PerspectiveFactory

TODAY = "2026-11-23"


@pytest.fixture
def kpi(world: Any, settings: Any) -> Any:
    settings.SCORECARD_TODAY = "2026-11-02"
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Customer")
    objective = ObjectiveFactory(scorecard=world.scorecard, perspective=perspective)
    kpi = KpiFactory(objective=objective, code="nps", name="Net promoter score", minimum=0,
                     maximum=100, target=80, update_interval="month")  # fmt: skip
    measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=61)
    settings.SCORECARD_TODAY = TODAY
    return kpi


def _create(world: Any, **fields: Any) -> tuple[ShareLink, str]:
    args = {"label": "Board", "expires_on": dt.date(2026, 12, 31), **fields}
    return services.share_create(scorecard=world.scorecard, user=world.editor, **args)


def test_the_token_is_stored_only_as_a_hash(world: Any, kpi: Any) -> None:
    link, token = _create(world)
    assert len(token) >= 40 and token not in link.token_hash
    assert link.token_hash == services.token_hash(token)
    page = Client().get(f"/share/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Net promoter score" in html and "61" in html
    assert "<a " not in html  # nothing to navigate to
    assert ShareView.objects.filter(link=link).count() == 1


def test_anonymous_visitors_reach_nothing_else(world: Any, kpi: Any) -> None:
    _, token = _create(world)
    browser = Client()
    assert browser.get(f"/share/{token}/").status_code == 200
    for url in ["/", "/o/northwind/s/company/", "/o/northwind/s/company/map/",
                "/o/northwind/s/company/kpi/nps/"]:  # fmt: skip
        response = browser.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    assert browser.get("/api/v1/scorecards").status_code == 401
    assert browser.get(f"/share/{token}x/").status_code == 404


def test_revoked_and_expired_links_stop(world: Any, kpi: Any, settings: Any) -> None:
    link, token = _create(world)
    with pytest.raises(PermissionDenied):
        services.share_revoke(link=link, user=world.viewer)
    services.share_revoke(link=link, user=world.editor)
    assert Client().get(f"/share/{token}/").status_code == 410
    _, token = _create(world, expires_on=dt.date(2026, 11, 30))
    assert Client().get(f"/share/{token}/").status_code == 200
    settings.SCORECARD_TODAY = "2026-12-01"
    assert Client().get(f"/share/{token}/").status_code == 410


def test_a_password_guards_the_link(world: Any, kpi: Any) -> None:
    with pytest.raises(ValidationError, match="at least 8"):
        _create(world, password="short")
    _link, token = _create(world, password="correct horse")
    browser = Client()
    assert "needs a password" in browser.get(f"/share/{token}/").content.decode()
    assert browser.post(f"/share/{token}/", {"password": "wrong"}).status_code == 403
    assert not ShareView.objects.exists()
    browser.post(f"/share/{token}/", {"password": "correct horse"})
    assert "Net promoter score" in browser.get(f"/share/{token}/").content.decode()
    assert "needs a password" in Client().get(f"/share/{token}/").content.decode()


def test_frozen_numbers_survive_a_correction(world: Any, kpi: Any) -> None:
    _, frozen = _create(world, frozen_on=dt.date(2026, 11, 10))
    _, live = _create(world)
    measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=75)
    assert "61" in Client().get(f"/share/{frozen}/").content.decode()
    live_page = Client().get(f"/share/{live}/").content.decode()
    assert "75" in live_page and ">61<" not in live_page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"label": " "}, "who the link is for"),
        ({"expires_on": dt.date(2026, 11, 22)}, "expired already"),
        ({"expires_on": dt.date(2028, 1, 1)}, "at most 366 days"),
        ({"frozen_on": dt.date(2026, 12, 1)}, "future date"),
        ({"what": "api"}, "Unknown thing"),
    ],
)
def test_bad_links_are_refused(world: Any, kpi: Any, fields: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _create(world, **fields)


def test_owner_pages(world: Any, kpi: Any) -> None:
    editor = world.client_for("editor")
    response = editor.post(
        "/o/northwind/s/company/share/",
        {"label": "Customer", "what": "map", "expires_on": "2026-12-01", "frozen_on": ""},
        follow=True,
    )
    html = response.content.decode()
    token = html.split("/share/")[1].split("/")[0]
    link = ShareLink.objects.get(label="Customer")
    map_page = Client(HTTP_USER_AGENT="BoardBrowser/1.0").get(f"/share/{token}/")
    assert "<svg" in map_page.content.decode() and "<a " not in map_page.content.decode()
    detail = editor.get(f"/o/northwind/s/company/share/{link.pk}/").content.decode()
    assert "BoardBrowser/1.0" in detail
    assert world.client_for("contributor").get("/o/northwind/s/company/share/").status_code == 403
    editor.post(f"/o/northwind/s/company/share/{link.pk}/revoke/")
    assert Client().get(f"/share/{token}/").status_code == 410
