"""Dashboards people build, through real requests on the demo company: compose one of
every widget kind, reorder it (the drag's POST and the keyboard buttons), share it, and
check who may read and who may change it; each widget is a fragment in constant queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from scorecard.dashboards.models import Dashboard, Widget
from scorecard.interchange.services import DEMO_FILE, document_load_file
from scorecard.kpis.models import Kpi
from scorecard.kpis.scorecard_selectors import scorecard_page
from scorecard.presentation.numbers import format_number, pct
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


def compose(client: Client, company: Scorecard) -> Dashboard:
    answer = client.post(BASE, {"name": "Board pack"})
    dashboard = Dashboard.objects.get(name="Board pack")
    assert answer.status_code == 302 and answer["Location"] == f"{BASE}{dashboard.pk}/"
    revenue = Kpi.objects.get(scorecard=company, code="revenue")
    dso = Kpi.objects.get(scorecard=company, code="days_sales_outstanding")
    financial = company.perspectives.get(name="Financial")
    add = f"{BASE}{dashboard.pk}/widgets/"
    for data in [
        {"kind": "kpi_tile", "kpi": revenue.pk},
        {"kind": "kpi_chart", "kpi": revenue.pk},
        {"kind": "gauge", "kpi": dso.pk},
        {"kind": "scorecard_table", "scorecard": company.pk, "perspective": financial.pk},
        {"kind": "strategy_map", "scorecard": company.pk},
        {"kind": "initiatives", "scorecard": company.pk},
        {"kind": "note", "text": "Cash first: DSO must fall below 50 days."},
    ]:
        assert client.post(add, data).status_code == 302
    return dashboard


def test_compose_one_widget_of_each_kind_with_the_engines_numbers(company: Scorecard) -> None:
    editor = signed_in("strategy")
    dashboard = compose(editor, company)
    widgets = list(dashboard.widgets.order_by("position"))
    # Funnel and top risks: tests/dashboards/test_dashboard_planning_widgets.py.
    assert [w.kind for w in widgets] == [
        k for k, _ in Widget.Kind.choices if k not in {"funnel", "risks"}
    ]
    page = editor.get(f"{BASE}{dashboard.pk}/").content.decode()
    for w in widgets:
        assert f'hx-get="{BASE}{dashboard.pk}/widgets/{w.pk}/"' in page
    assert "@media print" in page and "Add a widget" in page
    scored = scorecard_page(scorecard=company, as_of=dt.date(2026, 11, 23), view="period").result
    revenue, dso = scored.kpis["revenue"], scored.kpis["days_sales_outstanding"]
    texts = {
        w.kind: editor.get(
            f"{BASE}{dashboard.pk}/widgets/{w.pk}/", HTTP_HX_REQUEST="true"
        ).content.decode()
        for w in widgets
    }
    assert format_number(revenue.value, "€") in texts["kpi_tile"]
    assert f"Target {format_number(revenue.target, '€')}" in texts["kpi_tile"]
    assert 'class="spark"' in texts["kpi_tile"]
    assert "<svg" in texts["kpi_chart"] and "History of Revenue" in texts["kpi_chart"]
    assert pct(dso.performance) in texts["gauge"] and "<meter" in texts["gauge"]
    assert "Financial" in texts["scorecard_table"] and "Customer" not in texts["scorecard_table"]
    assert (
        pct(scored.perspectives[str(company.perspectives.get(name="Financial").pk)].score)
        in (texts["scorecard_table"])
    )
    assert "Strategy map of Northwind Outdoor 2027" in texts["strategy_map"]
    assert "New online shop" in texts["initiatives"] and "Active" in texts["initiatives"]
    assert "DSO must fall below 50 days" in texts["note"]
    # The page's period reaches every widget.
    older = editor.get(f"{BASE}{dashboard.pk}/?as_of=2026-06-30&view=ytd").content.decode()
    assert f'widgets/{widgets[0].pk}/?as_of=2026-06-30&amp;view=ytd"' in older


def test_each_widget_reads_in_constant_queries(company: Scorecard) -> None:
    editor = signed_in("strategy")
    dashboard = compose(editor, company)
    counts = {}
    for w in dashboard.widgets.all():
        with CaptureQueriesContext(connection) as queries:
            editor.get(f"{BASE}{dashboard.pk}/widgets/{w.pk}/", HTTP_HX_REQUEST="true")
        counts[w.kind] = len(queries)
    assert max(counts.values()) <= 25, counts
    # A KPI in a bigger scorecard costs no more queries.
    for code in ("x1", "x2", "x3"):
        Kpi.objects.create(
            scorecard=company, objective=company.objectives.first(), code=code, name=code,
            baseline=0, target=1,
        )  # fmt: skip
    tile = dashboard.widgets.get(kind="kpi_tile")
    with CaptureQueriesContext(connection) as queries:
        editor.get(f"{BASE}{dashboard.pk}/widgets/{tile.pk}/", HTTP_HX_REQUEST="true")
    assert len(queries) == counts["kpi_tile"]


def test_reorder_by_drag_and_by_buttons(company: Scorecard) -> None:
    editor = signed_in("strategy")
    dashboard = compose(editor, company)
    ids = list(dashboard.widgets.order_by("position").values_list("pk", flat=True))
    new = [ids[-1], *ids[:-1]]
    answer = editor.post(
        f"{BASE}{dashboard.pk}/order/", {"order": ",".join(map(str, new))}, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 204
    assert list(dashboard.widgets.order_by("position").values_list("pk", flat=True)) == new
    # The keyboard way: move the first widget down one place.
    editor.post(f"{BASE}{dashboard.pk}/widgets/{new[0]}/move/", {"direction": "down"})
    assert list(dashboard.widgets.order_by("position").values_list("pk", flat=True)) == [
        new[1], new[0], *new[2:]
    ]  # fmt: skip
    # An order that leaves a widget out is refused and nothing moves.
    bad = editor.post(f"{BASE}{dashboard.pk}/order/", {"order": str(ids[0])})
    assert bad.status_code == 422 and "every widget" in bad.content.decode()
    assert editor.post(f"{BASE}{dashboard.pk}/widgets/{ids[0]}/move/", {"direction": "x"})
    assert dashboard.widgets.count() == 7


def test_private_until_shared_then_viewers_read_but_cannot_change(company: Scorecard) -> None:
    editor = signed_in("strategy")
    dashboard = compose(editor, company)
    viewer = signed_in("viewer")
    url = f"{BASE}{dashboard.pk}/"
    assert viewer.get(url).status_code == 404
    assert "Board pack" not in viewer.get(BASE).content.decode()
    editor.post(f"{url}settings/", {"name": "Board pack", "shared": "on"})
    page = viewer.get(url)
    assert page.status_code == 200 and "Add a widget" not in page.content.decode()
    assert "Board pack" in viewer.get(BASE).content.decode()
    widget = dashboard.widgets.first()
    assert viewer.get(f"{url}widgets/{widget.pk}/").status_code == 200
    for path, data in [
        ("settings/", {"name": "Mine"}),
        ("widgets/", {"kind": "note", "text": "x"}),
        ("order/", {"order": ""}),
        (f"widgets/{widget.pk}/remove/", {}),
        ("delete/", {}),
    ]:
        assert viewer.post(url + path, data).status_code == 403, path
    # The other editor reads it too, but only its owner (or an admin) changes it.
    assert signed_in("ceo").post(f"{url}widgets/", {"kind": "note", "text": "x"}).status_code == 403
    assert viewer.post(BASE, {"name": "Mine"}).status_code == 403
    admin = signed_in("admin")
    assert admin.post(f"{url}widgets/{widget.pk}/remove/").status_code == 302
    assert dashboard.widgets.count() == 6


def test_bad_widget_input_is_explained(company: Scorecard) -> None:
    editor = signed_in("strategy")
    editor.post(BASE, {"name": "Mine"})
    dashboard = Dashboard.objects.get()
    add = f"{BASE}{dashboard.pk}/widgets/"
    for data, message in [
        ({"kind": "pie"}, "“<bdi>pie</bdi>” is not a kind of widget."),
        ({"kind": "kpi_tile"}, "Choose the KPI this widget shows."),
        ({"kind": "strategy_map"}, "Choose the scorecard this widget shows."),
        ({"kind": "note", "text": "  "}, "Write the note&#x27;s text."),
    ]:
        page = editor.post(add, data, follow=True).content.decode()
        assert message in page, message
    assert not dashboard.widgets.exists()
    empty = editor.post(BASE, {"name": "  "})
    assert empty.status_code == 422 and "Give the dashboard a name." in empty.content.decode()
