"""The scorecard page on a cache hit reads the scorecard, the organization, the member's
membership and the unread count in one query (strategy.selectors.scorecard_of_member,
issue 16). Every access check stays as strict as before: with the page already kept, a
removed member, a changed role, a deactivated user, an outsider and a member of two
organizations are each answered as the rules say on the very next request."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scorecard.organizations.models import Membership
from scorecard.reviews.mentions import notifications_mark_read
from scorecard.reviews.services import comment_add
from scorecard.strategy.selectors import scorecard_of_member
from tests.factories import MembershipFactory, ScorecardFactory, UnitFactory
from tests.web.test_fast_pages import KEPT_PAGE, _page, frozen_today  # noqa: F401
from tests.web.test_pages import card as card  # the page's scorecard
from tests.web.test_pages import url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _kept(client) -> str:
    """The page, asked for until it is served kept (at most twice)."""
    for _ in range(2):
        html, cached = _page(client)
    assert cached == KEPT_PAGE
    return html


def _role(html: str) -> str:
    found = re.search(r'<span class="role">([^<]+)</span>', html)
    assert found is not None, "no role in the header"
    return found.group(1)


def test_a_kept_page_takes_three_queries_session_user_and_one_more(card) -> None:
    world = card[0]
    viewer = world.client_for("viewer")
    _kept(viewer)
    with CaptureQueriesContext(connection) as queries:
        response = viewer.get(url("scorecard_detail"))
    assert response.status_code == 200 and response.kept_page
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 3, sql
    assert 'FROM "django_session"' in sql[0] and 'FROM "auth_user"' in sql[1]
    # The scorecard with its organization and the membership, the unread count inside.
    assert 'FROM "strategy_scorecard"' in sql[2] and '"organizations_membership"' in sql[2]
    assert '"audit_notification"' in sql[2]


def test_a_removed_member_is_refused_on_the_next_request(card) -> None:
    world = card[0]
    viewer = world.client_for("viewer")
    _kept(viewer)
    Membership.objects.filter(user=world.viewer, organization=world.organization).delete()
    assert viewer.get(url("scorecard_detail")).status_code == 404


def test_a_lower_role_is_on_the_next_page(card) -> None:
    world = card[0]
    editor = world.client_for("editor")
    html = _kept(editor)
    assert _role(html) == "Editor" and "Add an objective" in html
    Membership.objects.filter(user=world.editor, organization=world.organization).update(
        role="viewer"
    )
    html, _ = _page(editor)
    assert _role(html) == "Viewer" and "Add an objective" not in html


def test_a_deactivated_user_is_sent_to_sign_in_on_the_next_request(card) -> None:
    world = card[0]
    viewer = world.client_for("viewer")
    _kept(viewer)
    world.viewer.is_active = False
    world.viewer.save()
    response = viewer.get(url("scorecard_detail"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_outsider_gets_404_for_a_kept_page(card) -> None:
    world = card[0]
    _kept(world.client_for("admin"))
    assert world.client_for("outsider").get(url("scorecard_detail")).status_code == 404


def test_a_member_of_two_organizations_gets_this_organizations_role(card) -> None:
    world = card[0]
    # The viewer is also admin of another organization: its membership must not be read.
    MembershipFactory(user=world.viewer, organization=world.other_organization, role="admin")
    viewer = world.client_for("viewer")
    html = _kept(viewer)
    assert _role(html) == "Viewer" and "Add an objective" not in html
    found = scorecard_of_member(user=world.viewer, org_slug="northwind", slug="company")
    assert found is not None
    expected = Membership.objects.get(user=world.viewer, organization=world.organization)
    assert (found.membership.pk, found.membership.role) == (expected.pk, "viewer")
    assert found.membership.organization_id == world.organization.pk
    assert found.scorecard.organization == world.organization


def test_another_organizations_scorecard_is_not_reached_through_this_one(card) -> None:
    world = card[0]
    MembershipFactory(user=world.viewer, organization=world.other_organization, role="admin")
    unit = UnitFactory(organization=world.other_organization, slug="rival")
    ScorecardFactory(organization=world.other_organization, unit=unit, slug="secret")
    viewer = world.client_for("viewer")
    assert viewer.get("/o/northwind/s/secret/").status_code == 404
    assert viewer.get("/o/rival/s/secret/").status_code == 200
    # The outsider (admin of the other organization only) never reaches this one's.
    assert world.client_for("outsider").get("/o/northwind/s/company/").status_code == 404


def test_unread_mentions_go_up_and_down_on_the_next_page(card) -> None:
    world, objective = card[0], card[1]
    viewer = world.client_for("viewer")
    assert 'class="count unread"' not in _kept(viewer)
    for text in ("first", "second"):
        comment_add(item=objective, author=world.editor, text=f"@{world.viewer.username} {text}")
    html, _ = _page(viewer)
    assert re.search(r'class="count unread"[^>]*>\s*2\s*<', html), "two unread mentions"
    notifications_mark_read(user=world.viewer)
    html, _ = _page(viewer)
    assert 'class="count unread"' not in html
    # Another person's mentions are not counted as the viewer's.
    comment_add(item=objective, author=world.viewer, text=f"@{world.editor.username} hi")
    html, _ = _page(viewer)
    assert 'class="count unread"' not in html
    found = scorecard_of_member(user=world.editor, org_slug="northwind", slug="company")
    assert found is not None and found.unread == 1


def test_the_kept_page_is_the_rendered_page_byte_for_byte(card) -> None:
    """The page is kept as UTF-8 bytes: non-ASCII text (€, ×, –) comes back unchanged,
    and only the CSRF token differs between a page rendered afresh and a kept one."""
    world = card[0]
    editor = world.client_for("editor")
    first = editor.get(url("scorecard_detail"))
    second = editor.get(url("scorecard_detail"))
    assert second.kept_page and second["Content-Type"] == "text/html; charset=utf-8"
    fresh, kept = first.content.decode(), second.content.decode()
    assert "€" in kept
    token = re.compile(r'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"')
    assert token.sub(r"\1TOKEN", kept) == token.sub(r"\1TOKEN", fresh)
