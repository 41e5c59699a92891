"""Register webhooks, queue their deliveries and deliver them (signed, with retries)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext
from django_tasks import task

from scorecard import clock
from scorecard.engine.text import gettext_noop, kept_columns
from scorecard.jobs.services import enqueue_after_commit, lease_claim
from scorecard.organizations.models import Organization

from .egress import REFUSED, AddressRefused, guarded_opener, registration_refused
from .models import Delivery, Event, Webhook

#: Waits after the 1st, 2nd ... failed attempt; after the last one the delivery fails.
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
TIMEOUT_SECONDS = 5
MAX_WEBHOOKS_PER_ORGANIZATION = 20
SIGNATURE_HEADER = "X-Scorecard-Signature"


def webhook_create(
    *,
    organization: Organization,
    url: str,
    events: Iterable[str],
    description: str = "",
    user: Any = None,
) -> Webhook:
    """Register ``url`` for ``events``; the shared secret is generated here."""
    url = url.strip()
    chosen = sorted(set(events))
    errors: dict[str, str] = {}
    parts = urlsplit(url)
    if not url:
        errors["url"] = gettext("Enter the address to call.")
    elif parts.scheme not in {"http", "https"} or not parts.hostname:
        errors["url"] = gettext("The address must start with http:// or https:// and name a host.")
    elif len(url) > 500:
        errors["url"] = gettext("The address can be at most 500 characters long.")
    elif parts.username or parts.password:
        errors["url"] = gettext(
            "Put no user name or password in the address; the calls are signed."
        )
    elif _refused(parts):
        errors["url"] = (
            gettext(REFUSED)
            + " "
            + gettext(
                "Webhooks call addresses on the internet only, not loopback, private, "
                "link-local or other internal ones; an administrator of the server can allow "
                "receivers inside your network (SCORECARD_WEBHOOK_ALLOW_HOSTS)."
            )
        )
    unknown = [name for name in chosen if name not in Event.values]
    if not chosen:
        errors["events"] = gettext("Choose at least one event.")
    elif unknown:
        errors["events"] = gettext("Unknown event: %(names)s.") % {"names": ", ".join(unknown)}
    if len(description.strip()) > 200:
        errors["description"] = gettext("The description can be at most 200 characters long.")
    if Webhook.objects.filter(organization=organization).count() >= MAX_WEBHOOKS_PER_ORGANIZATION:
        errors["url"] = gettext("An organization can have at most %(count)s webhooks.") % {
            "count": MAX_WEBHOOKS_PER_ORGANIZATION
        }
    if errors:
        raise ValidationError(errors)
    return Webhook.objects.create(
        organization=organization,
        url=url,
        events=chosen,
        description=description.strip(),
        secret=secrets.token_urlsafe(32),
        created_by=user if getattr(user, "is_authenticated", False) else None,
        created_at=clock.now(),
    )


def _refused(parts: SplitResult) -> bool:
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return True  # a port out of range
    return registration_refused(parts.hostname or "", port)


def webhook_set_active(*, webhook: Webhook, active: bool) -> Webhook:
    """Pause or resume a webhook (paused ones get no new deliveries)."""
    webhook.active = active
    webhook.save(update_fields=["active"])
    return webhook


def webhook_delete(*, webhook: Webhook) -> None:
    """Remove a webhook and its delivery log."""
    webhook.delete()


def delivery_retry(*, delivery: Delivery) -> Delivery:
    """Queue a failed delivery again, now, with a fresh count of attempts."""
    delivery.state = Delivery.State.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = clock.now()
    delivery.save(update_fields=["state", "attempts", "next_attempt_at"])
    return delivery


def subscribers(organization_id: int, event: str) -> list[Webhook]:
    """Active webhooks of the organization that want ``event`` (one query)."""
    return [
        hook
        for hook in Webhook.objects.filter(organization_id=organization_id, active=True)
        if event in hook.events
    ]


def deliveries_queue(*, hooks: list[Webhook], event: str, payloads: list[dict[str, Any]]) -> int:
    """Queue one delivery per webhook and payload (bulk insert); returns how many."""
    now = clock.now()
    rows = [
        Delivery(
            webhook=hook,
            event=event,
            payload=json.loads(json.dumps(payload, cls=DjangoJSONEncoder)),
            created_at=now,
            next_attempt_at=now,
        )
        for hook in hooks
        for payload in payloads
    ]
    Delivery.objects.bulk_create(rows, batch_size=500)
    ids = [row.pk for row in rows if row.pk is not None]
    if ids and settings.WEBHOOKS_DELIVER_AT_ONCE:
        # First attempt by a worker right after the commit; retries are enqueued with
        # their delay, and the worker's sweep (or `scorecard deliver_webhooks`) catches
        # anything a dead worker left behind.
        enqueue_after_commit(deliver_webhooks_task, ids)
    return len(rows)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: ``t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">``.

    Signing the time too lets a receiver refuse replays of old calls.
    """
    message = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect answers a call with a 3xx status; we never follow it elsewhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# Connects only to checked addresses (egress.py), never follows a redirect.
