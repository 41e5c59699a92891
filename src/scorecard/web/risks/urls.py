"""Risk register URLs (included by web/urls.py)."""

from django.urls import path

from . import views

SC = "o/<slug:org_slug>/s/<slug:sc_slug>/"

urlpatterns = [
    path(SC + "risks/", views.risk_list, name="risk_list"),
    path(SC + "risks/new/", views.risk_new, name="risk_new"),
    path(SC + "risks/<int:pk>/edit/", views.risk_edit, name="risk_edit"),
    path(SC + "risks/<int:pk>/delete/", views.risk_delete, name="risk_delete"),
]
