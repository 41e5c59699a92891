"""The header's search box: /search/?q=… finds KPIs, objectives, initiatives, units and
people in the user's organizations (never another organization's)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from scorecard.search.selectors import search


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    """Results grouped by kind, each linking to its page."""
    query = request.GET.get("q", "")
    results = search(user=request.user, query=query) if query.strip() else None
    return render(request, "web/search/results.html", {"results": results, "q": query})
