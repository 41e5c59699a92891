"""Planning URLs (included by web/urls.py): funnels, target actions, what-if, evidence."""

from django.urls import path

from . import views

SC = "o/<slug:org_slug>/s/<slug:sc_slug>/"

urlpatterns = [
    path(SC + "planning/", views.planning_home, name="planning_home"),
    path(SC + "planning/risk/", views.forecast_rule, name="forecast_rule"),
    path(SC + "planning/funnels/new/", views.funnel_new, name="funnel_new"),
    path(SC + "planning/funnels/<int:pk>/", views.funnel_detail, name="funnel_detail"),
    path(SC + "planning/funnels/<int:pk>/edit/", views.funnel_edit, name="funnel_edit"),
    path(SC + "planning/funnels/<int:pk>/delete/", views.funnel_delete, name="funnel_delete"),
    path(SC + "planning/funnels/<int:pk>/lever/", views.funnel_lever, name="funnel_lever"),
    path(SC + "what-if/", views.whatif, name="whatif"),
    path(SC + "evidence/", views.evidence, name="link_evidence"),
    path(SC + "kpi/<slug:code>/targets/accept/", views.kpi_target_accept, name="kpi_target_accept"),
    path(SC + "kpi/<slug:code>/benchmarks/", views.benchmark_add, name="benchmark_add"),
    path(
        SC + "kpi/<slug:code>/benchmarks/<int:pk>/delete/",
        views.benchmark_delete,
        name="benchmark_delete",
    ),
]
