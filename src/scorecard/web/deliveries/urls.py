"""Scheduled delivery pages, under the organization (docs/reports.md)."""

from django.urls import path

from . import views

D = "o/<slug:org_slug>/deliveries/"

urlpatterns = [
    path(D, views.delivery_list, name="delivery_list"),
    path(D + "new/", views.delivery_new, name="delivery_new"),
    path(D + "<int:pk>/", views.delivery_detail, name="delivery_detail"),
    path(D + "<int:pk>/edit/", views.delivery_edit, name="delivery_edit"),
    path(D + "<int:pk>/toggle/", views.delivery_toggle, name="delivery_toggle"),
    path(D + "<int:pk>/delete/", views.delivery_delete, name="delivery_delete"),
    path(D + "<int:pk>/send-now/", views.delivery_send_now, name="delivery_send_now"),
]
