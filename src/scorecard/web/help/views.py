"""The glossary: every term the pages explain in a tooltip, at more length."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from scorecard.presentation.glossary import TERMS


def help_page(request: HttpRequest) -> HttpResponse:
    """/help/: the glossary (open to anyone; it holds no data)."""
    return render(request, "web/help/glossary.html", {"terms": list(TERMS.values())})
