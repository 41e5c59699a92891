"""URLs of proposals (included by web/urls.py): propose, the queue, decide, one's own."""

from django.urls import path

from . import views

ORG = "o/<slug:org_slug>/"
SC = ORG + "s/<slug:sc_slug>/"

urlpatterns = [
    path(SC + "proposals/", views.proposal_list, name="proposal_list"),
    path(SC + "proposals/new/", views.proposal_new, name="proposal_new"),
    path(SC + "proposals/panel/", views.proposal_panel, name="proposal_panel"),
    path(SC + "proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path(ORG + "proposals/mine/", views.my_proposals, name="my_proposals"),
]
