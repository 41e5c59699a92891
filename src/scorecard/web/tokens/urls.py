"""The API's pages for people: personal tokens and the offline assets of the API docs.

Included under ``/api/`` by the top-level URL configuration, beside the REST API itself.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("docs-assets/<str:name>", views.docs_asset, name="api_docs_asset"),
    path("tokens/<slug:org_slug>/", views.token_list, name="api_tokens"),
    path("tokens/<slug:org_slug>/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
