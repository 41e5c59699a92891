"""URLs of value export and import (included by web/urls.py)."""

from django.urls import path

from . import views

SC = "o/<slug:org_slug>/s/<slug:sc_slug>/"

urlpatterns = [
    path(SC + "values.<str:fmt>", views.values_export, name="values_export"),
    path(SC + "values/import/", views.values_import, name="values_import"),
    path(SC + "values/import/<int:pk>/", views.values_import_preview, name="values_import_preview"),
    path(
        SC + "values/import/<int:pk>/columns/",
        views.values_import_columns,
        name="values_import_columns",
    ),
    path(SC + "values/import/<int:pk>/run/", views.values_import_run, name="values_import_run"),
    path(
        SC + "values/import/<int:pk>/discard/",
        views.values_import_discard,
        name="values_import_discard",
    ),
]
