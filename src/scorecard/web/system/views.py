"""Pages for the site's administrators (staff accounts), not for an organization."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from scorecard.jobs.selectors import task_overview


@login_required
def background_tasks(request: HttpRequest) -> HttpResponse:
    """Background work: failed tries (each retried with back-off until it gives up),
    tries whose worker seems to have died, and the schedule. Staff only; 404 for others."""
    if not request.user.is_staff:
        raise Http404("No such page.")
    overview = task_overview(
        stalled_after=dt.timedelta(seconds=settings.SCORECARD_TASK_LEASE_SECONDS)
    )
    return render(
        request,
        "web/system/tasks.html",
        {"overview": overview, "backend": settings.SCORECARD_TASKS_BACKEND},
    )
