"""Strategy map URLs (included by web/urls.py): the page, arranging it, its files."""

from django.urls import path

from . import views

SC = "o/<slug:org_slug>/s/<slug:sc_slug>/"

urlpatterns = [
    path(SC + "map/", views.strategy_map, name="strategy_map"),
    path(SC + "map/positions/", views.map_positions_save, name="map_positions_save"),
    path(SC + "map/rearrange/", views.map_rearrange, name="map_rearrange"),
    path(SC + "map.svg", views.map_svg, name="map_svg"),
    path(SC + "map.png", views.map_png, name="map_png"),
]
