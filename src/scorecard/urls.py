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
