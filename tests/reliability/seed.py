"""Migrate the live test database and create an organization to work on; print it as JSON.

Run by live.py in a subprocess (the test process has its own test database). Options
(a JSON object as the only argument): ``users`` (editors, each with a session and an
API token) and ``kpis`` (monthly KPIs in one scorecard).
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    options = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.reliability.live_settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from scorecard.api.services import api_token_create
    from scorecard.kpis.models import Kpi
    from scorecard.organizations.models import Membership, Organization, Unit
    from scorecard.strategy.models import Objective, Perspective, Scorecard

    call_command("migrate", verbosity=0, interactive=False)
    org = Organization.objects.create(name="Reliable Ltd", slug="reliable")
    unit = Unit.objects.create(organization=org, name="Reliable", slug="reliable")
    scorecard = Scorecard.objects.create(
        organization=org, unit=unit, name="Company", slug="company"
    )
    perspective = Perspective.objects.create(scorecard=scorecard, name="Financial")
    objective = Objective.objects.create(
        scorecard=scorecard, perspective=perspective, code="grow", name="Grow"
    )
    kpis = Kpi.objects.bulk_create(
        Kpi(
            scorecard=scorecard,
            objective=objective,
            code=f"k{n:02d}",
            name=f"KPI {n}",
            baseline=0.0,
            target=100.0,
            position=n,
        )
        for n in range(int(options.get("kpis", 20)))
    )
    users = []
    for n in range(int(options.get("users", 2))):
        user = get_user_model().objects.create(username=f"user{n:02d}")
        user.set_unusable_password()  # they sign in through a session made here
        user.save()
        Membership.objects.create(user=user, organization=org, role="editor")
        _, token = api_token_create(user=user, organization=org, name="reliability test")
        client = Client()
        client.force_login(user)
        users.append({"username": user.username, "session": client.cookies["sessionid"].value,
                      "token": token})  # fmt: skip
    print(
        json.dumps(
            {
                "organization": org.slug,
                "scorecard": scorecard.slug,
                "scorecard_id": scorecard.pk,
                "kpis": [{"id": k.pk, "code": k.code} for k in kpis],
                "users": users,
            }
        )
    )


if __name__ == "__main__":
    main()
