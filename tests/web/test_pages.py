"""Page views driven by real requests: access per persona, entry, history, escaping, queries."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.test import override_settings
from django.urls import reverse

from scorecard.kpis.models import Kpi, Measurement
from tests.factories import (
    KpiFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PerspectiveFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

PERSONAS = ["admin", "editor", "contributor", "viewer", "outsider", "anonymous"]


@pytest.fixture
def frozen_today():
    with override_settings(SCORECARD_TODAY="2026-11-23"):
        yield


@pytest.fixture
def card(world):
    """The world's scorecard with one objective, two KPIs and some history."""
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Financial", position=0)
    objective = ObjectiveFactory(perspective=perspective, code="grow", name="Grow revenue")
    revenue = KpiFactory(
        objective=objective, code="revenue", name="Revenue", unit="€", minimum=0,
        maximum=1000, target=800, time_aggregation="sum", updater=world.contributor,
    )  # fmt: skip
    cost = KpiFactory(objective=objective, code="cost", name="Cost", optimization="minimize",
                      minimum=0, maximum=100, target=None, time_aggregation="last")  # fmt: skip
    for month, value in [(9, 500), (10, 600)]:
        MeasurementFactory(kpi=revenue, period_start=dt.date(2026, month, 1), value=value)
    MeasurementFactory(kpi=cost, period_start=dt.date(2026, 10, 1), value=40)
    return world, objective, revenue, cost


def urls(world):
    o, s = world.organization.slug, world.scorecard.slug
    return {
        "scorecard": reverse("scorecard_detail", args=[o, s]),
        "map": reverse("strategy_map", args=[o, s]),
        "kpi": reverse("kpi_detail", args=[o, s, "revenue"]),
        "objective": reverse("objective_detail", args=[o, s, "grow"]),
        "initiatives": reverse("initiative_list", args=[o, s]),
        "organization": reverse("organization_detail", args=[o]),
        "entry": reverse("data_entry", args=[o, s]),
        "objective_new": reverse("objective_new", args=[o, s]),
        "kpi_new": reverse("kpi_new", args=[o, s, "grow"]),
    }


EXPECTED_GET = {
    # page: statuses for admin, editor, contributor, viewer, outsider, anonymous
    "scorecard": [200, 200, 200, 200, 404, 302],
    "map": [200, 200, 200, 200, 404, 302],
    "kpi": [200, 200, 200, 200, 404, 302],
    "objective": [200, 200, 200, 200, 404, 302],
    "initiatives": [200, 200, 200, 200, 404, 302],
    "organization": [200, 200, 200, 200, 404, 302],
    "entry": [200, 200, 200, 403, 404, 302],
    "objective_new": [200, 200, 403, 403, 404, 302],
    "kpi_new": [200, 200, 403, 403, 404, 302],
}


@pytest.mark.parametrize(("page", "persona"), list(itertools.product(EXPECTED_GET, PERSONAS)))
def test_access_matrix(card, page, persona) -> None:
    world = card[0]
    response = world.client_for(persona).get(urls(world)[page])
    assert response.status_code == EXPECTED_GET[page][PERSONAS.index(persona)]
    if response.status_code == 302:
        assert response["Location"].startswith("/login/")


def test_home_lists_due_kpis_for_the_updater(card) -> None:
    world = card[0]
    response = world.client_for("contributor").get("/")
    # Revenue has its October value: nothing due. Remove it and it becomes due.
    assert "Nothing due" in response.content.decode()
    Measurement.objects.filter(kpi__code="revenue", period_start=dt.date(2026, 10, 1)).delete()
    assert "Revenue" in world.client_for("contributor").get("/").content.decode()


def test_scorecard_page_shows_formatted_numbers(card) -> None:
    world = card[0]
    html = world.client_for("viewer").get(urls(world)["scorecard"]).content.decode()
    assert "600\u00a0€" in html  # October revenue
    assert "800\u00a0€" in html
    assert "60.0\u00a0%" in html  # performance: 600 on the 0..1000 scale
    assert "75.0\u00a0%" in html  # progress: 600 of the way from 0 to the target 800
    assert "Grow revenue" in html


