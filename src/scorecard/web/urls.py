"""Page URLs."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

SC = "o/<slug:org_slug>/s/<slug:sc_slug>/"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    # Reading and data entry
    path(SC, views.scorecard_detail, name="scorecard_detail"),
    path(SC + "map/", views.strategy_map, name="strategy_map"),
    path(SC + "entry/", views.data_entry, name="data_entry"),
    path(SC + "kpi/<slug:code>/", views.kpi_detail, name="kpi_detail"),
    path(SC + "kpi/<slug:code>/record/", views.kpi_record, name="kpi_record"),
    path(SC + "kpi/<slug:code>/comments/", views.kpi_comment, name="kpi_comment"),
    # Structure editing and action plans (organization, units, members, objectives,
    # KPI definitions, initiatives): see manage/urls.py.
    path("", include("scorecard.web.manage.urls")),
    path("", include("scorecard.web.alignment.urls")),  # cascading and alignment
    path("", include("scorecard.web.governance.urls")),
    path("", include("scorecard.web.health.urls")),  # health check, SMART, reminders
    path("", include("scorecard.web.reports.urls")),
    path("", include("scorecard.web.system.urls")),  # site admins: background tasks
    path("", include("scorecard.web.planning.urls")),  # funnels, targets, what-if, evidence
    path("", include("scorecard.web.imports.urls")),  # CSV/XLSX export and import of values
]
