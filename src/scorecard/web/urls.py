"""Page URLs."""

from django.urls import include, path

from . import views
from .entry import views as entry_views
from .onboarding.views import SignInView
from .sso import views as sign_in

SC = "o/<slug:org_slug>/s/<slug:sc_slug>/"

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", sign_in.LogoutView.as_view(), name="logout"),
    path("", include("scorecard.web.sso.urls")),  # single sign-on (OpenID Connect)
    path("", views.home, name="home"),
    path("", include("scorecard.web.onboarding.urls")),  # first-run set-up wizard
    path("", include("scorecard.web.accounts.urls")),  # invitations, reset, my account
    # Reading and data entry
    path(SC, views.scorecard_detail, name="scorecard_detail"),
    path("", include("scorecard.web.maps.urls")),  # the strategy map, arranging, files
    path(SC + "entry/", views.data_entry, name="data_entry"),
    path(SC + "entry/periods/", entry_views.data_entry_periods, name="data_entry_periods"),
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
    path("", include("scorecard.web.risks.urls")),  # the risk register and heat map
    path("", include("scorecard.web.analysis.urls")),  # SWOT and PESTEL boards
    path("", include("scorecard.web.imports.urls")),  # CSV/XLSX export and import of values
    path("", include("scorecard.web.proposals.urls")),  # proposals from any member
    path("", include("scorecard.web.pulses.urls")),  # the magic question
    path("", include("scorecard.web.adoption.urls")),  # who uses the scorecard
    path("", include("scorecard.web.sharing.urls")),  # read-only links for outsiders
    path("", include("scorecard.web.commentary.urls")),  # commentary in words
    path("", include("scorecard.web.dashboards.urls")),  # dashboards people build
    path("", include("scorecard.web.help.urls")),  # the glossary
    path("", include("scorecard.web.search.urls")),  # the header's search box
    path("", include("scorecard.web.alerts.urls")),  # my alerts, their settings, watching
    path("", include("scorecard.web.datasources.urls")),  # values pulled from data sources
    path("", include("scorecard.web.deliveries.urls")),  # scheduled deliveries
]
