"""Comments with @mentions on objectives, KPIs and initiatives: members mentioned are
notified (list and e-mail); other names stay plain text; everything is escaped."""

from __future__ import annotations

import pytest
from django.core import mail

from scorecard.audit.models import Notification
from scorecard.reviews.mentions import mentioned_usernames
from scorecard.reviews.models import Comment
from scorecard.reviews.services import comment_add
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("@ana please look", ["ana"]),
        ("Thanks @sales.lead.", ["sales.lead"]),
        ("cc @a-b, @c_d and @a-b again", ["a-b", "c_d"]),
        ("mail me at ana@example.com", []),
        ("@@odd and @ alone", []),
        ("(@x) @y!", ["x", "y"]),
    ],
)
def test_mentions_are_found(text, names):
    assert mentioned_usernames(text) == names


def test_members_are_notified_by_list_and_mail(card, django_capture_on_commit_callbacks):
    world = card.world
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_add(
            item=card.objective,
            author=world.editor,
            text="@viewer-user and @contributor-user: see this. @outsider @nobody @editor-user",
            url="http://testserver/o/northwind/s/company/objective/grow/",
        )
    notified = set(
        Notification.objects.filter(comment=comment).values_list("user__username", flat=True)
    )
    # Not the outsider (another organization), not unknown names, not the author.
    assert notified == {"viewer-user", "contributor-user"}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "contributor-user@example.com",
        "viewer-user@example.com",
    ]
    message = mail.outbox[0]
    assert "mentioned you on the objective “Grow revenue”" in message.subject
    assert "http://testserver/o/northwind/s/company/objective/grow/" in message.body


def test_a_comment_without_members_mentioned_is_saved_all_the_same(card):
    comment_add(item=card.revenue, author=card.world.editor, text="@ghost hello")
    assert Comment.objects.filter(kpi=card.revenue).count() == 1
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 302), ("editor", 302), ("contributor", 302), ("viewer", 403),
     ("outsider", 404), ("anonymous", 302)],
)  # fmt: skip
def test_who_may_comment_on_objectives_and_initiatives(card, persona, status):
    initiative = InitiativeFactory(scorecard=card.scorecard, name="Push")
    client = card.world.client_for(persona)
    for url in (
        card.url("objective_comment", "grow"),
        card.url("initiative_comment", initiative.pk),
    ):
        response = client.post(url, {"text": f"from {persona}"})
        assert response.status_code == status
        if persona == "anonymous":
            assert "/login/" in response["Location"]
    expected = 2 if status == 302 and persona != "anonymous" else 0
    assert Comment.objects.count() == expected


def test_comments_render_escaped_with_members_linked(card):
    world = card.world
    comment_add(
        item=card.objective,
        author=world.contributor,
        text="<script>alert(1)</script> ask @viewer-user, not @stranger\nsecond line",
    )
    html = world.client_for("viewer").get(card.url("objective_detail", "grow")).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<a class="mention" href="/o/northwind/people/viewer-user/"' in html
    assert "not @stranger<br>second line" in html
    # The person page the mention links to is readable by members only.
    assert world.client_for("viewer").get("/o/northwind/people/viewer-user/").status_code == 200
    assert world.client_for("outsider").get("/o/northwind/people/viewer-user/").status_code == 404
    assert world.client_for("viewer").get("/o/northwind/people/outsider/").status_code == 404


def test_kpi_comments_notify_and_link_too(card):
    client = card.world.client_for("contributor")
    response = client.post(card.url("kpi_comment", "revenue"), {"text": "@editor-user numbers in"})
    assert response.status_code == 302
    assert Notification.objects.get().user == card.world.editor
    html = client.get(card.url("kpi_detail", "revenue")).content.decode()
    assert 'class="mention"' in html and "@editor-user</a> numbers in" in html


def test_notifications_list_header_count_and_opening_marks_read(card):
    world = card.world
    comment_add(item=card.revenue, author=world.contributor, text="@viewer-user look")
    comment_add(item=card.objective, author=world.contributor, text="@viewer-user and this")
    client = world.client_for("viewer")
    home = client.get("/").content.decode()
    assert 'aria-label="2 unread">2</span>' in home
    assert "Mentions of me" in home
    listing = client.get("/notifications/").content.decode()
    assert "on the KPI “<bdi>Revenue</bdi>”" in listing
    assert "on the objective “<bdi>Grow revenue</bdi>”" in listing
    first = Notification.objects.get(comment__kpi=card.revenue)
    opened = client.get(f"/notifications/{first.pk}/")
    assert opened.status_code == 302
    assert opened["Location"] == card.url("kpi_detail", "revenue") + "#comments"
    first.refresh_from_db()
    assert first.read_at is not None
    # Somebody else's notification is not theirs to open.
    assert world.client_for("editor").get(f"/notifications/{first.pk}/").status_code == 404
    client.post("/notifications/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert 'class="count unread"' not in client.get("/").content.decode()


def test_notifications_of_an_organization_left_are_hidden(card):
    world = card.world
    comment_add(item=card.revenue, author=world.editor, text="@viewer-user hi")
    world.viewer.memberships.all().delete()
    assert "Revenue" not in world.client_for("viewer").get("/notifications/").content.decode()
