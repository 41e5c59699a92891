"""Site administration pages (included from web/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("system/tasks/", views.background_tasks, name="background_tasks"),
]
