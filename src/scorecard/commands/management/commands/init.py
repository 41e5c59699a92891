"""``scorecard init``: set up a fresh install without a browser (or print the set-up link)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scorecard.accounts.services import (
    first_admin_create,
    set_password_url,
    setup_needed,
    setup_token_issue,
)
from scorecard.onboarding.services import STARTER_KEYS, organization_setup, setup_languages


def _default_language() -> str:
    """LANGUAGE_CODE's language when it is shipped ("de-ch" → "de"), else English."""
    code = settings.LANGUAGE_CODE.split("-")[0]
    return code if code in setup_languages() else "en"


class Command(BaseCommand):
    help = (
        "Set up Scorecard: migrate the database, then either create an organization with its "
        "top unit, first scorecard and admin (--org, --admin), or print a one-time set-up link "
        "that opens the set-up wizard in the browser."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", default="", help="The organization's name.")
        parser.add_argument("--unit", default="", help="Its top unit (default: the same name).")
        parser.add_argument("--scorecard", default="", help="Name of the first scorecard.")
        parser.add_argument(
            "--starter", default="empty", choices=STARTER_KEYS,
            help="What the first scorecard starts from (default: empty, the four perspectives).",
        )  # fmt: skip
        parser.add_argument(
            "--language", default="", choices=setup_languages(),
            help="The language of the first scorecard's perspectives, objectives and KPIs "
            "(default: LANGUAGE_CODE's if shipped, else en).",
        )  # fmt: skip
        parser.add_argument("--admin", default="", help="User name of the organization's admin.")
        parser.add_argument("--email", default="", help="The admin's e-mail address.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        if not options["org"]:
            if not setup_needed():
                raise CommandError(
                    "An organization exists already; sign in and add more from the app, or "
                    "use --org NAME --admin USER to create another one here."
                )
            url = setup_token_issue()
            self.stdout.write(
                "Open this one-time set-up link in a browser to create the first account and "
                f"organization (it works for 24 hours):\n\n  {url}\n"
            )
            return
        if not options["admin"]:
            raise CommandError("Say who runs the organization: --admin USER (and --email).")
        users = get_user_model().objects
        admin = users.filter(username=options["admin"]).first()
        new_account = admin is None
        try:
            if admin is None:
                admin = first_admin_create(
                    username=options["admin"], email=options["email"], password=None
                )
            result = organization_setup(
                name=options["org"], unit_name=options["unit"],
                scorecard_name=options["scorecard"], starter=options["starter"], admin=admin,
                language=options["language"] or _default_language(),
            )  # fmt: skip
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        org = result.organization
        self.stdout.write(self.style.SUCCESS(
            f"Created “{org.name}” (short name {org.slug}) with the unit “{result.unit.name}” "
            f"and the scorecard “{result.scorecard.name}”; {admin.get_username()} is its admin."
        ))  # fmt: skip
        if new_account or not admin.has_usable_password():
            self.stdout.write(
                f"\n{admin.get_username()} sets a password here (the link works once):\n\n"
                f"  {set_password_url(admin)}\n"
            )
