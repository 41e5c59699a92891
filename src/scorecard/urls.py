"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("scorecard.api.urls")),
    path("", include("scorecard.webhooks.urls")),
    path("", include("scorecard.web.urls")),
]
