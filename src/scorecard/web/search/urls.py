"""Search (included from web/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [path("search/", views.search_page, name="search")]
