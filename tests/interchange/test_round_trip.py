"""The full round trip of issue 4: export → load → export gives the same document, the same
stored state (field by field) and the same scores.

The demo company is loaded, then given what the demo file does not hold but the product
stores (a KPI aligned to a KPI of the scorecard above, unit rollup rules, values that need
approval with one value still waiting, an "at risk" forecast rule, a target from every kind
of provenance). Its export is loaded as a second organization and exported again.

The stored state is fingerprinted *generically*: every concrete field of every model of the
strategy, KPI, initiative, planning and organization apps, with references replaced by
natural keys (slugs and codes) so that two organizations can be compared. A field or model
added later is therefore compared without anyone remembering to add it here, and
:func:`test_every_model_is_fingerprinted_or_said_to_be_outside_the_document` makes a new
model choose a side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from scorecard.engine.types import View
from scorecard.initiatives.models import Initiative, Task
from scorecard.interchange.document import parse_document
from scorecard.interchange.document_export import document_export
from scorecard.interchange.scores import result_as_dict
from scorecard.interchange.services import document_load, document_load_file
from scorecard.kpis.evaluation import scorecard_evaluate
from scorecard.kpis.models import Kpi, KpiAlignment, Measurement, Target
from scorecard.kpis.services import measurement_record
from scorecard.organizations.models import Membership, Organization, Unit
from scorecard.planning.models import Benchmark, ForecastRule, Funnel, FunnelStage
from scorecard.strategy.models import (
    Objective,
    ObjectiveAlignment,
    ObjectiveLink,
    Perspective,
    Scorecard,
)

from .documents import DEMO

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 23)
COPY = "northwind-copy"

#: Bookkeeping of who did something when: not part of a scorecard's meaning, and a load
#: sets it afresh (docs/scorecard-format.md, "What a document does not hold").
BOOKKEEPING = {
    "id", "created_at", "set_by", "set_at", "recorded_by", "recorded_at", "superseded_at",
    "decided_by", "decided_at", "added_by", "added_at",
}  # fmt: skip

#: Each model in the document, and how to find one organization's rows of it.
IN_DOCUMENT: dict[type[models.Model], str] = {
    Unit: "organization",
    Membership: "organization",
    Scorecard: "organization",
    Perspective: "scorecard__organization",
    Objective: "scorecard__organization",
    ObjectiveLink: "cause__scorecard__organization",
    ObjectiveAlignment: "child__scorecard__organization",
    Kpi: "scorecard__organization",
    KpiAlignment: "child__scorecard__organization",
    Target: "kpi__scorecard__organization",
    Measurement: "kpi__scorecard__organization",
    Initiative: "scorecard__organization",
    Task: "initiative__scorecard__organization",
    Funnel: "scorecard__organization",
    FunnelStage: "funnel__scorecard__organization",
    Benchmark: "kpi__scorecard__organization",
    ForecastRule: "scorecard__organization",
}
#: Models of those apps that a document deliberately does not hold.
OUTSIDE_DOCUMENT = {Organization}  # its own fields are compared in fingerprint()
DOCUMENT_APPS = ("organizations", "strategy", "kpis", "initiatives", "planning")


def _natural_keys() -> dict[type[models.Model], Callable[[Any], Any]]:
    """How a row of each referenced model is named independently of its database id."""
    return {
        Organization: lambda o: "organization",
        get_user_model(): lambda u: u.username,
        Unit: lambda u: u.slug,
        Scorecard: lambda s: s.slug,
        Perspective: lambda p: (p.scorecard.slug, p.name),
        Objective: lambda o: (o.scorecard.slug, o.code),
        Kpi: lambda k: (k.scorecard.slug, k.code),
        Initiative: lambda i: (i.scorecard.slug, i.name),
        Funnel: lambda f: (f.scorecard.slug, f.name),
    }


def _rows(model: type[models.Model], organization: Organization) -> list[tuple[Any, ...]]:
    """Every row of ``model`` in the organization as a sorted list of field tuples."""
    keys = _natural_keys()
    rows = model._default_manager.filter(**{IN_DOCUMENT[model]: organization})
    if model is Measurement:
        # The current, counted values; corrections and values waiting for approval are
        # history, which a document does not hold.
        rows = rows.filter(superseded_at__isnull=True, approval=Measurement.Approval.APPROVED)
    out = []
    for row in rows:
        values: list[Any] = []
        for f in model._meta.concrete_fields:
            if f.name in BOOKKEEPING:
                continue
            if isinstance(f, models.ForeignKey):
                related = getattr(row, f.name)
                values.append((f.name, None if related is None else keys[f.related_model](related)))
            else:
                values.append((f.name, getattr(row, f.name)))
        for m2m in model._meta.many_to_many:
            related_key = keys[m2m.related_model]
            values.append((m2m.name, sorted(related_key(r) for r in getattr(row, m2m.name).all())))
        out.append(tuple(values))
    return sorted(out, key=repr)


def fingerprint(organization: Organization) -> dict[str, Any]:
    """The organization's stored scorecards, field by field, without database ids."""
    users = get_user_model().objects.filter(memberships__organization=organization)
    return {
        "organization": (organization.name, organization.fiscal_year_start_month),
        "users": sorted((u.username, u.first_name, u.last_name, u.email) for u in users),
        **{model.__name__: _rows(model, organization) for model in IN_DOCUMENT},
    }


