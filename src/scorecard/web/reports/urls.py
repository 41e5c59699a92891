"""Report URLs (included from web/urls.py)."""

from django.urls import path

from . import jobs, views

SC = "o/<slug:org_slug>/s/<slug:sc_slug>/"

urlpatterns = [
    path(SC + "files/", views.scorecard_files, name="scorecard_files"),
    path(SC + "report.pdf", views.scorecard_report_pdf, name="scorecard_report_pdf"),
    path(SC + "report.xlsx", views.scorecard_report_xlsx, name="scorecard_report_xlsx"),
]

urlpatterns += [
    path(
        SC + "reports/pdf/start",
        jobs.report_job_start,
        {"fmt": "pdf"},
        name="scorecard_report_start_pdf",
    ),
    path(
        SC + "reports/xlsx/start",
        jobs.report_job_start,
        {"fmt": "xlsx"},
        name="scorecard_report_start_xlsx",
    ),
    path(SC + "reports/<int:pk>/", jobs.report_job, name="scorecard_report_job"),
    path(
        SC + "reports/<int:pk>/download",
        jobs.report_job_download,
        name="scorecard_report_job_download",
    ),
]
