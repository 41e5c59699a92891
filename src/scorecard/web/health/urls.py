"""URLs of the health check pages and the reminder snooze page (included by web/urls.py)."""

from django.urls import path

from . import views as health

SC = "o/<slug:org_slug>/s/<slug:sc_slug>/"

urlpatterns = [
    path(SC + "health/", health.scorecard_health, name="scorecard_health"),
    path("reminders/", health.reminders, name="reminders"),
]
