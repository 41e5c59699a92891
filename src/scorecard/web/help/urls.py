"""The glossary (included from web/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [path("help/", views.help_page, name="help")]
