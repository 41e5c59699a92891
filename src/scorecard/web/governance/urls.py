"""URLs of the governance pages (included by web/urls.py): history, review meetings,
comments on objectives and initiatives, notifications, approval of values."""

from django.urls import path

from . import comments, history, meetings

ORG = "o/<slug:org_slug>/"
SC = ORG + "s/<slug:sc_slug>/"

urlpatterns = [
    # History (every member reads it)
    path(SC + "history/", history.scorecard_history, name="scorecard_history"),
    path(
        SC + "objective/<slug:code>/history/", history.objective_history, name="objective_history"
    ),
    path(SC + "kpi/<slug:code>/history/", history.kpi_history, name="kpi_history"),
    path(
        SC + "initiatives/<int:pk>/history/", history.initiative_history, name="initiative_history"
    ),
    # Values waiting for the KPI owner's approval
    path(SC + "kpi/<slug:code>/values/<int:pk>/decide/", history.value_decide, name="value_decide"),
    # Review meetings
    path(SC + "reviews/", meetings.meeting_list, name="meeting_list"),
    path(SC + "reviews/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path(SC + "reviews/<int:pk>/notes/", meetings.meeting_notes, name="meeting_notes"),
    path(SC + "reviews/<int:pk>/decisions/", meetings.meeting_decision, name="meeting_decision"),
    # Comments with @mentions, notifications, members
    path(
        SC + "objective/<slug:code>/comments/", comments.objective_comment, name="objective_comment"
    ),
    path(
        SC + "initiatives/<int:pk>/comments/",
        comments.initiative_comment,
        name="initiative_comment",
    ),
    path("notifications/", comments.notifications, name="notifications"),
    path("notifications/<int:pk>/", comments.notification_open, name="notification_open"),
    path(ORG + "people/<str:username>/", comments.person_detail, name="person_detail"),
]
