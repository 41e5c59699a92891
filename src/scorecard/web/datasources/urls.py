"""Data source pages, under the organization (admins only)."""

from django.urls import path

from . import views

ORG = "o/<slug:org_slug>/data-sources/"

urlpatterns = [
    path(ORG, views.source_list, name="datasource_list"),
    path(ORG + "new/", views.source_new, name="datasource_new"),
    path(ORG + "<int:pk>/", views.source_detail, name="datasource_detail"),
    path(ORG + "<int:pk>/preview/", views.source_preview, name="datasource_preview"),
    path(ORG + "<int:pk>/run/", views.source_run, name="datasource_run"),
    path(ORG + "<int:pk>/delete/", views.source_delete, name="datasource_delete"),
    path(ORG + "connections/<int:pk>/", views.connection_edit, name="datasource_connection"),
    path(
        ORG + "connections/<int:pk>/delete/",
        views.connection_delete,
        name="datasource_connection_delete",
    ),
]