def test_scorecard_partial_for_htmx(card) -> None:
    world = card[0]
    response = world.client_for("viewer").get(
        urls(world)["scorecard"] + "?view=ytd&as_of=2026-10-31", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html and "Revenue" in html
    assert "1,100\u00a0€" in html  # September + October, the year so far


@pytest.mark.parametrize(
    ("query", "message"),
    [("?as_of=yesterday", "is not a date"), ("?view=fortnight", "is not a period choice")],
)
def test_bad_period_parameters_are_explained(card, query, message) -> None:
    world = card[0]
    response = world.client_for("viewer").get(urls(world)["scorecard"] + query)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_record_a_value_updates_status_and_keeps_history(card) -> None:
    world, _, revenue, _ = card
    client = world.client_for("contributor")
    url = reverse("kpi_record", args=["northwind", "company", "revenue"])
    response = client.post(url, {"period": "2026-10-01", "value": "900", "note": "late invoices"},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "900\u00a0€" in html and "<del" in html  # new value and the struck-through 600
    rows = Measurement.objects.filter(kpi=revenue, period_start=dt.date(2026, 10, 1))
    assert sorted(rows.values_list("value", flat=True)) == [600, 900]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"period": "2026-10-15", "value": "1"}, "does not start a monthly period"),
        ({"period": "soon", "value": "1"}, "first day of a period"),
        ({"period": "2026-10-01", "value": "lots"}, "is not a number"),
        ({"period": "2026-10-01", "value": ""}, "Enter a number"),
    ],
)
def test_record_bad_input_is_refused(card, data, fragment) -> None:
    world = card[0]
    before = Measurement.objects.count()
    url = reverse("kpi_record", args=["northwind", "company", "revenue"])
    response = world.client_for("contributor").post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert fragment in response.content.decode()
    assert Measurement.objects.count() == before


def test_contributor_cannot_record_a_kpi_they_do_not_update(card) -> None:
    world = card[0]
    url = reverse("kpi_record", args=["northwind", "company", "cost"])
    response = world.client_for("contributor").post(url, {"period": "2026-10-01", "value": "1"})
    assert response.status_code == 403


@pytest.mark.parametrize(("persona", "status"), [("viewer", 403), ("outsider", 404)])
def test_viewer_and_outsider_cannot_record(card, persona, status) -> None:
    world = card[0]
    url = reverse("kpi_record", args=["northwind", "company", "revenue"])
    before = Measurement.objects.count()
    response = world.client_for(persona).post(url, {"period": "2026-10-01", "value": "1"})
    assert response.status_code == status
    assert Measurement.objects.count() == before


def test_viewer_sees_no_entry_form(card) -> None:
    world = card[0]
    html = world.client_for("viewer").get(urls(world)["kpi"]).content.decode()
    assert "Enter or correct a value" not in html
    html = world.client_for("contributor").get(urls(world)["kpi"]).content.decode()
    assert "Enter or correct a value" in html


def test_grid_saves_all_or_nothing(card) -> None:
    world, _, revenue, cost = card
    client = world.client_for("editor")
    url = urls(world)["entry"] + "?as_of=2026-11-23"
    bad = {f"value-{revenue.pk}": "700", f"value-{cost.pk}": "many"}
    response = client.post(url, bad)
    assert response.status_code == 422
    assert "“many” is not a number" in response.content.decode()
    assert not Measurement.objects.filter(value=700).exists()
    good = {f"value-{revenue.pk}": "700", f"value-{cost.pk}": "35", f"note-{cost.pk}": "audit"}
    response = client.post(url, good)
    assert response.status_code == 302
    assert Measurement.objects.get(kpi=revenue, superseded_at__isnull=True,
                                   period_start=dt.date(2026, 10, 1)).value == 700  # fmt: skip
    assert Measurement.objects.get(kpi=cost, superseded_at__isnull=True).note == "audit"


def test_grid_shows_only_my_kpis_to_a_contributor(card) -> None:
    world = card[0]
    html = world.client_for("contributor").get(urls(world)["entry"]).content.decode()
    assert "Revenue" in html and ">Cost<" not in html


def test_create_objective_and_kpi(card) -> None:
    world = card[0]
    client = world.client_for("editor")
    perspective = world.scorecard.perspectives.get()
    new_objective = {"perspective": perspective.pk, "name": "Win partners", "weight": "2"}
    response = client.post(urls(world)["objective_new"], new_objective)
    assert response.status_code == 302
    kpi_url = reverse("kpi_new", args=["northwind", "company", "win-partners"])
    form = {
        "name": "Partners signed", "code": "partners", "optimization": "maximize",
        "minimum": "0", "maximum": "50", "weight": "1", "update_interval": "month",
        "time_aggregation": "sum", "indicator": "lagging", "formula_mode": "equation",
    }  # fmt: skip
    response = client.post(kpi_url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Kpi.objects.get(code="partners").objective.code == "win-partners"


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"minimum": "50"}, "nothing to measure on"),
        ({"weight": "0"}, "greater than zero"),
        ({"formula": "revenue / ghost"}, "unknown KPI code(s): ghost"),
        ({"formula": "revenue +"}, "cannot be read"),
        ({"optimization": "percent_of_target", "target": "0"}, "target above zero"),
        ({"code": "revenue"}, "uses the code"),
    ],
)
def test_kpi_form_explains_problems(card, change, fragment) -> None:
    world = card[0]
    form = {"name": "New", "code": "new_kpi", "optimization": "maximize", "minimum": "0",
            "maximum": "50", "weight": "1", "update_interval": "month",
            "time_aggregation": "sum", "indicator": "lagging", **change}  # fmt: skip
    before = Kpi.objects.count()
    response = world.client_for("editor").post(urls(world)["kpi_new"], form)
    assert response.status_code == 422
    assert fragment in response.content.decode()
    assert Kpi.objects.count() == before


