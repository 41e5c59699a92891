"""Page URLs."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import initiative_views as iv
from . import manage_views as mv
from . import views

SC = "o/<slug:org_slug>/s/<slug:sc_slug>/"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("o/<slug:org_slug>/", views.organization_detail, name="organization_detail"),
    path("o/<slug:org_slug>/units/new/", mv.unit_new, name="unit_new"),
    path("o/<slug:org_slug>/u/<slug:unit_slug>/", mv.unit_detail, name="unit_detail"),
    path("o/<slug:org_slug>/u/<slug:unit_slug>/edit/", mv.unit_edit, name="unit_edit"),
    path("o/<slug:org_slug>/members/", mv.members, name="members"),
    path("o/<slug:org_slug>/scorecards/new/", mv.scorecard_new, name="scorecard_new"),
    # Reading and data entry
    path(SC, views.scorecard_detail, name="scorecard_detail"),
    path(SC + "map/", views.strategy_map, name="strategy_map"),
    path(SC + "entry/", views.data_entry, name="data_entry"),
    path(SC + "kpi/<slug:code>/", views.kpi_detail, name="kpi_detail"),
    path(SC + "kpi/<slug:code>/record/", views.kpi_record, name="kpi_record"),
    path(SC + "kpi/<slug:code>/comments/", views.kpi_comment, name="kpi_comment"),
    path(SC + "objective/<slug:code>/", views.objective_detail, name="objective_detail"),
    # Structure
    path(SC + "edit/", mv.scorecard_edit, name="scorecard_edit"),
    path(SC + "perspectives/", mv.perspective_list, name="perspective_list"),
    path(SC + "perspectives/new/", mv.perspective_new, name="perspective_new"),
    path(SC + "perspectives/<int:pk>/edit/", mv.perspective_edit, name="perspective_edit"),
    path(SC + "perspectives/<int:pk>/move/", mv.perspective_move_view, name="perspective_move"),
    path(
        SC + "perspectives/<int:pk>/delete/", mv.perspective_delete_view, name="perspective_delete"
    ),
    path(SC + "objectives/new/", mv.objective_new, name="objective_new"),
    path(SC + "objective/<slug:code>/edit/", mv.objective_edit, name="objective_edit"),
    path(SC + "objective/<slug:code>/delete/", mv.objective_delete_view, name="objective_delete"),
    path(SC + "objective/<slug:code>/move/", mv.objective_move_view, name="objective_move"),
    path(SC + "objective/<slug:code>/links/", mv.link_add, name="link_add"),
    path(SC + "links/<int:pk>/delete/", mv.link_remove, name="link_remove"),
    path(SC + "objective/<slug:code>/kpis/new/", mv.kpi_new, name="kpi_new"),
    path(SC + "kpi/<slug:code>/edit/", mv.kpi_edit, name="kpi_edit"),
    path(SC + "kpi/<slug:code>/delete/", mv.kpi_delete_view, name="kpi_delete"),
    # Action plans
    path(SC + "initiatives/", mv.initiative_list, name="initiative_list"),
    path(SC + "initiatives/new/", iv.initiative_new, name="initiative_new"),
    path(SC + "initiatives/<int:pk>/", iv.initiative_detail, name="initiative_detail"),
    path(SC + "initiatives/<int:pk>/edit/", iv.initiative_edit, name="initiative_edit"),
    path(SC + "initiatives/<int:pk>/delete/", iv.initiative_delete_view, name="initiative_delete"),
    path(SC + "initiatives/<int:pk>/tasks/", iv.task_add, name="task_add"),
    path(SC + "tasks/<int:pk>/state/", iv.task_state, name="task_state"),
    path(SC + "tasks/<int:pk>/edit/", iv.task_edit, name="task_edit"),
    path(SC + "tasks/<int:pk>/delete/", iv.task_remove, name="task_remove"),
]
