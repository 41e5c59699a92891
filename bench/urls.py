"""The product's URLs plus one minimal view, mounted only by bench.settings."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def ping(request: HttpRequest) -> HttpResponse:
    """The cheapest answer Django can give: the ceiling for requests per second."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/ping", ping, name="bench_ping"),
    path("", include("scorecard.urls")),
]
