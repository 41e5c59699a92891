"""Webhook pages, under the organization."""

from django.urls import path

from . import views

urlpatterns = [
    path("o/<slug:org_slug>/webhooks/", views.webhook_list, name="webhook_list"),
    path(
        "o/<slug:org_slug>/webhooks/<int:pk>/toggle/",
        views.webhook_toggle,
        name="webhook_toggle",
    ),
    path(
        "o/<slug:org_slug>/webhooks/<int:pk>/delete/",
        views.webhook_delete,
        name="webhook_delete",
    ),
    path(
        "o/<slug:org_slug>/webhooks/deliveries/<int:pk>/retry/",
        views.delivery_retry,
        name="webhook_delivery_retry",
    ),
]