_opener = guarded_opener(_NoRedirect)


@dataclass(frozen=True)
class Attempt:
    """The outcome of one HTTP call."""

    ok: bool
    status: int | None
    error: str


def _post(delivery: Delivery, now: dt.datetime) -> Attempt:
    body = json.dumps(
        {
            "id": delivery.pk,
            "event": delivery.event,
            "created_at": delivery.created_at.isoformat(),
            "data": delivery.payload,
        },
        separators=(",", ":"),
    ).encode()
    request = urllib.request.Request(
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Scorecard-Webhooks/1",
            "X-Scorecard-Event": delivery.event,
            "X-Scorecard-Delivery": str(delivery.pk),
            SIGNATURE_HEADER: signature(delivery.webhook.secret, int(now.timestamp()), body),
        },
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        return Attempt(
            False,
            exc.code,
            gettext_noop(
                "The receiver answered %(code)s %(reason)s.",
                code=str(exc.code),
                reason=str(exc.reason)[:200],
            ),
        )
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, AddressRefused) or isinstance(exc, AddressRefused):
            return Attempt(False, None, REFUSED)  # no detail: not a probe of our network
        return Attempt(
            False,
            None,
            gettext_noop("Could not reach the receiver: %(reason)s.", reason=str(reason)[:250]),
        )
    if 200 <= status < 300:
        return Attempt(True, status, "")
    return Attempt(False, status, gettext_noop("The receiver answered %(code)s.", code=str(status)))


def deliver(
    delivery: Delivery, *, now: dt.datetime | None = None, lease: dt.datetime | None = None
) -> Delivery:
    """Try one delivery once and record the outcome (and when to try again).

    With ``lease`` (the worker's hold on the row) the outcome is written only while
    the lease is still ours, so a delivery is never completed twice.
    """
    now = now or clock.now()
    outcome = _post(delivery, now)
    delivery.attempts += 1
    delivery.last_status_code = outcome.status
    # English for the admin and logs; the sentence for each reader's language.
    for column, value in kept_columns("last_error", outcome.error, 300).items():
        setattr(delivery, column, value)
    if outcome.ok:
        delivery.state = Delivery.State.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.state = Delivery.State.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
    delivery.lease_until = None
    fields = [
        "attempts",
        "last_status_code",
        "last_error",
        "last_error_template",
        "last_error_values",
        "state",
        "delivered_at",
        "next_attempt_at",
        "lease_until",
    ]
    if lease is None:
        delivery.save(update_fields=fields)
    else:
        Delivery.objects.filter(pk=delivery.pk, lease_until=lease).update(
            **{name: getattr(delivery, name) for name in fields}
        )
    return delivery


def _due(now: dt.datetime) -> Any:
    return (
        Delivery.objects.select_related("webhook")
        .filter(state=Delivery.State.PENDING, next_attempt_at__lte=now, webhook__active=True)
        .order_by("next_attempt_at", "id")
    )


def deliver_due(
    *, now: dt.datetime | None = None, limit: int = 500, only_ids: list[int] | None = None
) -> dict[str, int]:
    """Deliver every pending delivery whose time has come; returns counts by outcome.

    Each delivery is leased first (one conditional UPDATE), so two workers never post
    the same delivery at once; one that another worker holds is left to it.
    """
    now = now or clock.now()
    due = _due(now)
    if only_ids is not None:
        due = due.filter(pk__in=only_ids)
    counts = {"delivered": 0, "retrying": 0, "failed": 0}
    for delivery in due[:limit]:
        lease = lease_claim(Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.PENDING))
        if lease is None:
            continue
        result = deliver(delivery, now=now, lease=lease)
        if result.state == Delivery.State.DELIVERED:
            counts["delivered"] += 1
        elif result.state == Delivery.State.FAILED:
            counts["failed"] += 1
        else:
            counts["retrying"] += 1
            if settings.WEBHOOKS_DELIVER_AT_ONCE and result.next_attempt_at is not None:
                # The retry as a task of its own, run after its back-off delay.
                enqueue_after_commit(
                    deliver_webhooks_task,
                    [result.pk],
                    run_after=clock.wall_now() + (result.next_attempt_at - now),
                )
    return counts


@task()
def deliver_webhooks_task(ids: list[int]) -> dict[str, int]:
    """Task: deliver these deliveries now (the first attempt, or a retry that is due)."""
    return deliver_due(only_ids=ids)


@task()
def deliver_webhooks_sweep() -> dict[str, int]:
    """Scheduled task: deliver whatever is due and not held by a worker — retries whose
    task was lost, and deliveries a killed worker left half-done."""
    return deliver_due()
