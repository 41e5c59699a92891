"""Reads of scheduled deliveries: the organization's list and a delivery's log."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from scorecard.organizations.models import Organization

from .models import Book, Delivery, DeliveryRun, DeliverySend

#: Runs shown in a delivery's log.
LOG_RUNS = 50


def deliveries_of(organization: Organization) -> QuerySet[Delivery]:
    """The organization's deliveries with their scorecards and recipients (3 queries)."""
    return (
        Delivery.objects.filter(organization=organization)
        .select_related("book")
        .prefetch_related("scorecards", "recipients")
    )


def delivery_get(organization: Organization, pk: int) -> Delivery | None:
    return deliveries_of(organization).filter(pk=pk).first()


def delivery_log(delivery: Delivery) -> list[DeliveryRun]:
    """The delivery's latest runs, newest first, each with its sends."""
    return list(
        DeliveryRun.objects.filter(delivery=delivery)
        .select_related("requested_by")
        .prefetch_related(Prefetch("sends", queryset=DeliverySend.objects.order_by("email")))[
            :LOG_RUNS
        ]
    )


def books_of(organization: Organization) -> QuerySet[Book]:
    return Book.objects.filter(organization=organization).prefetch_related(
        "scorecards", "perspectives", "objectives"
    )


def book_get(organization: Organization, pk: int) -> Book | None:
    return books_of(organization).filter(pk=pk).first()
