"""Commentary in words for the demo company: the numbers in the text are the engine's.

For a red, a green, a stale and a no-data KPI the test computes every figure the text
should state straight from the engine (the scored page and the forecast of the KPI
page) and checks that the text states each of them and no other number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from scorecard.audit.models import Change
from scorecard.commentary.models import Commentary
from scorecard.commentary.selectors import scorecard_facts
from scorecard.engine import evidence as ev
from scorecard.interchange.services import DEMO_FILE, document_load_file
from scorecard.kpis.models import Kpi
from scorecard.kpis.scorecard_selectors import scorecard_page
from scorecard.organizations.models import Membership
from scorecard.planning.selectors import kpi_forecast
from scorecard.presentation.commentary import kpi_text, node_text, numbers_in, unknown_numbers
from scorecard.presentation.numbers import format_number, pct
from scorecard.presentation.planning import chance_text
from scorecard.strategy.models import Scorecard

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def company(settings: Any) -> Scorecard:
    settings.SCORECARD_TODAY = TODAY.isoformat()
    document_load_file(DEMO_FILE)
    company = Scorecard.objects.get(organization__slug="northwind", slug="company")
    # A KPI nobody has entered a value for yet (the demo's KPIs all have some).
    revenue = Kpi.objects.get(scorecard=company, code="revenue")
    Kpi.objects.create(
        scorecard=company, objective=revenue.objective, code="repeat_buyers",
        name="Repeat buyers", unit="%", baseline=10, target=30, owner=revenue.owner,
        time_aggregation="average",
    )  # fmt: skip
    return company


def engine_figures(company: Scorecard, code: str) -> tuple[Any, list[str]]:
    """The KPI's result and the figures the commentary must state, from the engine."""
    page = scorecard_page(scorecard=company, as_of=TODAY, view="period")
    result = page.result.kpis[code]
    assert page.input is not None
    kpi_input = next(k for k in page.input.kpis if k.spec.code == code)
    values = ev.kpi_values(page.input, TODAY).get(code, {})
    forecast = kpi_forecast(kpi_input, values, as_of=TODAY, fy=1, current_target=result.target)
    unit = result.unit
    figures = []
    if result.value is not None:
        figures += [format_number(result.value, unit)]
        if result.previous_value is not None:
            figures += [format_number(result.previous_value, unit)]
            diff = abs(result.value - result.previous_value)
            if unit == "%":  # a percentage moves in points
                figures += [format_number(diff) + "\u00a0points"]
            else:
                figures += [format_number(diff, unit), pct(diff / abs(result.previous_value))]
    if result.target is not None:
        figures += [format_number(result.target, unit)]
    if result.performance is not None:
        figures += [pct(result.performance)]
    if forecast.points:
        point = forecast.points[0]
        figures += [format_number(n, unit) for n in (point.value, point.low, point.high)]
        figures += [format_number(point.target, unit), chance_text(forecast.chance)]
    return (result, forecast), figures


def facts_of(company: Scorecard) -> Any:
    page = scorecard_page(scorecard=company, as_of=TODAY, view="period")
    return scorecard_facts(page=page, as_of=TODAY)


def assert_same_numbers(text: str, figures: list[str], extra: list[str] = ()) -> None:
    for figure in figures:
        assert figure in text, (figure, text)
    allowed = {n for f in [*figures, *extra] for n in numbers_in(f)}
    stray = [n for n in numbers_in(text) if n not in allowed]
    assert not stray, (stray, text)


def test_a_red_kpi_reads_with_the_engines_numbers(company: Scorecard) -> None:
    (result, _), figures = engine_figures(company, "days_sales_outstanding")
    assert result.status == "red"
    text = kpi_text(facts_of(company).kpis["days_sales_outstanding"])
    assert_same_numbers(text, figures, ["Oct 2026", "Nov 2026", "80 % range"])
    assert text.startswith(
        "Days sales outstanding was 62\u00a0days in Oct 2026, up 2\u00a0days (3.3\u00a0%) "
        "from 60\u00a0days. That is a deterioration. Against the target of 45\u00a0days it is red "
        "(score 22.9\u00a0%)."
    )
    assert "a chance of under 1\u00a0% of meeting the target of 45\u00a0days" in text
    assert text.endswith("Marc Dubois owns it; no initiative serves it yet.")


def test_a_green_kpi_reads_with_the_engines_numbers(company: Scorecard) -> None:
    (result, forecast), figures = engine_figures(company, "gross_margin")
    assert result.status == "green"
    text = kpi_text(facts_of(company).kpis["gross_margin"])
    assert_same_numbers(text, figures, ["Oct 2026", "Nov 2026", "80 % range", "review 2027"])
    # A percentage moves in points, not in a percentage of itself.
    assert "down 0.176\u00a0points from 47.45\u00a0%" in text
    assert f"a chance of {chance_text(forecast.chance)} of meeting" in text
    assert "“Price and range review 2027” (active)" in text


def test_a_stale_kpi_says_so_and_quotes_its_latest_value(company: Scorecard) -> None:
    (result, _), figures = engine_figures(company, "supplier_audit_score")
    assert result.value is None
    facts = facts_of(company).kpis["supplier_audit_score"]
    assert facts.stale
    text = kpi_text(facts)
    assert text.startswith(
        "Supplier audit score has no value for Oct 2026; the latest is 73\u00a0points for "
        "May 2026. It is stale: the next value is overdue."
    )
    assert_same_numbers(text, figures, ["73 points", "Oct 2026", "May 2026", "Nov 2026", "80 %"])


