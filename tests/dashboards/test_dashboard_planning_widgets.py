"""The funnel and top-risks widgets, through real requests on the demo company: the
funnel's stages with the values and rates of planning's analysis, the risks worst first
with the count at each level and the heat map; each a fragment in constant queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from scorecard import clock
from scorecard.dashboards.models import Dashboard, Widget
from scorecard.interchange.services import DEMO_FILE, document_load_file
from scorecard.kpis.models import Kpi
from scorecard.planning.models import Funnel, FunnelStage
from scorecard.planning.selectors import funnel_analysis
from scorecard.presentation.numbers import format_number, pct
from scorecard.risks.models import Risk
from scorecard.strategy.models import Scorecard

pytestmark = pytest.mark.django_db
BASE = "/o/northwind/dashboards/"


@pytest.fixture
def company(settings: Any) -> Scorecard:
    settings.SCORECARD_TODAY = "2026-11-23"
    document_load_file(DEMO_FILE)
    return Scorecard.objects.get(organization__slug="northwind", slug="company")


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def fragment(client: Client, dashboard: Dashboard, widget: Widget) -> str:
    answer = client.get(f"{BASE}{dashboard.pk}/widgets/{widget.pk}/", HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    return answer.content.decode()


def risk(company: Scorecard, title: str, likelihood: int, impact: int) -> Risk:
    now = clock.now()
    return Risk.objects.create(
        scorecard=company, title=title, likelihood=likelihood, impact=impact,
        created_at=now, updated_at=now,
    )  # fmt: skip


def board(company: Scorecard) -> tuple[Client, Dashboard, Widget, Widget]:
    editor = signed_in("strategy")
    editor.post(BASE, {"name": "Pipeline and risks"})
    dashboard = Dashboard.objects.get()
    funnel = Funnel.objects.get(scorecard=company, name="Sales funnel")
    page = editor.get(f"{BASE}{dashboard.pk}/").content.decode()
    assert f'<option value="{funnel.pk}">' in page  # the add form offers the funnel
    add = f"{BASE}{dashboard.pk}/widgets/"
    assert editor.post(add, {"kind": "funnel", "funnel": funnel.pk}).status_code == 302
    assert editor.post(add, {"kind": "risks", "scorecard": company.pk}).status_code == 302
    funnel_widget, risk_widget = dashboard.widgets.order_by("position")
    return editor, dashboard, funnel_widget, risk_widget


def test_funnel_widget_shows_the_stages_values_and_rates(company: Scorecard) -> None:
    editor, dashboard, widget, _ = board(company)
    assert widget.funnel is not None and widget.scorecard_id == company.pk and widget.wide
    text = fragment(editor, dashboard, widget)
    analysis = funnel_analysis(funnel=widget.funnel, as_of=dt.date(2026, 11, 23))
    assert [r.kpi.code for r in analysis.stages] == [
        "website_visitors", "signups", "qualified_leads", "deals"
    ]  # fmt: skip
    for row in analysis.stages:
        assert row.value is not None
        value = format_number(row.value, row.kpi.unit)
        assert f'<th scope="row"><bdi>{row.kpi.name}</bdi></th><td class="num">{value}</td>' in text
        if row.rate is not None:
            assert pct(row.rate) in text
    assert sum(r.rate is not None for r in analysis.stages) == 3
    page = editor.get(f"{BASE}{dashboard.pk}/").content.decode()
    assert "Sales funnel" in page  # the widget's heading names the funnel


def test_risk_widget_lists_the_worst_risks_levels_and_heat_map(company: Scorecard) -> None:
    editor, dashboard, _, widget = board(company)
    assert "No risks recorded for this scorecard." in fragment(editor, dashboard, widget)
    for title, likelihood, impact in [
        ("Retail partner leaves", 4, 5),  # 20 critical
        ("Price war", 3, 4),  # 12 high
        ("Supplier late", 2, 3),  # 6 medium
        ("Web shop outage", 1, 2),  # 2 low
        ("Freight costs rise", 4, 3),  # 12 high
        ("Key person leaves", 2, 2),  # 4 low
    ]:
        risk(company, title, likelihood, impact)
    text = fragment(editor, dashboard, widget)
    for words in ["1 critical", "2 high", "1 medium", "2 low"]:
        assert words in text, words
    top = text.split('data-testid="top-risks"')[1].split("</ol>")[0]
    order = ["Retail partner leaves", "Freight costs rise", "Price war", "Supplier late",
             "Key person leaves"]  # fmt: skip
    assert [top.index(t) for t in order] == sorted(top.index(t) for t in order)
    assert "Web shop outage" not in top  # only the five worst
    heat = text.split('data-testid="heat-map"')[1]
    assert heat.count('<td class="num risk-high">2</td>') == 0  # two risks, two cells
    assert heat.count('<td class="num risk-high">1</td>') == 2


def test_funnel_and_risk_widgets_read_in_constant_queries(company: Scorecard) -> None:
    editor, dashboard, funnel_widget, risk_widget = board(company)
    for i in range(2):
        risk(company, f"Risk {i}", 3, 3)
    counts = {}
    for w in (funnel_widget, risk_widget):
        with CaptureQueriesContext(connection) as queries:
            fragment(editor, dashboard, w)
        counts[w.kind] = len(queries)
    assert max(counts.values()) <= 25, counts
    # More risks (with links) and one stage more cost no more queries.
    objective = company.objectives.first()
    for i in range(6):
        risk(company, f"More {i}", 2, 4).objectives.add(objective)
    extra = Kpi.objects.create(
        scorecard=company, objective=objective, code="x1", name="Orders", baseline=0, target=1
    )
    FunnelStage.objects.create(funnel=funnel_widget.funnel, kpi=extra, position=9)
    for w in (funnel_widget, risk_widget):
        with CaptureQueriesContext(connection) as queries:
            fragment(editor, dashboard, w)
        assert len(queries) == counts[w.kind], w.kind


def test_a_funnel_widget_needs_a_funnel_of_the_organization(company: Scorecard) -> None:
    editor = signed_in("strategy")
    editor.post(BASE, {"name": "Mine"})
    dashboard = Dashboard.objects.get()
    page = editor.post(
        f"{BASE}{dashboard.pk}/widgets/", {"kind": "funnel", "funnel": "999999"}, follow=True
    ).content.decode()
    assert "Choose the funnel this widget shows." in page
    assert not dashboard.widgets.exists()
