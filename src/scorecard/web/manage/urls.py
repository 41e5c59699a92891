"""URLs of structure editing and action plans (included by web/urls.py).

Every address sits under /o/<org>/…; each view checks the role itself.
"""

from django.urls import path

from . import initiatives, kpis, organization, structure

ORG = "o/<slug:org_slug>/"
SC = ORG + "s/<slug:sc_slug>/"

urlpatterns = [
    # Organization, units and members (admins change them; members read)
    path(ORG, organization.organization_detail, name="organization_detail"),
    path(ORG + "units/new/", organization.unit_new, name="unit_new"),
    path(ORG + "u/<slug:unit_slug>/", organization.unit_detail, name="unit_detail"),
    path(ORG + "u/<slug:unit_slug>/edit/", organization.unit_edit, name="unit_edit"),
    path(ORG + "u/<slug:unit_slug>/delete/", organization.unit_delete_view, name="unit_delete"),
    path(ORG + "members/", organization.members, name="members"),
    path(ORG + "members/add/", organization.member_add, name="member_add"),
    path(ORG + "members/<int:pk>/role/", organization.member_role, name="member_role"),
    path(ORG + "members/<int:pk>/remove/", organization.member_remove, name="member_remove"),
    # Scorecards, perspectives, objectives and links (editors change them)
    path(ORG + "scorecards/new/", structure.scorecard_new, name="scorecard_new"),
    path(SC + "edit/", structure.scorecard_edit, name="scorecard_edit"),
    path(SC + "delete/", structure.scorecard_delete_view, name="scorecard_delete"),
    path(SC + "perspectives/", structure.perspective_list, name="perspective_list"),
    path(SC + "perspectives/new/", structure.perspective_new, name="perspective_new"),
    path(SC + "perspectives/<int:pk>/edit/", structure.perspective_edit, name="perspective_edit"),
    path(
        SC + "perspectives/<int:pk>/move/",
        structure.perspective_move_view,
        name="perspective_move",
    ),
    path(
        SC + "perspectives/<int:pk>/delete/",
        structure.perspective_delete_view,
        name="perspective_delete",
    ),
    path(SC + "objectives/new/", structure.objective_new, name="objective_new"),
    path(SC + "objective/<slug:code>/", structure.objective_detail, name="objective_detail"),
    path(SC + "objective/<slug:code>/edit/", structure.objective_edit, name="objective_edit"),
    path(
        SC + "objective/<slug:code>/delete/",
        structure.objective_delete_view,
        name="objective_delete",
    ),
    path(SC + "objective/<slug:code>/move/", structure.objective_move_view, name="objective_move"),
    path(SC + "objective/<slug:code>/links/", structure.link_add, name="link_add"),
    path(SC + "links/<int:pk>/delete/", structure.link_remove, name="link_remove"),
    # KPI definitions (editors)
    path(SC + "objective/<slug:code>/kpis/new/", kpis.kpi_new, name="kpi_new"),
    path(SC + "kpi/<slug:code>/edit/", kpis.kpi_edit, name="kpi_edit"),
    path(SC + "kpi/<slug:code>/delete/", kpis.kpi_delete_view, name="kpi_delete"),
    # Action plans (everybody reads; editors plan; assignees move their tasks)
    path(SC + "initiatives/", initiatives.initiative_list, name="initiative_list"),
    path(SC + "initiatives/board/", initiatives.initiative_board, name="initiative_board"),
    path(SC + "initiatives/new/", initiatives.initiative_new, name="initiative_new"),
    path(SC + "initiatives/<int:pk>/", initiatives.initiative_detail, name="initiative_detail"),
    path(SC + "initiatives/<int:pk>/edit/", initiatives.initiative_edit, name="initiative_edit"),
    path(
        SC + "initiatives/<int:pk>/delete/",
        initiatives.initiative_delete_view,
        name="initiative_delete",
    ),
    path(SC + "initiatives/<int:pk>/tasks/", initiatives.task_add, name="task_add"),
    path(SC + "tasks/<int:pk>/edit/", initiatives.task_edit, name="task_edit"),
    path(SC + "tasks/<int:pk>/delete/", initiatives.task_remove, name="task_remove"),
    path(SC + "tasks/<int:pk>/state/", initiatives.task_state, name="task_state"),
]
