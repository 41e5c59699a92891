"""Prepare the seeded site of the several-servers test; run in a subprocess.

Gives both seeded users an e-mail address and one KPI each to update (so that each is
owed exactly one reminder), adds a webhook to the test's receiver, and makes the
reminder run due now. Argument: a JSON object ``{"hook": URL}``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys


def main() -> None:
    options = json.loads(sys.argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.scaleout.server_settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from scorecard import clock
    from scorecard.jobs.models import ScheduledRun
    from scorecard.kpis.models import Kpi
    from scorecard.organizations.models import Organization
    from scorecard.webhooks import services

    users = list(get_user_model().objects.order_by("username"))
    kpis = list(Kpi.objects.order_by("code"))
    for user, kpi in zip(users, kpis, strict=False):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
        kpi.updater = user
        kpi.save(update_fields=["updater"])
    organization = Organization.objects.get()
    services.webhook_create(
        organization=organization, url=options["hook"], events=["measurement.recorded"]
    )
    ScheduledRun.objects.update_or_create(
        name="reminders", defaults={"next_run_at": clock.wall_now() - dt.timedelta(minutes=1)}
    )
    print(json.dumps({"emails": [u.email for u in users]}))


if __name__ == "__main__":
    main()
