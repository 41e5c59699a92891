"""Commentary in words: the panel of a KPI, objective, perspective or the scorecard."""

from django.urls import path

from . import views

SC = "o/<slug:org_slug>/s/<slug:sc_slug>/"

urlpatterns = [
    path(
        SC + "commentary/<slug:subject>/<str:key>/",
        views.commentary_panel,
        name="commentary_panel",
    ),
]
