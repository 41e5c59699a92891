"""Fast pages from cached scores (issue 16): the scorecard page's rows and the scores
API's JSON are kept in the cache (web/fragments.py, kpis/evaluation.py), and what they
show is never older than the data: a value written through the web form or the API, a
rename and a change of structure are on the very next request; each language, and each
role, gets its own rows; queries do not grow with the number of KPIs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scorecard.api.services import api_token_create
from scorecard.initiatives.services import initiative_create, initiative_update
from scorecard.kpis.models import Kpi
from scorecard.kpis.services import kpi_create, kpi_delete, kpi_update
from scorecard.organizations.models import Membership
from scorecard.planning.services import forecast_rule_set
from scorecard.reviews.services import comment_add
from scorecard.strategy.models import Scorecard
from scorecard.strategy.services import objective_update, perspective_update
from tests.web.test_pages import _scorecard_with, url
from tests.web.test_pages import card as card  # the page's scorecard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def frozen_today():
    with override_settings(SCORECARD_TODAY="2026-11-23"):
        yield


def _row(html: str, code: str) -> str:
    """The table row of KPI ``code``."""
    found = re.search(rf'<tr class="kpi" id="kpi-{code}">(.*?)</tr>', html, re.S)
    assert found is not None, f"no row for {code}"
    return found.group(1)


def _table(html: str) -> str:
    """The page's table of scores (the kept rows)."""
    found = re.search(r'<div class="tablewrap">.*?</table>\s*</div>', html, re.S)
    assert found is not None
    return found.group(0)


#: What ``_page`` says when the whole page came from the cache (no template rendered).
KEPT_PAGE = "the whole page, kept"


def _page(client: Client, query: str = "", **headers: str) -> tuple[str, object]:
    """The page's HTML and where its rows came from: None when rendered afresh, the kept
    rows, or ``KEPT_PAGE`` when the whole page was kept (web/fragments.py)."""
    response = client.get(url("scorecard_detail") + query, **headers)
    assert response.status_code == 200
    if response.context is None or "rows_html" not in response.context:
        assert response.kept_page  # only the person's header was rendered
        return response.content.decode(), KEPT_PAGE
    return response.content.decode(), response.context["rows_html"]


