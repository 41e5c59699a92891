"""Planning pages driven by real requests with every persona: funnels, the target
assistant and benchmarks on the KPI page, what-if (which never writes), goal seek,
levers turned into objectives, the "at risk" rule, evidence, and query counts."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.core.cache import cache

from scorecard.kpis.models import Kpi, Measurement, Target
from scorecard.planning import services
from scorecard.planning.models import Benchmark, ForecastRule, Funnel
from scorecard.strategy.models import Objective, ObjectiveLink
from scorecard.strategy.services import link_create
from tests.factories import KpiFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["admin", "editor", "contributor", "viewer", "outsider", "anonymous"]
READ = [200, 200, 200, 200, 404, 302]
EDIT = [200, 200, 403, 403, 404, 302]
XSS = "<script>alert(1)</script>"


def _pages(s):
    pk = s.funnel.pk
    return {
        "planning": (s.url("planning_home"), READ),
        "funnel": (s.url("funnel_detail", pk), READ),
        "funnel new": (s.url("funnel_new"), EDIT),
        "funnel edit": (s.url("funnel_edit", pk), EDIT),
        "what-if": (s.url("whatif"), READ),
        "evidence": (s.url("link_evidence"), READ),
        "kpi with assistant": (s.url("kpi_detail", "signups"), READ),
    }


PAGE_NAMES = ["planning", "funnel", "funnel new", "funnel edit", "what-if", "evidence",
              "kpi with assistant"]  # fmt: skip


@pytest.mark.parametrize(("page", "persona"), list(itertools.product(PAGE_NAMES, PERSONAS)))
def test_get_access_matrix(sales, page: str, persona: str) -> None:
    address, expected = _pages(sales)[page]
    response = sales.world.client_for(persona).get(address)
    assert response.status_code == expected[PERSONAS.index(persona)]


def _state() -> tuple:
    """Everything a planning action could change, to compare before and after."""
    return (
        sorted(Measurement.objects.values_list("kpi_id", "period_start", "value")),
        sorted(Target.objects.values_list("kpi_id", "period_start", "value", "provenance")),
        sorted(Kpi.objects.values_list("code", "target", "weight")),
        Objective.objects.count(),
        sorted(Funnel.objects.values_list("name", flat=True)),
        Benchmark.objects.count(),
        ForecastRule.objects.count(),
    )


def _posts(s):
    benchmark = services.benchmark_add(
        kpi=s.kpis["deals"], value=4, source="Peers", as_of=dt.date(2026, 6, 30)
    )
    return [
        (s.url("forecast_rule"), {"at_risk_below": "40"}),
        (s.url("funnel_new"), {"name": "New", "stage-0": s.kpis["visitors"].pk,
                               "stage-1": s.kpis["deals"].pk}),
        (s.url("funnel_edit", s.funnel.pk), {"name": "Renamed", "stage-0": s.kpis["visitors"].pk,
                                             "stage-1": s.kpis["deals"].pk}),
        (s.url("funnel_lever", s.funnel.pk), {"position": 1, "current_rate": 0.045,
                                              "new_rate": 0.055, "note": "n"}),
        (s.url("kpi_target_accept", "deals"), {"value": "3.5", "period": "2026-11-01",
                                               "provenance": "history", "note": "n"}),
        (s.url("benchmark_add", "deals"), {"value": "5", "source": "S", "as_of": "2026-01-31"}),
        (s.url("benchmark_delete", "deals", benchmark.pk), {}),
        (s.url("funnel_delete", s.funnel.pk), {}),
    ]  # fmt: skip


@pytest.mark.parametrize("persona", ["contributor", "viewer", "outsider", "anonymous"])
def test_only_editors_write_and_others_change_nothing(sales, persona: str) -> None:
    posts = _posts(sales)
    before = _state()
    client = sales.world.client_for(persona)
    expected = {"contributor": 403, "viewer": 403, "outsider": 404, "anonymous": 302}[persona]
    for address, data in posts:
        assert client.post(address, data).status_code == expected, address
    assert _state() == before


@pytest.mark.parametrize("persona", ["admin", "editor"])
def test_editors_write(sales, persona: str) -> None:
    client = sales.world.client_for(persona)
    for address, data in _posts(sales):
        response = client.post(address, data)
        assert response.status_code == 302, (address, response.content[:500])
    assert ForecastRule.objects.get().at_risk_below == pytest.approx(0.4)
    assert list(Funnel.objects.values_list("name", flat=True)) == ["New"]
    assert Objective.objects.filter(name__startswith="Raise conversion").count() == 1
    assert Target.objects.filter(kpi=sales.kpis["deals"], provenance="history").exists()


def test_reads_do_not_accept_posts_that_write(sales) -> None:
    client = sales.world.client_for("admin")
    assert client.get(sales.url("funnel_delete", sales.funnel.pk)).status_code == 405
    assert client.get(sales.url("forecast_rule")).status_code == 405
    assert Funnel.objects.count() == 1


def test_another_organizations_funnel_is_not_found(sales) -> None:
    from tests.factories import ScorecardFactory

    other_card = ScorecardFactory(organization=sales.world.other_organization, slug="company")
    kpis = [
        KpiFactory(objective=ObjectiveFactory(perspective__scorecard=other_card), unit="")
        for _ in range(2)
    ]
    theirs = services.funnel_create(scorecard=other_card, name="Theirs", kpis=kpis)
    client = sales.world.client_for("admin")
    assert client.get(sales.url("funnel_detail", theirs.pk)).status_code == 404
    assert client.post(sales.url("funnel_delete", theirs.pk)).status_code == 404
    assert Funnel.objects.filter(pk=theirs.pk).exists()


# --- the funnel page ---------------------------------------------------------------------


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_funnel_page_shows_stage_targets_levers_and_attribution(sales) -> None:
    response = sales.world.client_for("viewer").get(sales.url("funnel_detail", sales.funnel.pk))
    text = _text(response)
    assert response.status_code == 200
    # Stage targets: 3 deals at today's rates need 30 leads, 300 sign-ups, 6,667 visitors.
    targets = re.findall(r'class="num stage-target">([^<]*)<', text)
    assert targets == ["6,667", "300", "30", "3"]
    assert 'id="funnel-result">2.7<' in text and 'id="funnel-target">3<' in text
    assert "Work on numbers" in text and "Work on conversion" in text
    # Levers: a chart and a table, strongest (lowest rate) first.
    assert "<svg" in text and "Visitors → Signups" in text
    # Attribution: +0.43 from visitors, +0.27 from the sign-up rate, total 0.7.
    parts = re.findall(r'class="num part">([^<]*)<', text)
    assert parts == ["+0.425", "+0.275", "0", "0"]
    assert "Sep 2026" in text and "Oct 2026" in text
    # Viewers see no buttons that write.
    assert "Make it an objective" not in text and "Edit funnel" not in text


def test_funnel_page_with_a_target_steps_and_an_earlier_period(sales) -> None:
    for code, value in {"visitors": 4000, "signups": 160, "leads": 16, "deals": 1.6}.items():
        Measurement.objects.create(
            kpi=sales.kpis[code], period_start=dt.date(2026, 8, 1), value=value,
            recorded_at=dt.datetime(2026, 9, 3, tzinfo=dt.UTC),
        )  # fmt: skip
    client = sales.world.client_for("editor")
    url = sales.url("funnel_detail", sales.funnel.pk)
    text = _text(
        client.get(url, {"target": "5.4", "points": "2", "relative": "50", "compare": "2026-08-31"})
    )
    assert 'id="funnel-target">5.4<' in text and "(yours)" in text
    assert 'id="funnel-change">1.1<' in text and "Aug 2026" in text
    assert 'value="2026-08-31" selected' in text
    assert "Make it an objective" in text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"target": "lots"}, "is not a number; using the KPI"),
        ({"target": "-3"}, "must be above zero"),
        ({"points": "200"}, "between 0 and 100"),
        ({"relative": "x"}, "is not a number"),
        ({"compare": "yesterday"}, "is not a date"),
        ({"compare": "2027-01-31"}, "Compare with a period before"),
        ({"as_of": "soon"}, "is not a date"),
    ],
)
def test_funnel_page_bad_parameters_are_explained(sales, params, message) -> None:
    response = sales.world.client_for("viewer").get(
        sales.url("funnel_detail", sales.funnel.pk), params
    )
    assert response.status_code == 200
    assert message in _text(response)


def test_funnel_page_says_what_it_cannot_work_out(sales) -> None:
    Measurement.objects.filter(kpi=sales.kpis["leads"]).update(value=0)
    text = _text(sales.world.client_for("viewer").get(sales.url("funnel_detail", sales.funnel.pk)))
    assert "must be above zero" in text and "No levers" in text


def test_funnel_form_creates_and_refuses_bad_input(sales) -> None:
    client = sales.world.client_for("editor")
    k = sales.kpis
    bad = [
        ({"name": "", "stage-0": k["visitors"].pk, "stage-1": k["deals"].pk}, "needs a name"),
        ({"name": "X", "stage-0": k["visitors"].pk}, "at least two stages"),
        ({"name": "X", "stage-0": k["visitors"].pk, "stage-1": 999999}, "Choose KPIs"),
        ({"name": "X", "stage-0": k["visitors"].pk, "stage-1": k["visitors"].pk}, "twice"),
        ({"name": "Sales funnel", "stage-0": k["visitors"].pk, "stage-1": k["deals"].pk},
         "already has a funnel"),
        ({"name": "X", "stage-0": k["visitors"].pk, "stage-1": k["deals"].pk, "cost-1": "abc"},
         "not a number"),
        ({"name": XSS, "stage-0": k["visitors"].pk, "stage-1": k["visitors"].pk}, "twice"),
    ]  # fmt: skip
    for data, message in bad:
        response = client.post(sales.url("funnel_new"), data)
        assert response.status_code == 422, data
        assert message in _text(response), (data, message)
        assert XSS not in response.content.decode()
    assert Funnel.objects.count() == 1
    response = client.post(
        sales.url("funnel_new"),
        {"name": "Short", "stage-0": k["signups"].pk, "stage-1": k["deals"].pk, "cost-1": "1,500"},
    )
    funnel = Funnel.objects.get(name="Short")
    assert response.status_code == 302 and response["Location"].endswith(f"/{funnel.pk}/")
    assert list(funnel.stages.values_list("kpi__code", "cost")) == [
        ("signups", None), ("deals", 1500),
    ]  # fmt: skip


def test_best_lever_becomes_an_objective_with_kpi_and_target(sales) -> None:
    client = sales.world.client_for("editor")
    page = _text(client.get(sales.url("funnel_detail", sales.funnel.pk)))
    form = re.search(r'<form method="post" action="([^"]+/lever/)">(.*?)</form>', page)
    assert form is not None and 'id="best-lever"' in form.group(2)
    data = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(2)))
    assert data["position"] == "1"  # the sign-up rate (4.5 %) is the weakest
    response = client.post(form.group(1), data)
    kpi = Kpi.objects.get(code="visitors_to_signups_rate")
    assert response.status_code == 302 and response["Location"].endswith("/kpi/" + kpi.code + "/")
    assert kpi.formula == "signups / visitors * 100" and kpi.unit == "%"
    assert kpi.baseline == pytest.approx(4.5) and kpi.target == pytest.approx(5.5)
    assert kpi.objective.name == "Raise conversion from Visitors to Signups"
    assert kpi.objective.perspective == sales.internal
    target = Target.objects.get(kpi=kpi)
    assert target.provenance == "chain" and target.value == pytest.approx(5.5)
    assert target.period_start == dt.date(2026, 11, 1) and "Funnel" in target.note
    # A lever that makes no sense is refused with a message, nothing added.
    count = Objective.objects.count()
    bad = client.post(form.group(1), {**data, "new_rate": "0.01"}, follow=True)
    assert "must be above today" in _text(bad) and Objective.objects.count() == count
    bad = client.post(form.group(1), {"position": "x"}, follow=True)
    assert "Choose a lever" in _text(bad) and Objective.objects.count() == count


# --- the KPI page: assistant, benchmarks, forecast ---------------------------------------


def test_kpi_page_proposes_targets_with_their_basis_and_warnings(sales) -> None:
    services.benchmark_add(
        kpi=sales.kpis["signups"], value=320, source="Dealer survey", as_of=dt.date(2026, 6, 30),
        percentile=75,
    )  # fmt: skip
    response = sales.world.client_for("editor").get(
        sales.url("kpi_detail", "signups"), {"growth_end": "540", "growth_years": "1"}
    )
    text = _text(response)
    for label in ["Average", "Best period", "Trend", "Benchmark", "Conversion chain",
                  "Growth path"]:  # fmt: skip
        assert f'<th scope="row">{label}</th>' in text, label
    assert "75th percentile of peers, Dealer survey, 30 Jun 2026" in text
    assert "g = 100.00% a year" in text
    assert "Only 2 past values: targets from history need at least 5" in text
    assert "fewer than 5 make a shaky basis" in text
    assert text.count('name="provenance" value="chain"') == 1
    assert "Accept" in text


def test_own_number_is_checked_against_history(sales) -> None:
    for month, value in zip(range(3, 9), [250, 260, 240, 255, 262, 248], strict=True):
        Measurement.objects.create(
            kpi=sales.kpis["signups"], period_start=dt.date(2026, month, 1), value=value,
            recorded_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        )  # fmt: skip
    client = sales.world.client_for("viewer")
    text = _text(client.get(sales.url("kpi_detail", "signups"), {"check": "900"}))
    assert "Your number" in text and "Outside the usual range" in text
    assert "More than 20 % past the best value ever (270)" in text
    assert "fewer than 5" not in text  # 8 values now
    text = _text(client.get(sales.url("kpi_detail", "signups"), {"check": "260"}))
    assert "Within the range of history" in text
    text = _text(client.get(sales.url("kpi_detail", "signups"), {"check": "many"}))
    assert "“many” is not a number." in text


def test_accepting_a_target_records_its_provenance(sales) -> None:
    client = sales.world.client_for("editor")
    response = client.post(
        sales.url("kpi_target_accept", "deals"),
        {"value": "3.2", "period": "2026-11-01", "provenance": "history", "note": "Trend: x."},
        follow=True,
    )
    target = Target.objects.get(kpi=sales.kpis["deals"], period_start=dt.date(2026, 11, 1))
    assert (target.value, target.provenance, target.note) == (3.2, "history", "Trend: x.")
    assert target.set_by == sales.world.editor
    text = _text(response)
    assert "Target of Deals from Nov 2026 on: 3.2 (history / experience)" in text
    # The October target stays a first guess, but it has been replaced from November on.
    assert "Then <strong>3.2</strong> from Nov 2026" in text and 'id="zero-target"' not in text


def test_zero_target_is_flagged_on_the_kpi_page_until_replaced(sales) -> None:
    client = sales.world.client_for("viewer")
    text = _text(client.get(sales.url("kpi_detail", "deals")))
    assert "Zero-target (first guess, to review)" in text
    services.target_accept(
        kpi=sales.kpis["deals"], period_start=dt.date(2026, 10, 1), value=3,
        provenance="benchmark", note="peers",
    )  # fmt: skip
    text = _text(client.get(sales.url("kpi_detail", "deals")))
    assert "Zero-target" not in text.split('id="h-assistant"')[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "", "period": "2026-11-01", "provenance": "history"}, "Give the target"),
        ({"value": "abc", "period": "2026-11-01", "provenance": "history"}, "as a number"),
        ({"value": "3", "period": "someday", "provenance": "history"}, "choose a period"),
        ({"value": "3", "period": "2026-11-01", "provenance": "magic"}, "provenance"),
    ],
)
def test_bad_target_acceptance_says_why_and_saves_nothing(sales, data, message) -> None:
    before = _state()
    response = sales.world.client_for("editor").post(
        sales.url("kpi_target_accept", "deals"), data, follow=True
    )
    assert message.lower() in _text(response).lower()
    assert _state() == before


def test_benchmark_library_add_and_remove(sales) -> None:
    client = sales.world.client_for("editor")
    url = sales.url("benchmark_add", "deals")
    response = client.post(
        url,
        {"value": "1,200", "percentile": "75", "source": XSS, "as_of": "2026-06-30",
         "note": "top quartile"},
        follow=True,
    )  # fmt: skip
    benchmark = Benchmark.objects.get()
    assert (benchmark.value, benchmark.percentile, benchmark.as_of) == (
        1200, 75, dt.date(2026, 6, 30),
    )  # fmt: skip
    assert benchmark.added_by == sales.world.editor
    html = response.content.decode()
    assert XSS not in html and "&lt;script&gt;" in html and "75th" in html
    response = client.post(sales.url("benchmark_delete", "deals", benchmark.pk), follow=True)
    assert "Removed the benchmark" in _text(response) and not Benchmark.objects.exists()
    assert client.post(sales.url("benchmark_delete", "deals", benchmark.pk)).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "", "source": "S", "as_of": "2026-01-31"}, "is not a number"),
        ({"value": "x", "source": "S", "as_of": "2026-01-31"}, "“<bdi>x</bdi>” is not a number"),
        ({"value": "5", "source": "", "as_of": "2026-01-31"}, "Say where the benchmark"),
        ({"value": "5", "source": "S", "as_of": "last year"}, "Give the date"),
        ({"value": "5", "source": "S", "as_of": "2026-01-31", "percentile": "150"},
         "between 0 and 100"),
        ({"value": "5", "source": "S" * 301, "as_of": "2026-01-31"}, "at most 300"),
    ],
)  # fmt: skip
def test_bad_benchmarks_are_refused_with_a_clear_message(sales, data, message) -> None:
    response = sales.world.client_for("editor").post(
        sales.url("benchmark_add", "deals"), data, follow=True
    )
    text = _text(response)
    assert "The benchmark was not saved" in text and message in text
    assert not Benchmark.objects.exists()


def test_forecast_band_chance_and_at_risk_on_the_kpi_page(sales) -> None:
    for month, value in [(6, 1.5), (7, 2.2), (8, 1.9)]:
        Measurement.objects.create(
            kpi=sales.kpis["deals"], period_start=dt.date(2026, month, 1), value=value,
            recorded_at=dt.datetime(2026, 9, 3, tzinfo=dt.UTC),
        )  # fmt: skip
    client = sales.world.client_for("editor")
    text = _text(client.get(sales.url("kpi_detail", "deals")))
    assert 'id="h-forecast"' in text and "Chance of meeting the target of 3" in text
    assert re.search(r"likely between [\d.]+ and [\d.]+ \(80 %\)", text)
    assert re.search(r'id="chance">(under |over )?\d+ %<', text), text[text.find("chance") :][:200]
    # Under the chart too, with the shaded range.
    assert re.search(r'id="chart-chance">(under |over )?\d+ %<', text)
    assert "(the shaded 80 % range)" in text
    assert "forecast and its 80 % range" in text  # the chart with the band
    assert 'id="at-risk"' not in text
    response = client.post(sales.url("forecast_rule"), {"at_risk_below": "99"}, follow=True)
    assert "below 99% are now marked at risk" in _text(response)
    text = _text(client.get(sales.url("kpi_detail", "deals")))
    assert 'id="at-risk"' in text and "At risk below 99" in text
    client.post(sales.url("forecast_rule"), {"at_risk_below": ""})
    assert not ForecastRule.objects.exists()
    response = client.post(sales.url("forecast_rule"), {"at_risk_below": "120"}, follow=True)
    assert "between 1 and 99 percent" in _text(response) and not ForecastRule.objects.exists()


# --- what-if, goal seek, sensitivity -----------------------------------------------------


def test_what_if_recomputes_and_changes_nothing_stored(sales) -> None:
    before = _state()
    client = sales.world.client_for("viewer")
    base = _text(client.get(sales.url("whatif")))
    assert "no changes yet" in base
    params = {"v-deals": "3.5", "t-visitors": "5,000", "w-deals": "4"}
    text = _text(client.get(sales.url("whatif"), params))
    assert 'id="whatif-score">' in text and "Objectives and perspectives" in text
    assert 'value="3.5"' in text and 'value="5,000"' in text
    # The same changes sent as a form post write nothing either.
    client.post(sales.url("whatif"), params)
    assert _state() == before
    # And every page still reads the stored numbers.
    assert "no changes yet" in _text(client.get(sales.url("whatif")))


def test_what_if_bad_numbers_are_named(sales) -> None:
    text = _text(
        sales.world.client_for("viewer").get(sales.url("whatif"), {"v-deals": "x", "w-leads": "0"})
    )
    assert "“x” is not a number." in text and "A weight must be above zero." in text


def test_goal_seek_answers_with_a_value(sales) -> None:
    client = sales.world.client_for("viewer")
    text = _text(
        client.get(sales.url("whatif"), {"seek_kpi": "deals", "seek_node": "objective:win"})
    )
    assert 'id="seek-answer"' in text
    assert re.search(r"Deals needs to be <strong>at least [\d.,]+</strong>", text) or (
        "Not reachable" in text or "Already green" in text
    )
    text = _text(client.get(sales.url("whatif"), {"seek_kpi": "nope", "seek_node": "objective:x"}))
    assert 'role="alert"' in text


def test_sensitivity_lists_kpis(sales) -> None:
    text = _text(sales.world.client_for("viewer").get(sales.url("whatif")))
    assert "Which KPIs move the scorecard most" in text
    assert re.search(
        r'<th scope="row"><bdi>Visitors</bdi></th><td class="num">[^<]+</td>'
        r'<td class="num">\+',
        text,
    )


# --- evidence ----------------------------------------------------------------------------


def test_evidence_page_and_map_marks(sales) -> None:
    other = ObjectiveFactory(perspective=sales.internal, code="grow", name=XSS)
    KpiFactory(objective=other, code="growth", indicator="leading")
    link_create(cause=other, effect=sales.objective)
    client = sales.world.client_for("viewer")
    response = client.get(sales.url("link_evidence"))
    html = response.content.decode()
    assert response.status_code == 200 and "Untested" in html and XSS not in html
    svg = client.get(sales.url("strategy_map")).content.decode()
    assert 'class="link untested"' in svg


# --- query counts ------------------------------------------------------------------------


def _grow(s, n: int) -> None:
    """Add ``n`` volume KPIs with history, ``n`` funnels and ``n`` links."""
    objectives = []
    for i in range(n):
        objective = ObjectiveFactory(perspective=s.internal, code=f"o{i}", name=f"O{i}")
        objectives.append(objective)
        kpi = KpiFactory(objective=objective, code=f"k{i}", unit="", minimum=0, maximum=None,
                         target=100, time_aggregation="sum", indicator="leading")  # fmt: skip
        for month in (9, 10):
            Measurement.objects.create(
                kpi=kpi, period_start=dt.date(2026, month, 1), value=50 + i + month,
                recorded_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
            )  # fmt: skip
        services.funnel_create(scorecard=s.scorecard, name=f"F{i}", kpis=[kpi, s.kpis["deals"]])
        link_create(cause=objective, effect=s.objective)
    assert ObjectiveLink.objects.count() == n


@pytest.mark.parametrize(
    ("name", "args", "limit"),
    [
        ("planning_home", (), 6),
        ("funnel_detail", ("FUNNEL",), 12),
        ("whatif", (), 11),
        ("link_evidence", (), 9),
        ("strategy_map", (), 17),
        ("kpi_detail", ("signups",), 31),
    ],
)
def test_pages_take_a_constant_number_of_queries(
    sales, django_assert_max_num_queries, name, args, limit
) -> None:
    args = tuple(sales.funnel.pk if a == "FUNNEL" else a for a in args)
    client = sales.world.client_for("viewer")
    client.get(sales.url(name, *args))  # warm up (session, content types)
    cache.clear()  # both requests score afresh (scores are cached per data version)
    with django_assert_max_num_queries(limit) as small:
        assert client.get(sales.url(name, *args)).status_code == 200
    _grow(sales, 12)
    cache.clear()
    with django_assert_max_num_queries(limit) as large:
        assert client.get(sales.url(name, *args), {"seek_kpi": "deals"}).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries), name


def test_levers_with_costs_say_what_one_more_result_costs(sales) -> None:
    from scorecard.planning.models import FunnelStage

    # Cost of one point into each stage: 100, 50, 10 (the first stage has none).
    for position, cost in [(1, 100), (2, 50), (3, 10)]:
        FunnelStage.objects.filter(funnel=sales.funnel, position=position).update(cost=cost)
    text = _text(
        sales.world.client_for("viewer").get(
            sales.url("funnel_detail", sales.funnel.pk), {"points": "2"}
        )
    )
    assert "Ranked by cost" in text and "Cost of +2 point(s)" in text
    # +2 points into deals (10 % → 12 %) adds 0.54 deals for 2 × 10: 37.04 a deal,
    # into leads the same gain for 2 × 50, into sign-ups 2.7·(6.5/4.5 − 1) = 1.2 for 200.
    costs = re.findall(r'class="num cost-per-gain">([^<]*)<', text)
    assert costs == ["37.04", "166.7", "185.2"], costs
