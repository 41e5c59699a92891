"""Page URLs."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import manage_views, views

SC = "o/<slug:org_slug>/s/<slug:sc_slug>/"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("o/<slug:org_slug>/", views.organization_detail, name="organization_detail"),
    path(SC, views.scorecard_detail, name="scorecard_detail"),
    path(SC + "map/", views.strategy_map, name="strategy_map"),
    path(SC + "entry/", views.data_entry, name="data_entry"),
    path(SC + "kpi/<slug:code>/", views.kpi_detail, name="kpi_detail"),
    path(SC + "kpi/<slug:code>/record/", views.kpi_record, name="kpi_record"),
    path(SC + "objective/<slug:code>/", views.objective_detail, name="objective_detail"),
    path(SC + "objectives/new/", manage_views.objective_new, name="objective_new"),
    path(SC + "objective/<slug:code>/kpis/new/", manage_views.kpi_new, name="kpi_new"),
    path(SC + "initiatives/", manage_views.initiative_list, name="initiative_list"),
]
