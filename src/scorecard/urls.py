"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("scorecard.api.urls")),
    path("api/", include("scorecard.web.tokens.urls")),
    path("", include("scorecard.web.webhooks.urls")),
    path("", include("scorecard.web.urls")),
]

#: A database that is away is a 503 even when a middleware meets it (web/errors.py).
handler500 = "scorecard.web.errors.server_error"