def _scores(client: Client, token: str, scorecard: Scorecard) -> dict:
    response = client.get(
        f"/api/v1/scorecards/{scorecard.pk}/scores",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def _kpi(data: dict, code: str) -> dict:
    return next(k for k in data["kpis"] if k["code"] == code)


def test_the_second_request_is_served_from_the_cached_rows(card) -> None:
    world = card[0]
    client = world.client_for("viewer")
    first, cached = _page(client)
    assert cached is None  # rendered, and kept
    second, cached = _page(client)
    assert cached is not None  # the same rows, from the cache
    assert _table(second) == _table(first)
    assert "600\u00a0€" in _row(second, "revenue")
    assert '<svg class="spark"' in second  # the sparklines are in the kept rows


def test_a_value_written_in_the_web_form_is_on_the_next_page(card) -> None:
    world = card[0]
    viewer = world.client_for("viewer")
    for _ in range(2):
        html, _ = _page(viewer)
    assert "600\u00a0€" in _row(html, "revenue") and "Yellow" in _row(html, "revenue")
    response = world.client_for("contributor").post(
        url("kpi_record", "revenue"), {"period": "2026-10-01", "value": "900", "note": ""}
    )
    assert response.status_code == 302
    html, cached = _page(viewer)
    assert cached is None  # new data, new rows
    row = _row(html, "revenue")
    assert "900\u00a0€" in row and "600\u00a0€" not in row and "Green" in row
    assert "23 Nov 2026" in row  # "updated" today


def test_a_value_written_through_the_api_is_on_the_next_page_and_api_answer(card) -> None:
    world, _, revenue, _ = card
    _, token = api_token_create(user=world.editor, organization=world.organization, name="t")
    client = Client()
    viewer = world.client_for("viewer")
    for _ in range(2):
        data = _scores(client, token, world.scorecard)
        _page(viewer)
    assert _kpi(data, "revenue")["value"] == 600
    response = client.post(
        "/api/v1/measurements",
        {"kpi": revenue.pk, "period_start": "2026-10-01", "value": 950},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content
    assert _kpi(_scores(client, token, world.scorecard), "revenue")["value"] == 950
    html, cached = _page(viewer)
    assert cached is None and "950\u00a0€" in _row(html, "revenue")


def test_renames_and_structure_changes_are_on_the_next_page(card) -> None:
    world, objective, revenue, _ = card
    viewer = world.client_for("viewer")
    _page(viewer)
    kpi_update(kpi=revenue, name="Net revenue")
    html, _ = _page(viewer)
    assert "><bdi>Net revenue</bdi></a>" in _row(html, "revenue")
    objective_update(objective=objective, name="Grow the business")
    perspective_update(perspective=objective.perspective, name="Money")
    html, _ = _page(viewer)
    assert "><bdi>Grow the business</bdi></a>" in html and "><bdi>Money</bdi></th>" in html
    assert "Grow revenue" not in html
    kpi_create(objective=objective, code="orders", name="Orders", minimum=0, maximum=20, target=10)
    html, _ = _page(viewer)
    assert 'id="kpi-orders"' in html
    kpi_delete(kpi=Kpi.objects.get(scorecard=world.scorecard, code="orders"))
    html, _ = _page(viewer)
    assert 'id="kpi-orders"' not in html and 'id="kpi-cost"' in html


def test_each_language_gets_its_own_rows(card) -> None:
    world = card[0]
    viewer = world.client_for("viewer")
    english, _ = _page(viewer)
    _page(viewer)  # kept in English
    german, cached = _page(viewer, HTTP_ACCEPT_LANGUAGE="de")
    assert cached is None  # not the English rows
    assert "60.0\u00a0%" in _row(english, "revenue")  # performance, English decimal point
    assert "60,0\u00a0%" in _row(german, "revenue")  # German decimal comma
    again, cached = _page(viewer, HTTP_ACCEPT_LANGUAGE="de")
    assert cached is not None and _row(again, "revenue") == _row(german, "revenue")
    english_again, _ = _page(viewer)
    assert _row(english_again, "revenue") == _row(english, "revenue")


def test_a_viewer_is_not_served_an_editors_rows(card) -> None:
    world = card[0]
    editor, viewer = world.client_for("editor"), world.client_for("viewer")
    for _ in range(2):
        _, from_cache = _page(editor)
    assert from_cache is not None
    _, cached = _page(viewer)
    assert cached is None  # rendered for the viewer, not the editor's
    assert _page(viewer)[1] is not None


def test_each_question_gets_its_own_rows(card) -> None:
    world = card[0]
    viewer = world.client_for("viewer")
    _page(viewer)
    html, cached = _page(viewer, "?view=ytd&as_of=2026-10-31")
    assert cached is None and "1,100\u00a0€" in _row(html, "revenue")
    html, cached = _page(viewer, "?as_of=2026-09-30")
    assert cached is None and "500\u00a0€" in _row(html, "revenue")
    # The links in the rows keep the question.
    assert "?as_of=2026-09-30" in _row(html, "revenue")


def test_the_htmx_partial_shares_the_rows_with_the_page(card) -> None:
    world = card[0]
    viewer = world.client_for("viewer")
    full, _ = _page(viewer)
    partial, cached = _page(viewer, HTTP_HX_REQUEST="true")
    assert cached is not None and "<html" not in partial
    assert _row(partial, "revenue") == _row(full, "revenue")


def test_the_scores_api_takes_a_constant_number_of_queries(world) -> None:
    _scorecard_with(world, "small", 10)
    _scorecard_with(world, "big", 200)
    _, token = api_token_create(user=world.viewer, organization=world.organization, name="t")
    client = Client()
    first = Scorecard.objects.get(organization=world.organization, slug="small")
    client.get(  # the token's first use is noted once
        f"/api/v1/scorecards/{first.pk}/scores?view=ytd", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    counts = {}
    for slug in ["small", "big"]:
        scorecard = Scorecard.objects.get(organization=world.organization, slug=slug)
        for cold in (True, False):
            with CaptureQueriesContext(connection) as queries:
                data = _scores(client, token, scorecard)
            counts[slug, cold] = len(queries)
        assert len(data["kpis"]) == Kpi.objects.filter(scorecard=scorecard).count()
    assert counts["big", True] == counts["small", True], counts
    assert counts["big", False] == counts["small", False], counts
    assert counts["big", False] < counts["big", True], counts


def test_the_first_scorecard_page_takes_a_constant_number_of_queries(world) -> None:
    """Rendered afresh (nothing cached) the page still takes as many queries for 200
    KPIs as for 10 (the kept page: tests/web/test_pages.py)."""
    _scorecard_with(world, "small", 10)
    _scorecard_with(world, "big", 200)
    client = world.client_for("editor")
    client.get("/")  # the session
    counts = {}
    for slug in ["small", "big"]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/o/northwind/s/{slug}/")
        assert response.status_code == 200 and response.context["rows_html"] is None
        counts[slug] = len(queries)
    assert counts["big"] == counts["small"], counts


def test_a_known_at_answer_is_not_mixed_with_the_current_one(card) -> None:
    world = card[0]
    _, token = api_token_create(user=world.viewer, organization=world.organization, name="t")
    client = Client()
    now = _scores(client, token, world.scorecard)
    response = client.get(
        f"/api/v1/scorecards/{world.scorecard.pk}/scores",
        {"known_at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC).isoformat()},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200
    assert _kpi(response.json(), "revenue")["value"] is None  # nothing known in 2020
    assert "structure_note" in response.json() and "structure_note" not in now
    assert _kpi(_scores(client, token, world.scorecard), "revenue")["value"] == 600


# --- the whole page kept (web/fragments.py: scorecard_page_key, personal_page) --------


def _token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_the_whole_page_is_kept_with_each_request_its_own_token_and_header(card) -> None:
    world = card[0]
    editor = Client(enforce_csrf_checks=True)
    editor.force_login(world.editor)
    first, cached = _page(editor)
    assert cached is None
    second, cached = _page(editor)
    assert cached == KEPT_PAGE
    assert _table(second) == _table(first)
    assert "csrfSlot" not in second and "scorecard:personal-header" not in second
    assert 'class="who"' in second and "Editor" in second  # the header, with the role
    # The kept page's token is this session's: its forms can be sent.
    token = _token(second)
    assert f'"X-CSRFToken": "{token}"' in second
    response = editor.post(
        url("scorecard_report_start_xlsx"), {"csrfmiddlewaretoken": token}, follow=False
    )
    assert response.status_code != 403
    # Another member with the same role gets the same page with their own header.
    other = world.client_for("admin")
    _page(other)
    html, _ = _page(other)
    assert _token(html) != token


def test_each_person_sees_their_own_name_and_unread_mentions(card) -> None:
    world = card[0]
    viewer = world.client_for("viewer")
    _page(viewer)
    html, cached = _page(viewer)
    assert cached == KEPT_PAGE
    assert f">{world.viewer.get_full_name() or world.viewer.username}" in html
    assert 'class="count unread"' not in html
    objective = card[1]
    comment_add(item=objective, author=world.editor, text=f"@{world.viewer.username} look")
    html, cached = _page(viewer)
    assert 'class="count unread"' in html  # the mention is on the very next page
    world.viewer.first_name, world.viewer.last_name = "Vera", "Renamed"
    world.viewer.save()
    html, _ = _page(viewer)
    assert "Vera Renamed" in html


def test_a_new_role_is_on_the_next_page(card) -> None:
    world = card[0]
    viewer = world.client_for("viewer")
    for _ in range(2):
        html, cached = _page(viewer)
    assert cached == KEPT_PAGE and "Add an objective" not in html
    membership = Membership.objects.get(user=world.viewer, organization=world.organization)
    membership.role = "editor"
    membership.save()
    html, cached = _page(viewer)
    assert cached != KEPT_PAGE and "Add an objective" in html
    assert '<span class="role">Editor</span>' in html


def test_the_persons_language_is_on_the_next_page(card) -> None:
    world = card[0]
    viewer = world.client_for("viewer")
    for _ in range(2):
        html, cached = _page(viewer)
    assert cached == KEPT_PAGE and 'lang="en"' in html
    response = viewer.post(reverse("account"), _account(world.viewer, "de"), follow=True)
    assert response.status_code == 200
    html, cached = _page(viewer)
    assert 'lang="de"' in html and "60,0\u00a0%" in _row(html, "revenue")
    assert "Abmelden" in html  # the person's header too


def test_the_time_zone_is_part_of_the_kept_page(card) -> None:
    world = card[0]
    viewer = world.client_for("viewer")
    query = "?as_of=2026-10-31&known_at=2026-11-01T12:00:00Z"
    for _ in range(2):
        utc, _ = _page(viewer, query)
    assert "1 Nov 2026 12:00" in utc
    with override_settings(TIME_ZONE="Europe/Berlin"):
        berlin, cached = _page(viewer, query)
    assert cached != KEPT_PAGE and "1 Nov 2026 13:00" in berlin


def test_initiatives_change_the_red_alert_on_the_next_page(card) -> None:
    world, objective, _, _ = card
    response = world.client_for("contributor").post(
        url("kpi_record", "revenue"), {"period": "2026-10-01", "value": "50", "note": ""}
    )
    assert response.status_code == 302
    viewer = world.client_for("viewer")
    for _ in range(2):
        html, cached = _page(viewer)
    assert cached == KEPT_PAGE and 'id="alerts-heading"' in html
    plan = initiative_create(
        scorecard=world.scorecard, name="Win back", objectives=[objective], status="active"
    )
    html, cached = _page(viewer)
    assert cached != KEPT_PAGE and 'id="alerts-heading"' not in html
    initiative_update(initiative=plan, status="on_hold")
    html, _ = _page(viewer)
    assert 'id="alerts-heading"' in html
    initiative_update(initiative=plan, status="active")
    assert 'id="alerts-heading"' not in _page(viewer)[0]
    initiative_update(initiative=plan, objectives=[])
    assert 'id="alerts-heading"' in _page(viewer)[0]


def test_messages_and_bad_parameters_are_shown_on_a_kept_page(card) -> None:
    world = card[0]
    editor = world.client_for("editor")
    for _ in range(2):
        _page(editor, "?as_of=soon")
    html, cached = _page(editor, "?as_of=soon")
    assert cached == KEPT_PAGE and 'role="alert"' in html and "soon" in html
    _page(editor)
    assert _page(editor)[1] == KEPT_PAGE
    # A message waiting in the session is shown once: that page is rendered afresh.
    response = editor.post(reverse("account"), _account(world.editor, ""))
    assert response.status_code == 302
    html, cached = _page(editor)
    assert cached != KEPT_PAGE and "Saved your account." in html
    html, cached = _page(editor)
    assert cached == KEPT_PAGE and "Saved your account." not in html


def _account(user, language: str) -> dict:
    """My account's form, changing only the language."""
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email or f"{user.username}@example.com",
        "language": language,
    }


def test_a_renamed_unit_is_on_the_next_page(card) -> None:
    world = card[0]
    viewer = world.client_for("viewer")
    for _ in range(2):
        html, cached = _page(viewer)
    assert cached == KEPT_PAGE
    unit = world.scorecard.unit
    unit.name = "Headquarters renamed"
    unit.save()
    html, cached = _page(viewer)
    assert cached != KEPT_PAGE and "Headquarters renamed" in html


def test_the_at_risk_rule_is_on_the_next_page(card) -> None:
    world = card[0]
    viewer = world.client_for("viewer")
    for _ in range(2):
        _, cached = _page(viewer)
    assert cached == KEPT_PAGE
    forecast_rule_set(scorecard=world.scorecard, at_risk_below="99")
    _, cached = _page(viewer)
    assert cached != KEPT_PAGE  # the rule changed: the page is rendered afresh
    assert _page(viewer)[1] == KEPT_PAGE
    forecast_rule_set(scorecard=world.scorecard, at_risk_below="")
    assert _page(viewer)[1] != KEPT_PAGE
