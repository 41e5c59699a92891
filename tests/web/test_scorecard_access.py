"""Every scorecard page (not only the scorecard itself) reaches its scorecard, the
member's membership and the header's unread count in one query (web.access.scorecard_for
through strategy.selectors.scorecard_of_member, issue 16), and every access rule holds:
404 for an outsider, another organization's scorecard or a removed member, 403 below the
page's role, sign-in for a deactivated user, a changed role on the next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scorecard.organizations.models import Membership
from scorecard.reviews.services import comment_add
from tests.factories import MembershipFactory, ScorecardFactory, UnitFactory
from tests.web.test_pages import card as card  # the pages' scorecard
from tests.web.test_pages import url

pytestmark = pytest.mark.django_db

#: Scorecard pages other than the scorecard itself: (URL name, its arguments, role).
MAP = ("strategy_map", (), "viewer")
EDIT = ("scorecard_edit", (), "editor")


def _queries(client, name: str, *args: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(name, *args))
    return response.status_code, [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize(("name", "args"), [MAP[:2], EDIT[:2], ("kpi_detail", ("revenue",))])
def test_the_access_is_one_query_and_the_header_asks_for_nothing_more(card, name, args) -> None:
    world = card[0]
    admin = world.client_for("admin")
    admin.get(url(name, *args))  # warm up (content types, the scores)
    status, sql = _queries(admin, name, *args)
    assert status == 200
    membership = [q for q in sql if '"organizations_membership"' in q]
    # One query reads the membership, and it is the scorecard's own query.
    assert len(membership) == 1, membership
    assert 'FROM "strategy_scorecard"' in membership[0]
    assert '"audit_notification"' in membership[0]
    # The header's unread count was read with it: no query of its own.
    assert sum('"audit_notification"' in q for q in sql) == 1, sql


def test_the_header_count_read_with_the_scorecard_is_the_persons(card) -> None:
    world = card[0]
    html = world.client_for("viewer").get(url("strategy_map")).content.decode()
    assert 'class="count unread"' not in html
    # Two mentions of the viewer, one of somebody else: the viewer's header says 2.
    revenue = card[2]
    for text in ("@viewer-user look", "@viewer-user again", "@editor-user you"):
        comment_add(item=revenue, author=world.admin, text=text)
    html = world.client_for("viewer").get(url("strategy_map")).content.decode()
    assert 'aria-label="2 unread">2</span>' in html


@pytest.mark.parametrize(("name", "args", "role"), [MAP, EDIT])
def test_outsiders_removed_members_and_other_organizations_get_404(card, name, args, role) -> None:
    world = card[0]
    assert world.client_for("outsider").get(url(name, *args)).status_code == 404
    # Another organization's scorecard is not reached through this organization's URL.
    other = ScorecardFactory(
        organization=world.other_organization,
        unit=UnitFactory(organization=world.other_organization, slug="rival-unit"),
        slug="rivals",
    )
    admin = world.client_for("admin")
    assert admin.get(url(name, *args).replace("/company/", f"/{other.slug}/")).status_code == 404
    assert admin.get(url(name, *args).replace("/company/", "/nowhere/")).status_code == 404
    assert admin.get(url(name, *args)).status_code == 200
    Membership.objects.filter(user=world.admin, organization=world.organization).delete()
    assert admin.get(url(name, *args)).status_code == 404


def test_a_role_below_the_page_gets_403_and_a_changed_role_counts_at_once(card) -> None:
    world = card[0]
    name, args, _ = EDIT
    viewer = world.client_for("viewer")
    assert viewer.get(url(name, *args)).status_code == 403
    Membership.objects.filter(user=world.viewer, organization=world.organization).update(
        role="editor"
    )
    assert viewer.get(url(name, *args)).status_code == 200
    Membership.objects.filter(user=world.viewer, organization=world.organization).update(
        role="contributor"
    )
    assert viewer.get(url(name, *args)).status_code == 403


def test_a_member_of_two_organizations_is_judged_by_this_ones_role(card) -> None:
    world = card[0]
    # Admin of the other organization, viewer of this one: this one's role counts.
    MembershipFactory(user=world.viewer, organization=world.other_organization, role="admin")
    viewer = world.client_for("viewer")
    assert viewer.get(url(EDIT[0], *EDIT[1])).status_code == 403
    assert viewer.get(url(MAP[0], *MAP[1])).status_code == 200


def test_a_deactivated_user_is_sent_to_sign_in(card) -> None:
    world = card[0]
    viewer = world.client_for("viewer")
    assert viewer.get(url(MAP[0], *MAP[1])).status_code == 200
    world.viewer.is_active = False
    world.viewer.save()
    response = viewer.get(url(MAP[0], *MAP[1]))
    assert response.status_code == 302 and "login" in response["Location"]
