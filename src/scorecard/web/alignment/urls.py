"""URLs of cascading (included by web/urls.py): cascade a scorecard, the alignment view."""

from django.urls import path

from . import views as cascade

urlpatterns = [
    path("o/<slug:org_slug>/alignment/", cascade.alignment, name="alignment"),
    path("o/<slug:org_slug>/s/<slug:sc_slug>/cascade/", cascade.cascade_new, name="cascade_new"),
]
