"""URLs of the alerts pages (included by web/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/open/", views.alert_open, name="alert_open"),
    path("alerts/settings/", views.alert_settings, name="alert_settings"),
    path("o/<slug:org_slug>/watch/<str:kind>/<int:pk>/", views.watch, name="watch"),
]