def test_a_kpi_without_values_says_there_is_nothing_to_compare(company: Scorecard) -> None:
    (result, forecast), _ = engine_figures(company, "repeat_buyers")
    assert result.status == "no_data" and not forecast.points
    text = kpi_text(facts_of(company).kpis["repeat_buyers"])
    assert text.startswith(
        "Repeat buyers has no values yet, so it cannot be compared with the target of 30\u00a0%."
    )
    assert numbers_in(text) == ["30", "2027"]  # the target, and the initiative's name


def test_objectives_perspectives_and_the_scorecard_quote_their_scores(
    company: Scorecard,
) -> None:
    page = scorecard_page(scorecard=company, as_of=TODAY, view="period")
    facts = scorecard_facts(page=page, as_of=TODAY)
    cash = facts.objectives["healthy-cash"]
    text = node_text(cash)
    assert text.startswith(
        f"Keep cash healthy scores {pct(page.result.objectives['healthy-cash'].score)}"
    )
    assert "(red: Days sales outstanding)" in text
    assert "The largest move: Operating cash flow" in text
    whole = node_text(facts.scorecard)
    assert whole.startswith(f"Northwind Outdoor 2027 scores {pct(page.result.score)}")
    assert "Of its 4 perspectives" in whole
    # Deterministic: the same numbers give the same words.
    again = scorecard_facts(
        page=scorecard_page(scorecard=company, as_of=TODAY, view="period"), as_of=TODAY
    )
    assert node_text(again.scorecard) == whole
    assert kpi_text(again.kpis["revenue"]) == kpi_text(facts.kpis["revenue"])


def test_the_rewrite_check_rejects_any_number_not_in_the_input() -> None:
    source = "Revenue was 1,978,000 € in Oct 2026, down 117,000 € (5.6 %) from 2,095,000 €."
    assert unknown_numbers(source, "In Oct 2026 revenue fell by 117,000 € to 1,978,000 €.") == []
    assert unknown_numbers(source, "Revenue fell by 117,000 € (6 %).") == ["6"]
    assert unknown_numbers(source, "Revenue reached 1,987,000 €.") == ["1987000"]
    assert unknown_numbers(source, "Revenue fell.") == []


def client_for(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_pages_load_the_commentary_and_the_owner_edits_it_with_history(
    company: Scorecard,
) -> None:
    kpi = Kpi.objects.get(scorecard=company, code="days_sales_outstanding")
    owner = kpi.owner
    membership = Membership.objects.get(user=owner, organization=company.organization)
    base = "/o/northwind/s/company/"
    url = f"{base}commentary/kpi/days_sales_outstanding/"
    viewer = Membership.objects.filter(organization=company.organization, role="viewer").first()
    reader = client_for(viewer.user.username)
    for page, subject in [
        (f"{base}kpi/days_sales_outstanding/", url),
        (base, f"{base}commentary/scorecard/company/"),
        (f"{base}objective/healthy-cash/", f"{base}commentary/objective/healthy-cash/"),
    ]:
        html = reader.get(page).content.decode()
        assert f'hx-get="{subject}' in html, page
    shown = reader.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Days sales outstanding was 62\u00a0days in Oct 2026" in shown
    assert "Edit for Oct 2026" not in shown  # a viewer reads
    assert reader.post(url, {"text": "Mine."}).status_code == 403

    writer = client_for(owner.username)
    assert membership.role != "viewer"
    answer = writer.post(
        url, {"text": "DSO rose to 62 days: two big retailers paid late."}, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 200
    assert "two big retailers paid late" in answer.content.decode()
    row = Commentary.objects.get(scorecard=company, subject="kpi", key="days_sales_outstanding")
    assert (row.period_start, row.period_end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert "Days sales outstanding was 62" in row.generated
    writer.post(url, {"text": "DSO rose to 62 days: three retailers paid late."})
    shown = reader.get(url).content.decode()
    assert "three retailers paid late" in shown and "Edited by" in shown
    # An older month keeps its own (generated) text.
    older = reader.get(url + "?as_of=2026-10-15").content.decode()
    assert "three retailers" not in older
    # An empty text returns to the generated one; every step stays in the history.
    writer.post(url, {"text": ""})
    assert not Commentary.objects.exists()
    history = Change.objects.filter(kind="commentary").order_by("at", "id")
    assert [c.action for c in history] == ["created", "changed", "deleted"]
    assert history[1].before["text"].endswith("two big retailers paid late.")
    shown = reader.get(url).content.decode()
    assert "Days sales outstanding was 62" in shown and "History (3)" in shown
    history_page = reader.get(f"{base}history/")
    assert history_page.status_code == 200
    assert "Commentary on kpi days_sales_outstanding" in history_page.content.decode()


def test_bad_commentary_input_is_explained(company: Scorecard) -> None:
    admin = Membership.objects.filter(organization=company.organization, role="admin").first()
    client = client_for(admin.user.username)
    url = "/o/northwind/s/company/commentary/kpi/revenue/"
    answer = client.post(url, {"text": "x" * 4001})
    assert answer.status_code == 422
    assert "4,001 characters long; at most 4,000 are kept" in answer.content.decode()
    assert client.get("/o/northwind/s/company/commentary/kpi/nothing/").status_code == 404
    assert client.get("/o/northwind/s/company/commentary/planet/x/").status_code == 404
    assert not Commentary.objects.exists()
