"""Page URLs. Reading and data-entry pages here; create/edit/delete pages in manage_urls."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("", include("scorecard.web.manage_urls")),
]
