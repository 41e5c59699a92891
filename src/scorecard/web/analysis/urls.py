"""SWOT and PESTEL URLs (included by web/urls.py)."""

from django.urls import path

from . import views

SC = "o/<slug:org_slug>/s/<slug:sc_slug>/"

urlpatterns = [
    path(SC + "analysis/<slug:board>/", views.board, name="analysis_board"),
    path(SC + "analysis/<slug:board>/add/", views.item_add, name="analysis_item_add"),
    path(SC + "analysis/items/<int:pk>/delete/", views.item_delete, name="analysis_item_delete"),
    path(
        SC + "analysis/items/<int:pk>/objective/",
        views.item_objective,
        name="analysis_item_objective",
    ),
]
