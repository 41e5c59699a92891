"""URLs of cascading (included by web/urls.py): cascade a scorecard, the alignment view."""

from django.urls import path

from . import objective as align
from . import views as cascade

OBJ = "o/<slug:org_slug>/s/<slug:sc_slug>/objective/<slug:code>/"

urlpatterns = [
    path("o/<slug:org_slug>/alignment/", cascade.alignment, name="alignment"),
    path("o/<slug:org_slug>/s/<slug:sc_slug>/cascade/", cascade.cascade_new, name="cascade_new"),
    # Aligning an existing objective (on the objective page)
    path(OBJ + "align/", align.alignment_add, name="alignment_add"),
    path(OBJ + "align/<int:pk>/", align.alignment_edit, name="alignment_edit"),
    path(OBJ + "align/<int:pk>/remove/", align.alignment_remove, name="alignment_remove"),
]