XSS = "<script>alert(1)</script>"


def test_user_text_is_escaped_everywhere(card) -> None:
    world, objective, revenue, _ = card
    revenue.name = XSS
    revenue.unit = "<b>"
    revenue.save()
    objective.name = XSS
    objective.save()
    world.scorecard.vision = XSS
    world.scorecard.save()
    client = world.client_for("viewer")
    for page in ["scorecard", "map", "kpi", "objective"]:
        html = client.get(urls(world)[page]).content.decode()
        assert XSS not in html, page
        assert "&lt;script&gt;" in html, page


def test_pages_load_in_constant_queries(world, django_assert_max_num_queries) -> None:
    """A scorecard of 200 KPIs with 24 months each: every page stays within a fixed budget."""
    perspectives = [PerspectiveFactory(scorecard=world.scorecard, position=i) for i in range(4)]
    objectives = [
        ObjectiveFactory(perspective=perspectives[i % 4], code=f"o{i}") for i in range(20)
    ]
    kpis = Kpi.objects.bulk_create(
        Kpi(
            scorecard=world.scorecard,
            objective=objectives[i % 20],
            code=f"k{i}",
            name=f"K {i}",
            minimum=0,
            maximum=100,
            target=80,
            updater=world.editor,
        )
        for i in range(200)
    )
    now = dt.datetime(2026, 11, 5, tzinfo=dt.UTC)
    Measurement.objects.bulk_create(
        Measurement(
            kpi=k,
            period_start=dt.date(2024 + (10 + m) // 12, (10 + m) % 12 + 1, 1),
            value=m * 3 % 100,
            recorded_at=now,
        )
        for k in kpis
        for m in range(24)
    )
    client = world.client_for("editor")
    o, s = world.organization.slug, world.scorecard.slug
    pages = [
        reverse("scorecard_detail", args=[o, s]),
        reverse("strategy_map", args=[o, s]),
        reverse("data_entry", args=[o, s]),
        reverse("kpi_detail", args=[o, s, "k7"]),
        reverse("objective_detail", args=[o, s, "o3"]),
        reverse("initiative_list", args=[o, s]),
        "/",
    ]
    for url in pages:
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200


def test_unknown_kpi_and_scorecard_are_404(card) -> None:
    world = card[0]
    client = world.client_for("admin")
    assert client.get("/o/northwind/s/company/kpi/nope/").status_code == 404
    assert client.get("/o/northwind/s/nope/").status_code == 404
    assert client.get("/o/nope/").status_code == 404


def test_member_of_two_organizations_can_switch(card) -> None:
    world = card[0]
    from tests.factories import MembershipFactory

    both = UserFactory(username="consultant")
    MembershipFactory(user=both, organization=world.organization, role="viewer")
    MembershipFactory(user=both, organization=world.other_organization, role="viewer")
    client = world.client_for("outsider")
    client.force_login(both)
    html = client.get("/?org=rival").content.decode()
    assert "Rival Gear" in html
    html = client.get("/").content.decode()  # the choice is remembered
    assert "<h1>Rival Gear</h1>" in html


def test_home_lists_my_red_kpis(card) -> None:
    world, _, revenue, _ = card
    revenue.owner = world.viewer
    revenue.save()
    html = world.client_for("viewer").get("/").content.decode()
    assert "None of your KPIs is red" in html  # 600 of 0..1000: 60 %, yellow
    Measurement.objects.filter(kpi=revenue, period_start=dt.date(2026, 10, 1)).update(value=100)
    html = world.client_for("viewer").get("/").content.decode()
    assert 'href="/o/northwind/s/company/kpi/revenue/">Revenue</a>' in html
    assert "10.0\u00a0%" in html


def test_comments_on_a_kpi(card) -> None:
    world = card[0]
    url = reverse("kpi_comment", args=["northwind", "company", "revenue"])
    client = world.client_for("contributor")
    client.post(url, {"text": "October lower: <b>two</b> invoices slipped"})
    html = client.get(urls(world)["kpi"]).content.decode()
    assert "two</b>" not in html and "&lt;b&gt;two&lt;/b&gt; invoices slipped" in html
    assert client.post(url, {"text": "   "}, follow=True).content.decode().count("Write something")
    assert world.client_for("viewer").post(url, {"text": "hi"}).status_code == 403
    assert world.client_for("outsider").post(url, {"text": "hi"}).status_code == 404
    from scorecard.reviews.models import Comment

    assert Comment.objects.count() == 1
