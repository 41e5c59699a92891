"""API URLs (the router modules are mounted in scorecard.api.v1)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
