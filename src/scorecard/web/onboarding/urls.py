"""URLs of the set-up wizard (included by web/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("setup/", views.setup, name="setup"),
    path("setup/<str:token>/", views.setup_start, name="setup_start"),
]
