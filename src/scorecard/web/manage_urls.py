"""Create, edit, reorder and delete pages (filled in by the structure-editing work)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
