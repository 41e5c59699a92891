"""An organization's first day: set-up wizard, `scorecard init`, invitations, accounts,
password reset and my account — through real requests, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from scorecard.accounts.models import Invitation
from scorecard.accounts.services import account_update, invitation_create
from scorecard.kpis.models import Kpi
from scorecard.onboarding.services import STARTER_KEYS, organization_setup
from scorecard.organizations.models import Membership, Organization
from scorecard.reviews.mentions import mentions_notify
from scorecard.reviews.models import Comment
from scorecard.strategy.models import Scorecard
from tests.factories import ObjectiveFactory, PerspectiveFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
GOOD_PASSWORD = "plum-orchard-47"


@pytest.fixture(autouse=True)
def _mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SCORECARD_ASSUME_MAIL = True
    settings.SCORECARD_BASE_URL = "http://testserver"


def _link(text: str) -> str:
    found = re.search(r"http://testserver(/[^\s\"<]+)", text)
    assert found, text
    return found.group(1)


def _main(response: Any) -> str:
    """The page's own content (the header carries a per-request CSRF token)."""
    return response.content.decode().split("<main", 1)[1]


# --- set-up ------------------------------------------------------------------------------


@pytest.mark.parametrize("starter", STARTER_KEYS)
def test_every_starter_sets_up_an_organization(starter: str) -> None:
    admin = UserFactory(username="boss")
    result = organization_setup(name="Acme", unit_name="Acme Ltd", starter=starter, admin=admin)
    assert result.organization.slug == "acme"
    assert result.unit.parent_id is None and result.unit.name == "Acme Ltd"
    assert result.scorecard.unit_id == result.unit.pk
    assert Membership.objects.get(user=admin).role == "admin"
    assert result.scorecard.perspectives.count() == 4
    kpis = Kpi.objects.filter(scorecard=result.scorecard).count()
    assert (kpis == 0) == (starter == "empty")


def test_set_up_names_in_any_script_get_a_usable_short_name() -> None:
    admin = UserFactory()
    first = organization_setup(name="增长公司", admin=admin)
    second = organization_setup(name="增长公司", admin=admin)
    # Transliterated like every other short name (scorecard.naming); a name with nothing
    # usable falls back to "org".
    assert first.organization.slug == "zeng-zhang-gong-si"
    assert second.organization.slug == "zeng-zhang-gong-si-2"
    assert first.scorecard.name == "增长公司 scorecard"
    emoji = organization_setup(name="🙂🙂", admin=admin)
    assert emoji.organization.slug and emoji.organization.slug.isascii()
    assert organization_setup(name="!!!", admin=admin).organization.slug == "org"


def test_set_up_refuses_an_empty_name_and_saves_nothing() -> None:
    with pytest.raises(Exception, match="Give the organization a name"):
        organization_setup(name="  ", admin=UserFactory())
    assert not Organization.objects.exists()