def scores(slug: str) -> dict[str, Any]:
    """Every score of the organization's scorecards in three views (perspective ids dropped)."""
    out: dict[str, Any] = {}
    for card in Scorecard.objects.filter(organization__slug=slug).order_by("slug"):
        for view in (View.PERIOD, View.QUARTER, View.YTD):
            data = result_as_dict(scorecard_evaluate(scorecard=card, as_of=AS_OF, view=view.value))
            for perspective in data["perspectives"]:
                perspective.pop("key")
            out[f"{card.slug}/{view.value}"] = data
    return out


def _kpi(card: str, code: str) -> Kpi:
    return Kpi.objects.get(
        scorecard__organization__slug="northwind", scorecard__slug=card, code=code
    )


def _add_what_the_demo_file_lacks() -> None:
    """Everything the product stores beyond the demo file, set as the app would set it."""
    revenue = _kpi("company", "revenue")
    wholesale = _kpi("sales", "wholesale_revenue")
    KpiAlignment.objects.create(child=wholesale, parent=revenue)
    Kpi.objects.filter(pk=revenue.pk).update(unit_rollup="sum")
    Kpi.objects.filter(pk=_kpi("operations", "picking_accuracy").pk).update(unit_rollup="min")
    # Values of the revenue KPI need the owner's (cfo) approval; the updater's new value
    # for the last month waits, and must neither be exported nor counted.
    Kpi.objects.filter(pk=revenue.pk).update(values_need_approval=True)
    revenue.refresh_from_db()
    last = Measurement.objects.filter(kpi=revenue).latest("period_start")
    pending = measurement_record(
        kpi=revenue,
        period_start=last.period_start,
        value=last.value * 2,
        user=get_user_model().objects.get(username="ceo"),
    )
    assert pending.approval == Measurement.Approval.PENDING
    ForecastRule.objects.create(
        scorecard=Scorecard.objects.get(organization__slug="northwind", slug="company"),
        at_risk_below=0.4,
    )


def test_every_model_is_fingerprinted_or_said_to_be_outside_the_document() -> None:
    """A new model in these apps must be added to the document or named as outside it."""
    found = {m for app in DOCUMENT_APPS for m in apps.get_app_config(app).get_models()}
    assert found - set(IN_DOCUMENT) - OUTSIDE_DOCUMENT == set()


def test_export_load_export_keeps_document_stored_state_and_scores(settings: Any) -> None:
    settings.SCORECARD_TODAY = AS_OF.isoformat()
    document_load_file(DEMO)
    _add_what_the_demo_file_lacks()
    original = Organization.objects.get(slug="northwind")

    first = document_export(organization=original)
    assert first.warnings == ["KPI company/revenue: 1 value waiting for approval is left out."]
    document_load(
        document=parse_document(first.text.replace("slug: northwind\n", f"slug: {COPY}\n", 1))
    )
    copy = Organization.objects.get(slug=COPY)
    second = document_export(organization=copy)

    assert second.text.replace(f"slug: {COPY}\n", "slug: northwind\n", 1) == first.text
    before, after = fingerprint(original), fingerprint(copy)
    for part in before:  # part by part, so a failure names the model that differs
        assert after[part] == before[part], part
    assert scores(COPY) == scores("northwind")

    # The comparison is of real things, not of two empty lists that happen to agree.
    assert len(before["Measurement"]) > 500 and len(before["Benchmark"]) >= 2
    assert before["KpiAlignment"] and before["ForecastRule"] and before["FunnelStage"]
    provenances = {dict(row)["provenance"] for row in before["Target"]}
    assert provenances == {"zero", "benchmark", "history", "chain", "growth"}
    revenue = dict(next(r for r in before["Kpi"] if dict(r)["code"] == "revenue"))
    assert revenue["unit_rollup"] == "sum" and revenue["values_need_approval"] is True
