"""API URLs: the versioned REST API, its offline docs assets and the token pages."""

from django.urls import URLPattern, URLResolver, path

from . import views
from .v1 import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", api.urls),
    path("docs-assets/<str:name>", views.docs_asset, name="api_docs_asset"),
    path("tokens/<slug:org_slug>/", views.token_list, name="api_tokens"),
    path("tokens/<slug:org_slug>/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
