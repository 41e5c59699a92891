"""Dashboards people build (docs/dashboards.md)."""

from django.urls import path

from . import briefing, views

D = "o/<slug:org_slug>/dashboards/"

urlpatterns = [
    path("o/<slug:org_slug>/briefing.pptx", briefing.briefing_deck, name="briefing_deck"),
    path("o/<slug:org_slug>/briefing.pdf", briefing.briefing_book, name="briefing_book"),
    path(D, views.dashboard_list, name="dashboard_list"),
    path(D + "<int:pk>/", views.dashboard_detail, name="dashboard_detail"),
    path(D + "<int:pk>/settings/", views.dashboard_settings, name="dashboard_settings"),
    path(D + "<int:pk>/home/", views.dashboard_home, name="dashboard_home"),
    path(D + "<int:pk>/delete/", views.dashboard_delete, name="dashboard_delete"),
    path(D + "<int:pk>/order/", views.dashboard_order, name="dashboard_order"),
    path(D + "<int:pk>/widgets/", views.widget_add, name="widget_add"),
    path(D + "<int:pk>/widgets/<int:widget_pk>/", views.widget_fragment, name="widget_fragment"),
    path(D + "<int:pk>/widgets/<int:widget_pk>/remove/", views.widget_remove, name="widget_remove"),
    path(D + "<int:pk>/widgets/<int:widget_pk>/move/", views.widget_move, name="widget_move"),
]
