"""URL of the adoption page (included by web/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("o/<slug:org_slug>/adoption/", views.adoption_page, name="adoption"),
]
