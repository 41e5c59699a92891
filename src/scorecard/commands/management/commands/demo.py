"""``scorecard demo``: set up the database with the demo company and (optionally) serve it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from scorecard import clock
from scorecard.interchange.demo_story import demo_load
from scorecard.organizations.models import Membership

#: Every demo user signs in with this password; it is printed, never used in production.
DEMO_PASSWORD = "demo"


class Command(BaseCommand):
    help = "Create the database, load the demo company (replacing an earlier copy) and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--serve", action="store_true", help="Start the web server afterwards.")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Address to serve on.")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Serve without the background worker (webhooks, reports, reminders).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
        self.stdout.write("Preparing the database ...")
        call_command("migrate", verbosity=0, interactive=False)
        # The demo's history ends with the latest complete period before today, whatever the day.
        summary = demo_load(clock.today())
        self.stdout.write(self.style.SUCCESS(f"Loaded the demo company: {summary}"))

        users = get_user_model().objects.filter(
            memberships__organization__slug=summary.organization_slug
        )
        # One hash computed once: the same demo password for every demo user.
        # Only accounts without a usable password (the ones the demo just created) get
        # the demo password: a real account that happens to share a demo user name keeps its own.
        fresh = [u.pk for u in users if not u.has_usable_password()]
        get_user_model().objects.filter(pk__in=fresh).update(password=make_password(DEMO_PASSWORD))
        memberships = Membership.objects.filter(
            organization__slug=summary.organization_slug
        ).select_related("user")
        self.stdout.write("\nSign in with any of these users, password “demo”:")
        for membership in sorted(memberships, key=lambda m: (-_rank(m.role), m.user.username)):
            self.stdout.write(f"  {membership.user.username:<16} {membership.get_role_display()}")
        if options["serve"]:
            address = serving_url(options["addr"])
            if "SCORECARD_BASE_URL" not in os.environ:
                # Links the app writes (invitations, set-password, set-up, e-mails) lead
                # to where it is served, not to the default port 8000; the worker
                # (reminders, deliveries) inherits it through the environment.
                settings.SCORECARD_BASE_URL = os.environ["SCORECARD_BASE_URL"] = address
            self.stdout.write(f"\nScorecard is at {address}/  (Ctrl+C stops it)\n")
            worker = None
            # A SIGTERM (a service manager, `timeout`) stops the worker with the server.
            signal.signal(signal.SIGTERM, _stop)
            if not options["no_worker"]:
                # The background worker beside the server: one command for a laptop.
                worker = subprocess.Popen([sys.executable, "-m", "scorecard.cli", "worker"])
            try:
                call_command("runserver", options["addr"], use_reloader=False)
            finally:
                if worker is not None:
                    worker.terminate()
                    worker.wait(timeout=30)


def serving_url(addr: str) -> str:
    """The address people open for runserver's ``addr`` (``8766``, ``0.0.0.0:8766``,
    ``[::1]:8766``): ``http://127.0.0.1:8766`` for the first two."""
    host, _, port = addr.rpartition(":")
    if not host or host in {"0.0.0.0", "0", "[::]"}:
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def _stop(signum: int, frame: Any) -> None:
    raise SystemExit(0)


def _rank(role: str) -> int:
    return ["viewer", "contributor", "editor", "admin"].index(role)
