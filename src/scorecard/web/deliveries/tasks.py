"""Scheduled deliveries sent by a worker: the sweep records the runs that are due, and
each run renders its PDF once and e-mails it (attached, or as a link) to every recipient
whose role still allows reading the organization's scorecards.

A run is keyed by its delivery and the schedule's day (unique), leased by one worker,
and each recipient's send is recorded once; so a sweep or a run enqueued twice, or a
worker killed half-way and taken over, sends each occurrence once to each person.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from scorecard import clock
from scorecard.accounts.models import AccountSettings
from scorecard.dates import day_month_year
from scorecard.deliveries import services
from scorecard.deliveries.models import Delivery, DeliveryRun, DeliverySend
from scorecard.engine.text import gettext_noop
from scorecard.jobs import services as jobs
from scorecard.organizations.access import membership_for
from scorecard.presentation.reports.book import book_pdf
from scorecard.presentation.reports.pdf import filename, report_pdf
from scorecard.reports.data import report_data

from .books import book_extra_sections, book_hidden, book_reports

logger = logging.getLogger(__name__)


def _link(delivery: Delivery, cards: list[Any], as_of: str) -> str:
    """The address of the same PDF on the site (the reader signs in; access is checked)."""
    org = delivery.organization
    query = {"as_of": as_of, "view": delivery.view}
    if delivery.book is not None:
        path = reverse("book_pdf", args=[org.slug, delivery.book.pk])
        query = {"as_of": as_of, "view": delivery.book.view}
    elif len(cards) == 1:
        path = reverse("scorecard_report_pdf", args=[org.slug, cards[0].slug])
    else:
        path = reverse("briefing_book", args=[org.slug])
        query = {"scorecards": ",".join(c.slug for c in cards), **query}
    return str(settings.SCORECARD_BASE_URL).rstrip("/") + path + "?" + urlencode(query)


def _render(delivery: Delivery, cards: list[Any], run: DeliveryRun) -> tuple[bytes, str]:
    """The PDF (the saved book, one scorecard's report, or the book of several) and its
    file name."""
    if delivery.book is not None:
        book = delivery.book
        reports = book_reports(book, as_of=run.as_of, view=book.view, known="", known_at=None)
        return (
            book_pdf(reports, title=f"{book.name} — {book.organization.name}",
                     hide=book_hidden(book), sections=book_extra_sections(book, reports)),
            f"{delivery.organization.slug}-{run.as_of.isoformat()}-book.pdf",
        )  # fmt: skip
    now = clock.now()
    reports = [
        report_data(
            scorecard=card, as_of=run.as_of, view=delivery.view, generated_at=now, known="now"
        )
        for card in cards
    ]
    if len(reports) == 1:
        return report_pdf(reports[0]), filename(reports[0], "pdf")
    title = f"{delivery.name} — {delivery.organization.name}"
    return (
        book_pdf(reports, title=title),
        f"{delivery.organization.slug}-{run.as_of.isoformat()}-book.pdf",
    )


def _language(person: Any) -> str:
    """The language a person reads e-mails in."""
    chosen = AccountSettings.objects.filter(user=person).values_list("language", flat=True)
    return next(iter(chosen), "") or settings.LANGUAGE_CODE


def _body(delivery: Delivery, cards: list[Any], run: DeliveryRun, link: str | None) -> str:
    names = (
        _("the book “%(name)s”") % {"name": delivery.book.name}
        if delivery.book is not None
        else ", ".join(c.name for c in cards)
    )
    words = {
        "delivery": delivery.name,
        "names": names,
        "organization": delivery.organization.name,
        "day": day_month_year(run.as_of),
    }
    lines = [
        _("%(delivery)s: %(names)s of %(organization)s, as of %(day)s.") % words,
        "",
        _("Open it here (sign in first): %(link)s") % {"link": link}
        if link
        else _("The report is attached as a PDF."),
        "",
        _("Sent %(schedule)s.") % {"schedule": delivery.schedule_text.lower()}
        if not run.test
        else _("This is a test, sent to you only (“Send now”)."),
        _(
            "You get it because you are on the delivery's list; an editor of the organization "
            "can take you off."
        ),
    ]
    return "\n".join(lines)


def deliver_run(run_id: int) -> str:
    """Send one run if it still needs it; returns what happened."""
    claimed = services.run_claim(run_id)
    if claimed is None:
        return "skipped: done, failed or held by another worker"
    run, lease = claimed
    if run.attempts > services.MAX_TRIES:
        services.run_fail(
            run.pk,
            error=gettext_noop(
                "The delivery could not be sent (tried %(count)s times).", count=services.MAX_TRIES
            ),
        )
        return "failed: too many tries"
    delivery = run.delivery
    cards = sorted(delivery.scorecards.all(), key=lambda c: c.name)
    if delivery.book is None and not cards:
        services.run_fail(run.pk, error=gettext_noop("Nothing to send: its book was deleted."))
        return "failed: nothing to send"
    people = [run.requested_by] if run.test else list(delivery.recipients.all())
    done = set(
        DeliverySend.objects.filter(run=run, state=DeliverySend.State.SENT).values_list(
            "user_id", flat=True
        )
    )
    attachment: tuple[bytes, str] | None = None
    for person in people:
        if person is None or person.pk in done:
            continue
        membership = membership_for(user=person, organization=delivery.organization)
        if not person.is_active or not services.role_allows(membership):
            services.send_record(
                run=run, user=person, email=person.email, state=DeliverySend.State.SKIPPED,
                detail=gettext_noop(
                    "Not sent: no longer a member who may read this organization's scorecards."
                ),
            )  # fmt: skip
            continue
        if not person.email:
            services.send_record(
                run=run, user=person, email="", state=DeliverySend.State.SKIPPED,
                detail=gettext_noop("Not sent: the member has no e-mail address."),
            )  # fmt: skip
            continue
        link = None
        if delivery.form == Delivery.Form.LINK:
            link = _link(delivery, cards, run.as_of.isoformat())
        elif attachment is None:
            attachment = _render(delivery, cards, run)
        # In the recipient's language (their choice in My account, else the site's).
        with translation.override(_language(person)):
            subject = _("%(name)s — %(day)s") % {
                "name": delivery.name,
                "day": day_month_year(run.as_of),
            }
            if run.test:
                subject = _("[Test] %(subject)s") % {"subject": subject}
            body = _body(delivery, cards, run, link)
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
        )
        if attachment is not None and link is None:
            message.attach(attachment[1], attachment[0], "application/pdf")
        try:
            message.send()
        except Exception as exc:  # the mail server refused: say so in the log
            services.send_record(
                run=run, user=person, email=person.email, state=DeliverySend.State.FAILED,
                # The mail server's words stay as they came; the sentence is ours.
                detail=gettext_noop("The mail server refused it: %(error)s", error=str(exc)[:250]),
            )  # fmt: skip
            continue
        services.send_record(
            run=run, user=person, email=person.email, state=DeliverySend.State.SENT
        )
    if not services.run_finish(run, lease=lease):
        return "skipped: another worker took the run over"
    return "done"


@task()
def deliver_run_task(run_id: int, attempt: int = 1) -> str:
    """Task: send a run; a failure (e.g. rendering) is tried again with a growing delay."""
    try:
        return deliver_run(run_id)
    except Exception as exc:
        if jobs.retry_delay(attempt) is None:
            services.run_fail(
                run_id,
                error=gettext_noop(
                    "The delivery could not be sent: %(error)s", error=str(exc)[:250]
                ),
            )
        else:
            services.run_release(run_id)
        jobs.retry_or_raise(deliver_run_task, exc, attempt=attempt, run_id=run_id)
        raise


@task()
def deliveries_sweep() -> int:
    """Scheduled task: record the runs that are due and enqueue them, and enqueue again
    the runs whose worker died."""
    due = services.runs_due()
    stalled = [pk for pk in services.runs_stalled() if pk not in due]
    for run_id in [*due, *stalled]:
        deliver_run_task.enqueue(run_id)
    return len(due) + len(stalled)
