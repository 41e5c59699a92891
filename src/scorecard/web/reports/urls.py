"""Report URLs (included from web/urls.py)."""

from django.urls import path

from . import views

SC = "o/<slug:org_slug>/s/<slug:sc_slug>/"

urlpatterns = [
    path(SC + "files/", views.scorecard_files, name="scorecard_files"),
    path(SC + "report.pdf", views.scorecard_report_pdf, name="scorecard_report_pdf"),
    path(SC + "report.xlsx", views.scorecard_report_xlsx, name="scorecard_report_xlsx"),
]
