"""Reading and data-entry pages driven by real requests: access per persona, the period
selectors, entry and corrections, the all-or-nothing grid, escaping and query counts."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scorecard.kpis.models import Kpi, Measurement, Target
from scorecard.organizations.versions import data_version_bump
from scorecard.strategy.models import Scorecard
from tests.factories import (
    InitiativeFactory,
    KpiFactory,
    MeasurementFactory,
    MembershipFactory,
    ObjectiveFactory,
    PerspectiveFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

PERSONAS = ["admin", "editor", "contributor", "viewer", "outsider", "anonymous"]
XSS = "<script>alert(1)</script>"


@pytest.fixture
def frozen_today():
    with override_settings(SCORECARD_TODAY="2026-11-23"):
        yield


@pytest.fixture
def card(world):
    """The world's scorecard: one objective with revenue (updated by the contributor),
    cost (nobody's) and a calculated margin, with some history."""
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Financial", position=0)
    objective = ObjectiveFactory(perspective=perspective, code="grow", name="Grow revenue")
    revenue = KpiFactory(
        objective=objective, code="revenue", name="Revenue", unit="€", minimum=0,
        maximum=1000, target=800, time_aggregation="sum", updater=world.contributor,
    )  # fmt: skip
    cost = KpiFactory(objective=objective, code="cost", name="Cost", optimization="minimize",
                      minimum=0, maximum=100, target=None, time_aggregation="last")  # fmt: skip
    KpiFactory(objective=objective, code="margin", name="Margin", unit="%",
               formula="(revenue - cost) / revenue * 100", minimum=0, maximum=100)  # fmt: skip
    for month, value in [(9, 500), (10, 600)]:
        MeasurementFactory(kpi=revenue, period_start=dt.date(2026, month, 1), value=value)
    MeasurementFactory(kpi=cost, period_start=dt.date(2026, 10, 1), value=40)
    return world, objective, revenue, cost


def url(name: str, *args: str) -> str:
    return reverse(name, args=["northwind", "company", *args])


PAGES = {
    # page: (url, statuses for admin, editor, contributor, viewer, outsider, anonymous)
    "home": ("/", [200, 200, 200, 200, 200, 302]),
    "scorecard": (lambda: url("scorecard_detail"), [200, 200, 200, 200, 404, 302]),
    "map": (lambda: url("strategy_map"), [200, 200, 200, 200, 404, 302]),
    "kpi": (lambda: url("kpi_detail", "revenue"), [200, 200, 200, 200, 404, 302]),
    "calculated kpi": (lambda: url("kpi_detail", "margin"), [200, 200, 200, 200, 404, 302]),
    "entry": (lambda: url("data_entry"), [200, 200, 200, 403, 404, 302]),
}


@pytest.mark.parametrize(("page", "persona"), list(itertools.product(PAGES, PERSONAS)))
def test_get_access_matrix(card, page, persona) -> None:
    world = card[0]
    address, expected = PAGES[page]
    response = world.client_for(persona).get(address if isinstance(address, str) else address())
    assert response.status_code == expected[PERSONAS.index(persona)]
    if response.status_code == 302:
        assert response["Location"].startswith("/login/")


RECORD = {
    # KPI: statuses for admin, editor, contributor, viewer, outsider, anonymous
    "revenue": [200, 200, 200, 403, 404, 302],  # the contributor updates revenue
    "cost": [200, 200, 403, 403, 404, 302],  # nobody's: only editors and admins
    "margin": [403, 403, 403, 403, 404, 302],  # calculated: nobody enters it
}


@pytest.mark.parametrize(("code", "persona"), list(itertools.product(RECORD, PERSONAS)))
def test_record_access_matrix(card, code, persona) -> None:
    world = card[0]
    before = Measurement.objects.count()
    response = world.client_for(persona).post(
        url("kpi_record", code), {"period": "2026-10-01", "value": "7"}, HTTP_HX_REQUEST="true"
    )
    expected = RECORD[code][PERSONAS.index(persona)]
    assert response.status_code == expected
    assert Measurement.objects.count() == before + (1 if expected == 200 else 0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_grid_post_access(card, persona) -> None:
    world, _, revenue, _ = card
    expected = [302, 302, 302, 403, 404, 302][PERSONAS.index(persona)]
    response = world.client_for(persona).post(url("data_entry"), {f"value-{revenue.pk}": "650"})
    assert response.status_code == expected
    saved = Measurement.objects.filter(kpi=revenue, value=650).exists()
    assert saved == (persona in {"admin", "editor", "contributor"})


def test_unknown_items_are_404(card) -> None:
    client = card[0].client_for("admin")
    assert client.get(url("kpi_detail", "nope")).status_code == 404
    assert client.get("/o/northwind/s/nope/").status_code == 404
    assert client.get("/o/nope/s/company/").status_code == 404
    assert client.get("/o/rival/s/company/").status_code == 404  # not a member there


# --- home ---------------------------------------------------------------------------------


def test_home_lists_values_due_for_updaters_and_owners(card) -> None:
    world, _, revenue, cost = card
    client = world.client_for("contributor")
    assert "Nothing due" in client.get("/").content.decode()  # revenue has October
    Measurement.objects.filter(kpi=revenue, period_start=dt.date(2026, 10, 1)).delete()
    html = client.get("/").content.decode()
    assert "><bdi>Revenue</bdi></a>" in html and "for Oct 2026" in html
    cost.owner = world.contributor
    cost.save()
    Measurement.objects.filter(kpi=cost).delete()
    assert "><bdi>Cost</bdi></a>" in world.client_for("contributor").get("/").content.decode()


def test_home_lists_red_kpis_of_my_area_and_my_tasks(card) -> None:
    world, _objective, revenue, _ = card
    revenue.owner = world.viewer
    revenue.save()
    html = world.client_for("viewer").get("/").content.decode()
    assert "None of the KPIs in your area is red" in html  # 600 on 0..1000: yellow
    Measurement.objects.filter(kpi=revenue, period_start=dt.date(2026, 10, 1)).update(value=100)
    # A write past the services (no save signal) must raise the data version itself.
    data_version_bump(world.organization.pk)
    initiative = InitiativeFactory(scorecard=world.scorecard, name="Open a shop")
    TaskFactory(initiative=initiative, name="Pick a platform", assignee=world.viewer,
                deadline=dt.date(2026, 11, 1))  # fmt: skip
    TaskFactory(initiative=initiative, name="Done already", assignee=world.viewer, state="done")
    html = world.client_for("viewer").get("/").content.decode()
    assert 'href="/o/northwind/s/company/kpi/revenue/"><bdi>Revenue</bdi></a>' in html
    assert "10.0\u00a0%" in html
    assert "Pick a platform" in html and "Overdue" in html and "Done already" not in html


def test_home_remembers_the_chosen_organization(card) -> None:
    world = card[0]
    both = UserFactory(username="consultant")
    MembershipFactory(user=both, organization=world.organization, role="viewer")
    MembershipFactory(user=both, organization=world.other_organization, role="viewer")
    client = world.client_for("anonymous")
    client.force_login(both)
    html = client.get("/").content.decode()
    assert '<h1 dir="auto">Northwind Outdoor</h1>' in html and 'id="org"' in html  # the switcher
    assert '<h1 dir="auto">Rival Gear</h1>' in client.get("/?org=rival").content.decode()
    assert '<h1 dir="auto">Rival Gear</h1>' in client.get("/").content.decode()  # remembered
    # An organization the user does not belong to is ignored, not revealed.
    OtherOrg = type(world.organization)
    OtherOrg.objects.create(name="Secret Corp", slug="secret")
    html = client.get("/?org=secret").content.decode()
    assert "Secret Corp" not in html and '<h1 dir="auto">Rival Gear</h1>' in html


def test_home_without_membership(db) -> None:
    from django.test import Client

    client = Client()
    client.force_login(UserFactory(username="lonely"))
    assert "do not belong to any organization" in client.get("/").content.decode()


# --- scorecard page -----------------------------------------------------------------------


def test_scorecard_page_shows_the_tree_with_formatted_numbers(card) -> None:
    world = card[0]
    html = world.client_for("viewer").get(url("scorecard_detail")).content.decode()
    assert "Be the outdoor brand people trust." in html  # vision on top
    assert "Gear that lasts, sold fairly." in html  # mission
    assert "600\u00a0€" in html  # October revenue
    assert "800\u00a0€" in html  # its target
    assert "60.0\u00a0%" in html  # performance: 600 on the 0..1000 scale
    assert "75.0\u00a0%" in html  # progress: 600 of the way from 0 to the target 800
    assert 'class="trend center better"' in html  # 500 → 600, higher is better
    assert '<svg class="spark"' in html
    assert "Grow revenue" in html and "Financial" in html
    assert ">calculated<" in html  # the margin's "updated" column


def test_scorecard_partial_for_htmx_and_the_period_selector(card) -> None:
    world = card[0]
    response = world.client_for("viewer").get(
        url("scorecard_detail") + "?view=ytd&as_of=2026-10-31", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html and "Revenue" in html
    assert "1,100\u00a0€" in html  # September + October, the year so far
    full = world.client_for("viewer").get(url("scorecard_detail") + "?view=ytd&as_of=2026-10-31")
    assert '<option value="ytd" selected>' in full.content.decode()
    assert 'value="2026-10-31"' in full.content.decode()
    html = world.client_for("viewer").get(url("scorecard_detail") + "?as_of=2026-09-30")
    assert "500\u00a0€" in html.content.decode()  # as of September: its value


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?as_of=yesterday", "“yesterday” is not a date"),
        ("?as_of=2026-02-30", "is not a date"),
        ("?as_of=0001-01-01", "outside the years"),
        ("?view=fortnight", "“fortnight” is not a period choice"),
    ],
)
def test_bad_period_parameters_are_explained(card, query, message) -> None:
    world = card[0]
    for page in ["scorecard_detail", "strategy_map"]:
        response = world.client_for("viewer").get(url(page) + query)
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html and 'role="alert"' in html
        assert "600\u00a0€" in html or page == "strategy_map"  # falls back to today


def test_configuration_errors_are_listed(card) -> None:
    world, objective, _, _ = card
    KpiFactory(objective=objective, code="broken", name="Broken scale", minimum=5, maximum=5)
    html = world.client_for("viewer").get(url("scorecard_detail")).content.decode()
    assert "Setup problems (1)" in html
    assert 'href="/o/northwind/s/company/kpi/broken/"><bdi>Broken scale</bdi></a>' in html


# --- strategy map -------------------------------------------------------------------------


def test_map_links_boxes_to_objectives_and_writes_statuses(card) -> None:
    world, objective, _, _ = card
    from scorecard.strategy.models import ObjectiveLink

    customer = PerspectiveFactory(scorecard=world.scorecard, name="Customer", position=1)
    happy = ObjectiveFactory(perspective=customer, code="happy", name="Happy customers")
    ObjectiveLink.objects.create(cause=happy, effect=objective)
    html = world.client_for("viewer").get(url("strategy_map")).content.decode()
    assert 'href="/o/northwind/s/company/objective/grow/"' in html
    assert re.search(r"Grow revenue: \d+\.\d\u00a0%, (Green|Yellow|Red)", html)
    assert 'marker-end="url(#arrow)"' in html
    assert html.index(">Financial<") < html.index(">Customer<")  # financial on top


# --- KPI page and entry -------------------------------------------------------------------


def test_kpi_page_shows_definition_chart_and_periods(card) -> None:
    world, _, revenue, _ = card
    Target.objects.create(kpi=revenue, period_start=dt.date(2026, 10, 1), value=900,
                          set_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))  # fmt: skip
    html = world.client_for("viewer").get(url("kpi_detail", "revenue")).content.decode()
    assert 'href="/o/northwind/s/company/objective/grow/"><bdi>Grow revenue</bdi></a>' in html
    assert "Maximize (higher is better)" in html and "Monthly" in html
    assert 'role="img" aria-label="History of Revenue' in html  # the chart
    assert "Green zone" in html  # status bands behind the lines
    # Each period's own target: September inherits the default 800, October has 900.
    assert '<th scope="row" class="nowrap">Oct 2026</th>' in html
    assert "900\u00a0€" in html and "800\u00a0€" in html
    assert "Enter or correct a value" not in html  # a viewer


