"""URLs of pulses (the "magic question"), included by web/urls.py."""

from django.urls import path

from . import views

ORG = "o/<slug:org_slug>/"

urlpatterns = [
    path(ORG + "pulses/", views.pulse_list, name="pulse_list"),
    path(ORG + "pulses/new/", views.pulse_new, name="pulse_new"),
    path(ORG + "pulses/<int:pk>/", views.pulse_results, name="pulse_results"),
    path(ORG + "pulses/<int:pk>/answer/", views.pulse_answer, name="pulse_answer"),
    path(ORG + "pulses/<int:pk>/record/", views.pulse_record, name="pulse_record"),
]
