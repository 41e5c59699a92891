"""Small documents shared by the interchange tests, and helpers to break them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from scorecard.interchange.services import DEMO_FILE

#: The demo company as the repository holds it (not an installed copy).
DEMO = DEMO_FILE

#: One of everything: two units, two scorecards, links, an alignment, a calculated KPI.
MINIMAL = """
version: 1
organization: {name: Acme, slug: acme}
units:
  - {slug: hq, name: Head office}
  - {slug: sales, name: Sales, parent: hq}
users:
  - {username: ann, name: Ann Lee, email: ann@acme.example, role: editor, unit: hq}
  - {username: bo, name: Bo Berg, role: contributor, unit: sales}
scorecards:
  - slug: main
    name: Main
    unit: hq
    perspectives:
      - name: Financial
        kind: financial
        weight: 2
        objectives:
          - code: grow
            name: Grow
            owner: ann
            kpis:
              - {code: sales, name: Sales, minimum: 0, maximum: 100, owner: ann, updater: bo,
                 targets: [{period: 2026-01, value: 80, provenance: history, note: last year}],
                 measurements: {start: 2026-01, values: [10, 20, null, 40]}}
              - {code: cost, name: Cost, optimization: minimize, minimum: 0, maximum: 50,
                 time_aggregation: last,
                 measurements: [{period: 2026-01, value: 30, note: first close}]}
          - code: margin-up
            name: Better margin
            kpis:
              - {code: margin, name: Margin, formula: "(sales - cost) / sales * 100",
                 minimum: 0, maximum: 100}
      - name: Customer
        kind: customer
        objectives:
          - code: happy
            name: Happy customers
            kpis:
              - {code: nps, name: NPS, optimization: goal_red_flag, target: 50, red_flag: 30,
                 update_interval: quarter, time_aggregation: last,
                 measurements: {start: 2025-Q4, values: [41, 44]}}
    links: [{cause: margin-up, effect: grow}, {cause: happy, effect: grow}]
    initiatives:
      - name: Price list
        owner: ann
        objectives: [grow, margin-up]
        start_date: 2026-01-01
        deadline: 2026-12-31
        budget: 1000.5
        status: active
        tasks:
          - {name: Compare, assignee: bo, deadline: 2026-03-31, state: done}
          - {name: Decide, assignee: ann}
  - slug: sales-card
    name: Sales
    unit: sales
    parent: main
    perspectives:
      - name: Customer
        kind: customer
        objectives:
          - code: accounts
            name: Key accounts
            owner: bo
            aligned_to: [{objective: main/grow, share: 0.5}]
            kpis:
              - {code: accounts, name: Accounts, minimum: 0, target: 20,
                 measurements: {start: 2026-01, values: [5, 6]}}
"""

MAIN = "scorecards[main]"
GROW = f"{MAIN}.perspectives[Financial].objectives[grow]"
SALES = f"{GROW}.kpis[sales]"
COST = f"{GROW}.kpis[cost]"
MARGIN = f"{MAIN}.perspectives[Financial].objectives[margin-up].kpis[margin]"


def mutate(change: Callable[[dict[str, Any]], Any], text: str = MINIMAL) -> str:
    """The document with ``change`` applied to its data."""
    data = yaml.safe_load(text)
    change(data)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def card(d: dict[str, Any], index: int = 0) -> dict[str, Any]:
    return d["scorecards"][index]


def objective(d: dict[str, Any], index: int = 0) -> dict[str, Any]:
    """An objective of the Financial perspective of the main scorecard."""
    return card(d)["perspectives"][0]["objectives"][index]


def kpi(d: dict[str, Any], index: int = 0) -> dict[str, Any]:
    """A KPI of the objective "grow": 0 is sales, 1 is cost."""
    return objective(d)["kpis"][index]


def sales_kpi(d: dict[str, Any]) -> dict[str, Any]:
    """The KPI "accounts" of the Sales scorecard (cascaded from main)."""
    return card(d, 1)["perspectives"][0]["objectives"][0]["kpis"][0]


def write(tmp_path: Path, text: str, name: str = "doc.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