def test_calculated_kpi_page_shows_computed_periods(card) -> None:
    world = card[0]
    html = world.client_for("editor").get(url("kpi_detail", "margin")).content.decode()
    assert "Calculated from its formula" in html
    assert "93.33\u00a0%" in html  # (600 - 40) / 600 in October
    assert "Enter or correct a value" not in html


def test_record_a_value_updates_status_and_objective_and_keeps_history(card) -> None:
    world, _, revenue, _ = card
    client = world.client_for("contributor")
    before = client.get(url("kpi_detail", "revenue")).content.decode()
    assert 'id="kpi-status">Yellow<' in before
    response = client.post(
        url("kpi_record", "revenue"),
        {"period": "2026-10-01", "value": "900", "note": "late invoices"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # the panel only
    assert 'id="kpi-status">Green<' in html  # 900 on 0..1000
    assert 'id="objective-score">' in html and "Saved." in html
    assert "<del" in html and "600\u00a0€" in html  # the earlier value struck through
    rows = Measurement.objects.filter(kpi=revenue, period_start=dt.date(2026, 10, 1))
    assert sorted(rows.values_list("value", flat=True)) == [600, 900]
    assert rows.get(superseded_at__isnull=True).recorded_by == world.contributor


def test_record_without_htmx_redirects_with_a_message(card) -> None:
    world = card[0]
    client = world.client_for("editor")
    response = client.post(url("kpi_record", "cost"), {"period": "2026-09-01", "value": "55"})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Saved the value of Cost for Sep 2026." in html


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"period": "2026-10-15", "value": "1"}, "period", "does not start a monthly period"),
        ({"period": "soon", "value": "1"}, "period", "Choose a period"),
        ({"period": "2030-01-01", "value": "1"}, "period", "has not begun yet"),
        ({"period": "2026-12-01", "value": "1"}, "period", "(today is 2026-11-23)"),
        ({"period": "0001-01-01", "value": "1"}, "period", "outside the years 1900–2199"),
        ({"period": "9999-12-01", "value": "1"}, "period", "outside the years 1900–2199"),
        ({"period": "2026-10-01", "value": "lots"}, "value", "&#x27;lots&#x27; is not a number"),
        ({"period": "2026-10-01", "value": "inf"}, "value", "finite number"),
        ({"period": "2026-10-01", "value": "1e308"}, "value", "too large: numbers go up to"),
        ({"period": "2026-10-01", "value": "-2,000,000,000,000,000"}, "value", "too large"),
        ({"period": "2026-10-01", "value": ""}, "value", "Enter a number"),
        ({"period": "2026-10-01", "value": "1", "note": "x" * 501}, "note", "at most 500"),
    ],
)
def test_record_bad_input_is_shown_next_to_the_field(card, data, field, fragment) -> None:
    world = card[0]
    before = Measurement.objects.count()
    response = world.client_for("contributor").post(
        url("kpi_record", "revenue"), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f'<p class="error" id="{field}-error">' in html and fragment in html
    assert 'aria-invalid="true"' in html
    assert Measurement.objects.count() == before


def test_a_huge_value_kept_from_before_does_not_break_the_kpi_page(card) -> None:
    """1e308 used to be saved; the KPI page, its chart and forecast then failed (500).
    Values that large are refused now, but one stored earlier (or imported) still shows."""
    world, _, revenue, _ = card
    for month in range(1, 9):  # enough history for the health check and the assistant
        MeasurementFactory(kpi=revenue, period_start=dt.date(2026, month, 1), value=1e308)
    client = world.client_for("admin")
    for page in ["kpi_detail", "objective_detail"]:
        code = "revenue" if page == "kpi_detail" else "grow"
        assert client.get(url(page, code)).status_code == 200, page
    for page in ["scorecard_detail", "strategy_map", "scorecard_health", "link_evidence"]:
        assert client.get(url(page)).status_code == 200, page
    assert client.get(url("commentary_panel", "kpi", "revenue")).status_code == 200
    assert client.get(url("commentary_panel", "scorecard", "company")).status_code == 200


def test_the_grid_refuses_a_huge_value(card) -> None:
    world, _, revenue, _ = card
    response = world.client_for("admin").post(url("data_entry"), {f"value-{revenue.pk}": "1e20"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "too large: numbers go up to 1,000,000,000,000,000 either way" in html
    assert not Measurement.objects.filter(value=1e20).exists()


def test_entry_form_offers_the_kpis_periods_and_a_chosen_one(card) -> None:
    world = card[0]
    client = world.client_for("contributor")
    html = client.get(url("kpi_detail", "revenue")).content.decode()
    assert '<option value="2026-10-01" selected>Oct 2026</option>' in html  # last complete
    assert "Nov 2026 (running)" in html
    html = client.get(url("kpi_detail", "revenue") + "?period=2026-09-17").content.decode()
    assert '<option value="2026-09-01" selected>Sep 2026</option>' in html
    html = client.get(url("kpi_detail", "revenue") + "?period=2020-03-01").content.decode()
    assert '<option value="2020-03-01" selected>Mar 2020</option>' in html


# --- data-entry grid ----------------------------------------------------------------------


def test_grid_saves_all_or_nothing(card) -> None:
    world, _, revenue, cost = card
    client = world.client_for("editor")
    before = Measurement.objects.count()
    bad = {f"value-{revenue.pk}": "700", f"value-{cost.pk}": "many", f"note-{revenue.pk}": "ok"}
    response = client.post(url("data_entry"), bad)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Nothing was saved: 1 row needs fixing" in html
    assert f'id="error-{cost.pk}">“many” is not a number.' in html
    assert 'value="700"' in html  # what was typed stays in the form
    assert Measurement.objects.count() == before
    good = {f"value-{revenue.pk}": "700", f"value-{cost.pk}": "35", f"note-{cost.pk}": "audit"}
    response = client.post(url("data_entry"), good)
    assert response.status_code == 302
    current = Measurement.objects.filter(superseded_at__isnull=True, period_start="2026-10-01")
    assert current.get(kpi=revenue).value == 700
    assert current.get(kpi=cost).note == "audit"
    # Corrections keep the earlier values.
    assert Measurement.objects.filter(kpi=revenue, value=600).exclude(superseded_at=None).exists()
    assert "Saved 2 values (2 corrected)." in client.get(response["Location"]).content.decode()


def test_grid_marks_every_bad_cell(card) -> None:
    world, _, revenue, cost = card
    data = {f"value-{revenue.pk}": "1e999", f"value-{cost.pk}": "abc", f"note-{cost.pk}": "x" * 501}
    response = world.client_for("admin").post(url("data_entry"), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "2 rows need fixing" in html
    assert f'id="error-{revenue.pk}">The value must be a finite number.' in html
    assert "“abc” is not a number." in html and "at most 500 characters" in html


def test_grid_prefills_current_values_and_leaves_them_alone(card) -> None:
    world, _, revenue, cost = card
    client = world.client_for("editor")
    html = client.get(url("data_entry")).content.decode()
    assert f'name="value-{revenue.pk}" inputmode="decimal" autocomplete="off" value="600"' in html
    assert "Margin" not in html  # calculated KPIs take no entry
    before = Measurement.objects.count()
    # Posting the form unchanged (values and notes as shown) records nothing new.
    response = client.post(url("data_entry"), {f"value-{revenue.pk}": "600",
                                               f"value-{cost.pk}": "40"})  # fmt: skip
    assert response.status_code == 302
    assert Measurement.objects.count() == before


def test_grid_period_choice(card) -> None:
    world, _, revenue, _ = card
    client = world.client_for("editor")
    html = client.get(url("data_entry")).content.decode()
    assert '<option value="2026-10-31" selected>end of Oct 2026</option>' in html
    html = client.get(url("data_entry") + "?as_of=2026-09-30").content.decode()
    assert '<option value="2026-09-30" selected>' in html
    assert f'name="value-{revenue.pk}" inputmode="decimal" autocomplete="off" value="500"' in html
    response = client.post(url("data_entry") + "?as_of=2026-09-30",
                           {f"value-{revenue.pk}": "510"})  # fmt: skip
    assert response.status_code == 302 and response["Location"].endswith("?as_of=2026-09-30")
    assert Measurement.objects.get(kpi=revenue, period_start="2026-09-01",
                                   superseded_at__isnull=True).value == 510  # fmt: skip
    html = client.get(url("data_entry") + "?as_of=someday").content.decode()
    assert "“someday” is not a date" in html


def test_grid_shows_a_contributor_only_the_kpis_they_update_or_own(card) -> None:
    world, _, revenue, cost = card
    client = world.client_for("contributor")
    html = client.get(url("data_entry")).content.decode()
    assert "><bdi>Revenue</bdi></a>" in html and "><bdi>Cost</bdi></a>" not in html
    # A cell for a KPI that is not theirs is ignored, not saved.
    client.post(url("data_entry"), {f"value-{cost.pk}": "1", f"value-{revenue.pk}": "610"})
    assert not Measurement.objects.filter(kpi=cost, value=1).exists()
    assert Measurement.objects.filter(kpi=revenue, value=610).exists()


# --- escaping -------------------------------------------------------------------------


def test_user_text_is_escaped_on_every_page(card) -> None:
    world, objective, revenue, _ = card
    Kpi.objects.filter(pk=revenue.pk).update(name=XSS, unit="<b>")
    objective.name = XSS
    objective.save()
    Scorecard.objects.filter(pk=world.scorecard.pk).update(vision=XSS, mission=XSS, name=XSS)
    client = world.client_for("editor")
    for address in [url("scorecard_detail"), url("strategy_map"), url("kpi_detail", "revenue"),
                    url("data_entry"), "/"]:  # fmt: skip
        html = client.get(address).content.decode()
        assert XSS not in html and "<b>" not in html, address
        assert "&lt;script&gt;" in html, address


# --- queries ----------------------------------------------------------------------------


def _scorecard_with(world, slug: str, kpi_count: int, months: int = 24) -> None:
    """A scorecard of ``kpi_count`` KPIs in 4 perspectives and 20 objectives, each KPI
    with ``months`` monthly values, built with bulk_create."""
    scorecard = Scorecard.objects.create(
        organization=world.organization, unit=world.unit, name=slug, slug=slug
    )
    perspectives = [PerspectiveFactory(scorecard=scorecard, position=i) for i in range(4)]
    objectives = [
        ObjectiveFactory(perspective=perspectives[i % 4], code=f"{slug}-o{i}") for i in range(20)
    ]
    kpis = Kpi.objects.bulk_create(
        Kpi(
            scorecard=scorecard,
            objective=objectives[i % 20],
            code=f"k{i}",
            name=f"K {i}",
            unit="%",
            minimum=0,
            maximum=100,
            target=80,
            updater=world.editor,
            owner=world.editor,
        )
        for i in range(kpi_count)
    )
    recorded = dt.datetime(2026, 11, 5, tzinfo=dt.UTC)
    Measurement.objects.bulk_create(
        Measurement(kpi=k, period_start=dt.date(2024 + (10 + m) // 12, (10 + m) % 12 + 1, 1),
                    value=(m * 7 + k.pk) % 100, recorded_at=recorded, recorded_by=world.editor)
        for k in kpis
        for m in range(months)
    )  # fmt: skip
    Target.objects.bulk_create(
        Target(kpi=k, period_start=dt.date(2026, 1, 1), value=85, set_at=recorded) for k in kpis
    )


QUERY_PAGES = {
    # page: (address for a scorecard slug, most queries allowed)
    # The full page adds the red-without-an-action-plan alerts (one query). Table and map
    # read the scorecard's "at risk" forecast rule (one query; the forecasts reuse the
    # values the page scored, so a rule that is on costs nothing more).
    "scorecard": (lambda s: f"/o/northwind/s/{s}/", 16),
    "scorecard partial": (lambda s: f"/o/northwind/s/{s}/?view=ytd", 15),
    # The map adds the evidence for its arrows (values of linked KPIs) and unread notices.
    "map": (lambda s: f"/o/northwind/s/{s}/map/", 17),
    "entry grid": (lambda s: f"/o/northwind/s/{s}/entry/", 10),
    # The KPI page adds its why-chain (5), pending values, comments, unread notices, the
    # record that the user opened it (usage, for the health check) and the planning panel
    # (four: target in force, benchmarks, funnels, the risk rule; its forecast reuses the
    # values and targets the page scored).
    "kpi": (lambda s: f"/o/northwind/s/{s}/kpi/k7/", 31),  # + 1: the watch button
    # Home reads the organization's cached evaluation (one query, the data version) for
    # every scorecard's score and the red KPIs, and lists the user's notifications, values
    # waiting for their approval and red KPIs without an action plan; + 1: whether the
    # member chose a dashboard as their home page. The memberships are read once, and the
    # session is written only when the organization looked at changes.
    "home": (lambda s: "/", 15),
}


@pytest.mark.parametrize("page", QUERY_PAGES)
def test_pages_take_a_constant_number_of_queries(world, page) -> None:
    """200 KPIs with 24 months of values take as many queries as 10 KPIs."""
    _scorecard_with(world, "small", 10)
    _scorecard_with(world, "big", 200)
    address, budget = QUERY_PAGES[page]
    client = world.client_for("editor")
    counts = {}
    for slug in ["small", "big"]:
        headers = {"HTTP_HX_REQUEST": "true"} if page == "scorecard partial" else {}
        client.get(address(slug), **headers)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address(slug), **headers)
        assert response.status_code == 200
        counts[slug] = len(queries)
    assert counts["big"] == counts["small"], counts
    assert counts["big"] <= budget, counts


def test_grid_save_takes_a_constant_number_of_queries(world, django_assert_max_num_queries):
    _scorecard_with(world, "big", 200, months=2)
    client = world.client_for("editor")
    kpis = Kpi.objects.filter(scorecard__slug="big")
    data = {f"value-{k.pk}": str(50 + k.pk % 7) for k in kpis}
    # 20 for the save, and a constant 20 more for alerts: the KPIs have an owner, so the
    # status before and after is compared (two scorecard evaluations) and alerts are batched.
    with django_assert_max_num_queries(45):
        response = client.post("/o/northwind/s/big/entry/", data)
    assert response.status_code == 302
    assert Measurement.objects.filter(period_start="2026-10-01").count() >= 200


def test_comments_on_a_kpi(card) -> None:
    from scorecard.reviews.models import Comment

    world = card[0]
    address = url("kpi_comment", "revenue")
    client = world.client_for("contributor")
    client.post(address, {"text": "October lower: <b>two</b> invoices slipped"})
    html = client.get(url("kpi_detail", "revenue")).content.decode()
    assert "two</b>" not in html and "&lt;b&gt;two&lt;/b&gt; invoices slipped" in html
    assert "Write something" in client.post(address, {"text": "  "}, follow=True).content.decode()
    assert world.client_for("viewer").post(address, {"text": "hi"}).status_code == 403
    assert world.client_for("outsider").post(address, {"text": "hi"}).status_code == 404
    assert Comment.objects.count() == 1


def test_large_ids_are_not_written_with_thousands_separators(card) -> None:
    """A KPI id of 12345 must stay "12345" in form field names, or the grid cannot be saved."""
    world, objective, *_ = card
    big = KpiFactory(pk=12345, objective=objective, code="big", name="Big", minimum=0, maximum=9)
    response = world.client_for("editor").post(url("data_entry"), {f"value-{big.pk}": "5"})
    assert response.status_code == 302
    assert Measurement.objects.filter(kpi=big, value=5).exists()
    html = world.client_for("editor").get(url("data_entry")).content.decode()
    assert 'name="value-12345"' in html
