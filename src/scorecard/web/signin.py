"""Sign-in lock-outs that are honest about who is locked out, and for how long.

django-axes counts failed sign-ins per user name *and* client address
(``AXES_LOCKOUT_PARAMETERS``). Behind a reverse proxy every request comes from the
proxy's address, so :func:`client_address` reads the client's address from
``X-Forwarded-For`` when ``SCORECARD_BEHIND_PROXY`` is on: the entry added by our own
proxy (counted from the right, ``SCORECARD_PROXY_COUNT`` proxies deep), never the
left-most one, which the client itself can write. Without a proxy the header is
ignored and the connection's address counts.

:func:`lockout_response` is the page a locked-out person sees: how many attempts
failed and how many minutes are left before they may try again.
"""

from __future__ import annotations

import ipaddress
import math
from datetime import timedelta
from typing import Any

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The address the sign-in came from (``AXES_CLIENT_IP_CALLABLE``)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not getattr(settings, "SCORECARD_BEHIND_PROXY", False):
        return remote
    depth = max(1, int(getattr(settings, "SCORECARD_PROXY_COUNT", 1)))
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(hops) >= depth:
        found = _address(hops[-depth])
        if found:
            return found
    return remote


def _time_left(request: HttpRequest, username: str, cool_off: timedelta) -> timedelta:
    last = (
        AccessAttempt.objects.filter(username=username, ip_address=client_address(request))
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    if last is None:
        return cool_off
    return max(timedelta(0), last + cool_off - timezone.now())


def _minutes(left: timedelta) -> str:
    minutes = max(1, math.ceil(left.total_seconds() / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The locked-out page (``AXES_LOCKOUT_CALLABLE``), with the time left, status 429."""
    username = get_client_username(request, credentials) or ""
    cool_off = get_cool_off(request)
    left = _time_left(request, username, cool_off) if cool_off else None
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": username,
        "time_left": _minutes(left) if left is not None else "",
        "lockout_minutes": _minutes(cool_off) if cool_off else "",
    }
    return render(request, "registration/locked_out.html", context, status=429)
