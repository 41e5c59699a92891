"""URLs of share links: the owner's pages, and the one public page a link opens."""

from django.urls import path

from . import views

SC = "o/<slug:org_slug>/s/<slug:sc_slug>/"

urlpatterns = [
    path(SC + "share/", views.share_list, name="share_list"),
    path(SC + "share/<int:pk>/", views.share_detail, name="share_detail"),
    path(SC + "share/<int:pk>/revoke/", views.share_revoke, name="share_revoke"),
    # The public page: no account, only what the link names.
    path("share/<str:token>/", views.shared, name="shared"),
]
