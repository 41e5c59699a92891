"""Funnels and benchmarks in scorecard documents, and the demo company's sales funnel."""

from __future__ import annotations

import datetime as dt

import pytest

from scorecard.interchange.document import DocumentError, parse_document
from scorecard.interchange.services import DEMO_FILE, document_load, document_load_file
from scorecard.planning import selectors
from scorecard.planning.models import Benchmark, Funnel
from tests.interchange.documents import card, kpi, mutate

FUNNEL = {"name": "Sales to cost", "stages": ["sales", "cost"], "costs": [None, 50]}


def _with_funnel(d):
    card(d)["funnels"] = [dict(FUNNEL)]
    kpi(d)["benchmarks"] = [
        {"value": 90, "percentile": 75, "source": "Peer study", "date": "2026-06-30"}
    ]


@pytest.mark.django_db
def test_funnels_and_benchmarks_load() -> None:
    document_load(document=parse_document(mutate(_with_funnel)))
    funnel = Funnel.objects.get()
    assert funnel.name == "Sales to cost" and funnel.scorecard.slug == "main"
    stages = list(funnel.stages.order_by("position").values_list("kpi__code", "cost"))
    assert stages == [("sales", None), ("cost", 50)]
    benchmark = Benchmark.objects.get()
    assert (benchmark.kpi.code, benchmark.value, benchmark.percentile) == ("sales", 90, 75)
    assert benchmark.as_of == dt.date(2026, 6, 30) and benchmark.source == "Peer study"


def _errors(change) -> list[tuple[str, str]]:
    def both(d):
        _with_funnel(d)
        change(d)

    with pytest.raises(DocumentError) as caught:
        parse_document(mutate(both))
    return [(e.path, e.message) for e in caught.value.errors]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: card(d)["funnels"][0].update(stages=["sales", "nope"]), "no KPI “nope”"),
        (lambda d: card(d)["funnels"][0].update(stages=["sales", "sales"]), "only once"),
        (lambda d: card(d)["funnels"][0].update(costs=[1]), "one cost per stage"),
        (lambda d: card(d)["funnels"][0].update(stages=["sales"]), "at least two stages"),
        (lambda d: card(d)["funnels"].append(dict(FUNNEL)), "funnel name"),
        (lambda d: kpi(d, 1).update(unit="%"), "funnel stages are volumes"),
        (lambda d: kpi(d)["benchmarks"][0].update(percentile=120), "100"),
        (lambda d: kpi(d)["benchmarks"][0].pop("source"), "source"),
    ],
)
def test_bad_funnels_and_benchmarks_are_named(change, fragment: str) -> None:
    found = _errors(change)
    assert any(fragment in f"{p} {m}" for p, m in found), found


@pytest.mark.django_db
def test_demo_company_has_a_sales_funnel_with_targets_levers_and_attribution() -> None:
    document_load_file(DEMO_FILE, replace=True)
    funnel = Funnel.objects.get(scorecard__slug="company", name="Sales funnel")
    a = selectors.funnel_analysis(funnel=funnel, as_of=dt.date(2026, 11, 23))
    assert a.problems == []
    assert [s.kpi.code for s in a.stages] == [
        "website_visitors", "signups", "qualified_leads", "deals",
    ]  # fmt: skip
    assert all(s.target is not None for s in a.stages) and a.final_target == 60
    assert len(a.levers) == 3 and a.costs_known
    assert a.attribution is not None
    assert sum(a.attribution.parts) == pytest.approx(a.change)
    assert Benchmark.objects.filter(kpi__code="deals").exists()
