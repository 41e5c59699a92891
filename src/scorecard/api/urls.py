"""API URLs: the versioned REST API (its token and docs pages live in web/tokens/)."""

from django.urls import URLPattern, URLResolver, path

from .v1 import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", api.urls),
]