def test_a_superuser_is_led_through_the_wizard() -> None:
    boss = UserFactory(username="boss", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(boss)
    assert client.get("/")["Location"] == reverse("setup")
    response = client.post(
        reverse("setup"),
        {"name": "Acme", "unit_name": "", "starter": "sales", "scorecard_name": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == "/o/acme/invite/?welcome=1"
    page = client.get(response["Location"]).content.decode()
    assert "Go to your scorecard" in page and "/o/acme/s/sales/" in page
    assert Scorecard.objects.get().name == "Sales scorecard"


def test_only_superusers_open_the_wizard(world: Any) -> None:
    assert world.client_for("admin").get(reverse("setup")).status_code == 403
    assert world.client_for("anonymous").get(reverse("setup")).status_code == 302


def test_the_set_up_link_makes_the_first_account_once(caplog: Any) -> None:
    caplog.set_level("WARNING", logger="scorecard.setup")
    login_page = Client().get(reverse("login")).content.decode()
    assert "no organization yet" in login_page
    path = _link(caplog.text)
    # Opening the sign-in page again does not make a second link.
    Client().get(reverse("login"))
    assert caplog.text.count("one-time link") == 1
    client = Client()
    assert client.get(path).status_code == 200
    data = {
        "username": "hanna", "email": "hanna@example.com", "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD, "name": "Northwind", "unit_name": "Northwind Outdoor",
        "starter": "empty", "scorecard_name": "Company 2027",
    }  # fmt: skip
    response = client.post(path, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    hanna = User.objects.get(username="hanna")
    assert hanna.is_superuser and hanna.check_password(GOOD_PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    # The link is spent: a second use is refused and creates nothing.
    assert Client().post(path, {**data, "username": "mallory"}).status_code == 410
    assert not User.objects.filter(username="mallory").exists()


def test_a_bad_set_up_form_keeps_the_link_usable(caplog: Any) -> None:
    caplog.set_level("WARNING", logger="scorecard.setup")
    Client().get(reverse("login"))
    path = _link(caplog.text)
    response = Client().post(path, {"username": "", "password1": "1", "password2": "2",
                                    "name": "", "starter": "empty"})  # fmt: skip
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required" in html and "The two passwords differ" in html
    assert Client().get(path).status_code == 200
    assert not User.objects.exists() and not Organization.objects.exists()


def test_scorecard_init_without_a_browser() -> None:
    out = io.StringIO()
    call_command(
        "init", org="Acme", admin="boss", email="boss@example.com", starter="company", stdout=out
    )
    text = out.getvalue()
    assert "Created “Acme”" in text
    boss = User.objects.get(username="boss")
    assert boss.is_superuser and not boss.has_usable_password()
    assert Membership.objects.get(user=boss).role == "admin"
    path = _link(text)
    client = Client()
    form = client.get(path, follow=True)
    assert "Choose a password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )
    assert done.status_code == 302
    boss.refresh_from_db()
    assert boss.check_password(GOOD_PASSWORD)


def test_scorecard_init_prints_a_set_up_link_on_a_fresh_install() -> None:
    out = io.StringIO()
    call_command("init", stdout=out)
    assert Client().get(_link(out.getvalue())).status_code == 200


def test_a_unit_can_be_made_when_the_tree_is_empty(world: Any) -> None:
    world.scorecard.delete()
    world.unit.delete()
    client = world.client_for("admin")
    page = client.get(reverse("unit_new", args=["northwind"])).content.decode()
    assert 'name="parent"' not in page
    response = client.post(reverse("unit_new", args=["northwind"]), {"name": "Head office"})
    assert response.status_code == 302
    assert world.organization.units.get().parent is None


# --- invitations -------------------------------------------------------------------------


def _invite(world: Any, email: str, role: str = "editor") -> Any:
    # The e-mail leaves once the invitation is committed.
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return world.client_for("admin").post(
            reverse("invite", args=["northwind"]), {"emails": email, "role": role}
        )


def test_an_invitation_makes_a_new_account_and_a_membership(world: Any) -> None:
    assert _invite(world, "new@example.com").status_code == 200
    path = _link(mail.outbox[0].body)
    client = Client()
    page = client.get(path).content.decode()
    assert "Join Northwind Outdoor" in page and "editor" in page
    response = client.post(path, {
        "action": "create", "username": "newbie", "first_name": "Nora", "last_name": "Ng",
        "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD,
    })  # fmt: skip
    assert response.status_code == 302
    newbie = User.objects.get(username="newbie")
    assert newbie.email == "new@example.com" and newbie.get_full_name() == "Nora Ng"
    assert Membership.objects.get(user=newbie).role == "editor"
    # Used once: the same link now says it does not work, and makes nothing.
    again = Client().post(
        path,
        {"action": "create", "username": "second", "password1": GOOD_PASSWORD,
         "password2": GOOD_PASSWORD},
    )  # fmt: skip
    assert again.status_code == 410
    assert not User.objects.filter(username="second").exists()


def test_an_existing_account_accepts_by_signing_in(world: Any) -> None:
    _invite(world, "someone@example.com", role="viewer")
    path = _link(mail.outbox[0].body)
    outsider = world.client_for("outsider")
    assert "Join as <bdi>outsider</bdi>" in outsider.get(path).content.decode()
    assert outsider.post(path, {"action": "join"}).status_code == 302
    assert Membership.objects.get(user=world.outsider, organization=world.organization).role == (
        "viewer"
    )
    assert outsider.post(path, {"action": "join"}).status_code == 410


def test_expired_and_withdrawn_invitations_do_not_work(world: Any, settings: Any) -> None:
    issued = invitation_create(
        organization=world.organization, email="late@example.com", role="viewer",
        invited_by=world.admin,
    )  # fmt: skip
    path = issued.url.removeprefix("http://testserver")
    settings.SCORECARD_TODAY = (dt.date.today() + dt.timedelta(days=8)).isoformat()
    assert Client().get(path).status_code == 410
    settings.SCORECARD_TODAY = ""
    assert Client().get(path).status_code == 200
    world.client_for("admin").post(
        reverse("invitation_revoke", args=["northwind", issued.invitation.pk])
    )
    response = Client().get(path)
    assert response.status_code == 410
    assert "used already, withdrawn or has expired" in response.content.decode()
    unknown = Client().get("/join/made-up-token/")
    assert _main(unknown) == _main(response)


def test_inviting_never_reveals_whether_an_account_exists(world: Any) -> None:
    UserFactory(username="known", email="known@example.com")
    known = _invite(world, "known@example.com")
    unknown = _invite(world, "nobody@example.com")

    def said(response: Any) -> str:
        """What the page says about the invitation just made, without address and link."""
        block = re.search(r'<div class="ok".*?</div>', response.content.decode(), re.S)
        assert block
        return re.sub(r"(known|nobody)@example\.com|/join/[\w-]+/", "", block.group(0))

    assert known.status_code == unknown.status_code == 200
    assert said(known) == said(unknown)
    assert (
        mail.outbox[0].body.replace("known", "x").split("http")[0]
        == (mail.outbox[1].body.replace("nobody", "x").split("http")[0])
    )
    assert not Membership.objects.filter(user__username="known").exists()
    assert reverse("invite", args=["northwind"]).endswith("/invite/")
    # The old "add by user name" address is gone.
    assert Client().get("/o/northwind/members/add/").status_code == 404


def test_invitations_are_rate_limited(world: Any, settings: Any) -> None:
    settings.SCORECARD_INVITATIONS_PER_HOUR = 3
    response = _invite(world, "a@example.com, b@example.com, c@example.com, d@example.com")
    assert response.status_code == 422
    assert "Too many requests" in response.content.decode()
    assert Invitation.objects.count() == 3


def test_an_admin_makes_an_account_without_mail(world: Any, settings: Any) -> None:
    settings.SCORECARD_ASSUME_MAIL = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    client = world.client_for("admin")
    assert (
        "No e-mail server is configured"
        in client.get(reverse("invite", args=["northwind"])).content.decode()
    )
    response = client.post(
        reverse("account_new", args=["northwind"]),
        {"username": "field.worker", "first_name": "Fay", "role": "contributor"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "set their password" in page
    path = _link(page)
    worker = User.objects.get(username="field.worker")
    assert not worker.has_usable_password()
    person = Client()
    form = person.get(path, follow=True)
    url = form.redirect_chain[-1][0]
    person.post(url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    worker.refresh_from_db()
    assert worker.check_password(GOOD_PASSWORD)
    # The link worked once.
    assert "does not work" in Client().get(path, follow=True).content.decode()
    taken = client.post(reverse("account_new", args=["northwind"]),
                        {"username": "field.worker", "role": "viewer"})  # fmt: skip
    assert taken.status_code == 422 and "is taken" in taken.content.decode()


def test_deactivating_keeps_the_account_and_closes_sign_in(world: Any) -> None:
    membership = Membership.objects.get(user=world.viewer)
    world.client_for("admin").post(reverse("member_remove", args=["northwind", membership.pk]))
    world.viewer.refresh_from_db()
    assert not world.viewer.is_active
    assert not Membership.objects.filter(pk=membership.pk).exists()


# --- password reset and my account ----------------------------------------------------------


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(world: Any) -> None:
    world.editor.email = "editor@example.com"
    world.editor.set_password("old-password-1")
    world.editor.save()
    known = Client().post(reverse("password_reset"), {"email": "editor@example.com"})
    unknown = Client().post(reverse("password_reset"), {"email": "ghost@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    path = _link(mail.outbox[0].body)
    client = Client()
    form = client.get(path, follow=True)
    url = form.redirect_chain[-1][0]
    assert client.post(url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})[
        "Location"
    ] == reverse("password_reset_complete")
    world.editor.refresh_from_db()
    assert world.editor.check_password(GOOD_PASSWORD)
    reused = Client().get(path, follow=True).content.decode()
    assert "This link does not work" in reused


def test_password_reset_requests_are_rate_limited(world: Any, settings: Any) -> None:
    settings.SCORECARD_RESET_REQUESTS_PER_HOUR = 2
    codes = [
        Client().post(reverse("password_reset"), {"email": "x@example.com"}).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]


def test_my_account_changes_name_email_and_preferences(world: Any) -> None:
    client = world.client_for("viewer")
    assert client.get(reverse("account")).status_code == 200
    response = client.post(reverse("account"), {
        "first_name": "Vera", "last_name": "Vu", "email": "vera@example.com", "language": "en",
        "email_mentions": "on",
    })  # fmt: skip
    assert response.status_code == 302
    world.viewer.refresh_from_db()
    assert world.viewer.get_full_name() == "Vera Vu"
    settings_row = world.viewer.account_settings
    assert settings_row.email_mentions and not settings_row.email_reminders
    bad = client.post(reverse("account"), {"email": "not an address"})
    assert bad.status_code == 422


def test_a_password_is_changed_on_its_own_page(world: Any) -> None:
    world.viewer.set_password("old-password-1")
    world.viewer.save()
    client = world.client_for("viewer")
    response = client.post(reverse("password_change"), {
        "old_password": "old-password-1", "new_password1": GOOD_PASSWORD,
        "new_password2": GOOD_PASSWORD,
    })  # fmt: skip
    assert response.status_code == 302
    world.viewer.refresh_from_db()
    assert world.viewer.check_password(GOOD_PASSWORD)


# --- the KPI form a newcomer can fill in ---------------------------------------------------


def _objective(world: Any) -> Any:
    from tests.factories import ObjectiveFactory, PerspectiveFactory

    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Customer")
    return ObjectiveFactory(scorecard=world.scorecard, perspective=perspective, code="delight")


def _new_kpi(world: Any, **data: str) -> Any:
    return world.client_for("editor").post(
        reverse("kpi_new", args=["northwind", "company", "delight"]), data
    )


@pytest.mark.parametrize(
    ("data", "scale"),
    [
        # A target alone: higher is better runs from 0 to the target ...
        ({"optimization": "maximize", "target": "1,600,000"}, (0.0, None, 1600000.0)),
        # ... lower is better from twice the target down to it.
        ({"optimization": "minimize", "target": "4"}, (None, 8.0, 4.0)),
        # A scale of one's own stays as given.
        ({"optimization": "maximize", "target": "90", "minimum": "50"}, (50.0, None, 90.0)),
        ({"optimization": "binary_max", "target": "1"}, (None, None, 1.0)),
    ],
)
def test_a_target_alone_is_enough(world: Any, data: dict[str, str], scale: tuple) -> None:
    _objective(world)
    response = _new_kpi(world, name="Revenue (€)", unit="€", **data)
    assert response.status_code == 302, response.content.decode()[:3000]
    kpi = Kpi.objects.get()
    assert (kpi.minimum, kpi.maximum, kpi.target) == scale
    assert kpi.code == "revenue"


def test_the_code_is_made_from_the_name_and_kept_unique(world: Any) -> None:
    _objective(world)
    for name in ["Orders on time", "Orders on time", "增长", "2nd shift output"]:
        assert _new_kpi(world, name=name, target="10").status_code == 302
    codes = list(Kpi.objects.order_by("pk").values_list("code", flat=True))
    assert codes == ["orders_on_time", "orders_on_time_2", "kpi", "kpi_2nd_shift_output"]


def test_a_minimized_kpi_with_a_zero_target_asks_for_the_worst_value(world: Any) -> None:
    _objective(world)
    response = _new_kpi(world, name="Incidents", optimization="minimize", target="0")
    assert response.status_code == 422
    assert "say which value is the worst" in response.content.decode()
    assert not Kpi.objects.exists()


def test_numbers_come_back_as_people_write_them(world: Any) -> None:
    _objective(world)
    _new_kpi(world, name="Revenue", target="1600000", weight="2")
    page = world.client_for("editor").get(
        reverse("kpi_edit", args=["northwind", "company", "revenue"])
    )
    html = page.content.decode()
    assert 'value="1600000"' in html and "1600000.0" not in html
    assert 'value="2"' in html
    assert "kpi-fields-by-type" in html and "kpi-form.js" in html


def test_email_preferences_are_honoured(world: Any) -> None:
    for user in (world.viewer, world.editor):
        user.email = f"{user.username}@example.com"
        user.save()
    account_update(user=world.viewer, first_name="", last_name="", email="viewer@example.com",
                   email_mentions=False, email_reminders=False)  # fmt: skip
    perspective = PerspectiveFactory(scorecard=world.scorecard)
    objective = ObjectiveFactory(scorecard=world.scorecard, perspective=perspective)
    comment = Comment.objects.create(
        objective=objective,
        author=world.admin,
        text="@viewer-user @editor-user look",
        created_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
    )
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        notified = mentions_notify(comment=comment)
    assert len(notified) == 2  # both see it in the app ...
    assert [m.to for m in mail.outbox] == [["editor-user@example.com"]]  # ... one by e-mail


def test_addresses_that_cannot_be_invited_are_named_with_the_reason(world: Any) -> None:
    """A typo is "not an e-mail address"; an address with Chinese letters before the @
    is well-formed but most mail servers cannot deliver to it, and is told apart.
    Nobody of the list is invited until every address is right, and an address with a
    non-Latin domain (an internationalized domain) is invited."""
    from scorecard.accounts.models import Invitation

    response = _invite(world, "王小明@example.com, ann@example, bo@example.com")
    assert response.status_code == 422
    page = html.unescape(response.content.decode())
    assert (
        "Letters other than Latin ones before the @, which most mail servers cannot deliver "
        "to: 王小明@example.com." in page
    )
    assert "Not an e-mail address: ann@example." in page
    # Each reason on its own line.
    assert "make an account for the person.<br>Not an e-mail address" in page
    assert not Invitation.objects.exists() and not mail.outbox
    assert _invite(world, "lin@例子.公司").status_code == 200
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1
