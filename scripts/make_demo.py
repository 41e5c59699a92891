"""Write the demo company's document (src/scorecard/interchange/demo/northwind.yaml).

The numbers are generated once, deterministically, so the committed YAML can be
regenerated after a change here: ``.venv/bin/python scripts/make_demo.py``.
Each KPI's history runs from a start performance to an end performance on its own
scale, with seasonality and noise, so that its last period lands where the story
wants it (green, yellow, red).
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import yaml

OUT = Path(__file__).resolve().parents[1] / "src/scorecard/interchange/demo/northwind.yaml"
RNG = random.Random(7)
MONTHS = 24  # 2024-11 .. 2026-10
QUARTERS = 8  # 2024-Q4 .. 2026-Q3
HALVES = 4  # 2024-H2 .. 2026-H1
STARTS = {"month": "2024-11", "quarter": "2024-Q4", "half_year": "2024-H2"}
COUNTS = {"month": MONTHS, "quarter": QUARTERS, "half_year": HALVES}

HEADER = """\
# Northwind Outdoor — the demo company of Scorecard.
#
# A mid-size maker of tents, backpacks and rain wear that sells online and through
# outdoor retailers. Its strategy: grow profitable revenue by winning retail
# partners and direct customers, on the back of faster product development, a
# lean supply chain, greener materials and skilled, engaged people.
#
# History: 24 months, November 2024 to October 2026 (`scorecard demo` moves every date so
# that the history ends in the latest complete period before today). Deliberate problems, so the
# health checks have something to find:
#   - "Supplier audit score" is stale: its last value is from May 2026;
#   - "Improvement ideas submitted" has no owner;
#   - the objective "Keep cash healthy" is the only one without an initiative;
#   - "Price index" starts with a zero-target (a first guess to be reviewed).
# Other things to look at: the sales funnel (website visitors -> sign-ups ->
# qualified leads -> deals) and the calculated KPIs gross margin and lead-to-deal
# conversion; red, yellow and green KPIs in every perspective; two department
# scorecards (Sales, Operations) aligned to the company objectives, each making up a
# share of the company objective; a Customer service unit without a scorecard yet.
#
# Regenerate with scripts/make_demo.py; the format is in docs/scorecard-format.md.
"""


def series(
    interval: str,
    low: float,
    high: float,
    p_start: float,
    p_end: float,
    *,
    noise: float = 0.04,
    season: float = 0.0,
    digits: int = 1,
    stop: int | None = None,
) -> dict[str, Any]:
    """Values moving from performance ``p_start`` to ``p_end`` on the scale low → high."""
    n = COUNTS[interval]
    values: list[float | None] = []
    for i in range(n):
        share = i / (n - 1)
        p = p_start + (p_end - p_start) * share
        if i < n - 1:
            p += RNG.gauss(0, noise)
        month = (11 + i) % 12 if interval == "month" else 0
        wave = 1 + season * math.sin((month - 3) / 12 * 2 * math.pi)
        value = (low + p * (high - low)) * wave
        values.append(round(value, digits) if digits > 0 else int(round(value, digits)))
    if stop is not None:
        values = values[:stop] + [None] * (n - stop)
    return {"start": STARTS[interval], "values": values}


def kpi(code: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"code": code, "name": name, **fields}


def company() -> dict[str, Any]:
    funnel = {
        "website_visitors": series("month", 30000, 60000, 0.55, 0.7, season=0.15, digits=0),
        "signups": series("month", 1000, 2600, 0.5, 0.62, season=0.1, digits=0),
        "qualified_leads": series("month", 150, 400, 0.45, 0.5, season=0.05, digits=0),
        "deals": series("month", 20, 60, 0.45, 0.42, noise=0.06, digits=0),
    }
    financial = {
        "name": "Financial",
        "kind": "financial",
        "weight": 3,
        "objectives": [
            {
                "code": "grow-revenue",
                "name": "Grow profitable revenue",
                "description": "Revenue up 12 % a year while keeping gross margin above 45 %.",
                "owner": "ceo",
                "weight": 2,
                "due_date": "2027-12-31",
                "kpis": [
                    kpi(
                        "revenue",
                        "Revenue",
                        unit="€",
                        data_source="ERP, monthly close",
                        minimum=1_600_000,
                        target=2_300_000,
                        weight=2,
                        owner="cfo",
                        updater="cfo",
                        measurements=series(
                            "month", 1_600_000, 2_300_000, 0.55, 0.72, season=0.12, digits=-3
                        ),
                        targets=[
                            {
                                "period": "2025-01",
                                "value": 2_100_000,
                                "provenance": "history",
                                "note": "2024 revenue + 10 %, the three-year average growth",
                            },
                            {
                                "period": "2026-01",
                                "value": 2_300_000,
                                "provenance": "growth",
                                "note": "Board plan: double revenue in six years (12.2 % a year)",
                            },
                        ],
                    ),
                    kpi(
                        "cost_of_goods",
                        "Cost of goods sold",
                        unit="€",
                        optimization="none",
                        data_source="ERP",
                        owner="cfo",
                        updater="cfo",
                        measurements=series(
                            "month", 800_000, 1_300_000, 0.55, 0.62, season=0.12, digits=-3
                        ),
                    ),
                    kpi(
                        "gross_margin",
                        "Gross margin",
                        unit="%",
                        minimum=35,
                        target=48,
                        formula="(revenue - cost_of_goods) / revenue * 100",
                        owner="cfo",
                        description="Calculated from revenue and cost of goods sold.",
                    ),
                ],
            },
            {
                "code": "healthy-cash",
                "name": "Keep cash healthy",
                "description": "Fund growth from operations; collect faster from retailers.",
                "owner": "cfo",
                "kpis": [
                    kpi(
                        "operating_cash_flow",
                        "Operating cash flow",
                        unit="€",
                        minimum=0,
                        target=250_000,
                        owner="cfo",
                        updater="cfo",
                        measurements=series("month", 0, 250_000, 0.6, 0.52, noise=0.12, digits=-3),
                    ),
                    kpi(
                        "days_sales_outstanding",
                        "Days sales outstanding",
                        unit="days",
                        optimization="minimize",
                        maximum=70,
                        minimum=35,
                        time_aggregation="last",
                        owner="cfo",
                        updater="cfo",
                        measurements=series("month", 70, 35, 0.35, 0.22, digits=0),
                    ),
                ],
            },
            {
                "code": "direct-online",
                "name": "Grow direct online sales",
                "owner": "marketing",
                "kpis": [
                    kpi(
                        "online_revenue_share",
                        "Online share of revenue",
                        unit="%",
                        minimum=20,
                        maximum=45,
                        target=40,
                        time_aggregation="average",
                        owner="marketing",
                        updater="marketing",
                        indicator="leading",
                        measurements=series("month", 20, 45, 0.3, 0.62, digits=1),
                    ),
                ],
            },
        ],
    }
    customer = {
        "name": "Customer",
        "kind": "customer",
        "weight": 3,
        "objectives": [
            {
                "code": "delight-customers",
                "name": "Delight our customers",
                "owner": "ceo",
                "kpis": [
                    kpi(
                        "net_promoter_score",
                        "Net promoter score",
                        optimization="goal_red_flag",
                        target=50,
                        red_flag=30,
                        update_interval="quarter",
                        time_aggregation="last",
                        data_source="Quarterly customer survey",
                        owner="marketing",
                        updater="marketing",
                        measurements=series("quarter", 0, 100, 0.36, 0.44, noise=0.02, digits=0),
                    ),
                    kpi(
                        "return_rate",
                        "Product return rate",
                        unit="%",
                        optimization="minimize",
                        maximum=12,
                        minimum=4,
                        time_aggregation="average",
                        owner="ops.lead",
                        updater="ops.lead",
                        measurements=series("month", 12, 4, 0.45, 0.28, digits=1),
                    ),
                    kpi(
                        "review_rating",
                        "Average review rating",
                        unit="★",
                        optimization="band",
                        band_low=4.4,
                        band_high=5.0,
                        tolerance=0.6,
                        time_aggregation="average",
                        owner="marketing",
                        updater="marketing",
                        measurements=series("month", 3.6, 4.8, 0.6, 0.75, noise=0.03, digits=2),
                    ),
                ],
            },
            {
                "code": "win-customers",
                "name": "Win new retail partners",
                "description": "The sales funnel: visitors → sign-ups → qualified leads → deals.",
                "owner": "sales.lead",
                "weight": 2,
                "kpis": [
                    kpi(
                        "website_visitors",
                        "Website visitors",
                        unit="visits",
                        minimum=30000,
                        target=60000,
                        owner="marketing",
                        updater="marketing",
                        indicator="leading",
                        measurements=funnel["website_visitors"],
                    ),
                    kpi(
                        "signups",
                        "Dealer portal sign-ups",
                        minimum=1000,
                        target=2600,
                        owner="marketing",
                        updater="marketing",
                        indicator="leading",
                        measurements=funnel["signups"],
                        benchmarks=[
                            {
                                "value": 2200,
                                "percentile": 50,
                                "source": "Outdoor trade association, dealer portal survey",
                                "date": "2026-03-31",
                            },
                            {
                                "value": 2900,
                                "percentile": 75,
                                "source": "Outdoor trade association, dealer portal survey",
                                "date": "2026-03-31",
                                "note": "Top quartile of peers our size",
                            },
                        ],
                    ),
                    kpi(
                        "qualified_leads",
                        "Qualified leads",
                        minimum=150,
                        target=400,
                        owner="sales.lead",
                        updater="sales.lead",
                        indicator="leading",
                        measurements=funnel["qualified_leads"],
                    ),
                    kpi(
                        "deals",
                        "New retail partners signed",
                        minimum=20,
                        target=60,
                        weight=2,
                        owner="sales.lead",
                        updater="sales.lead",
                        measurements=funnel["deals"],
                        benchmarks=[
                            {
                                "value": 45,
                                "percentile": 60,
                                "source": "Sporting goods wholesale benchmark study",
                                "date": "2026-06-30",
                                "note": "New partners a month, brands of 50-100 M€ revenue",
                            },
                        ],
                    ),
                    kpi(
                        "lead_conversion",
                        "Lead-to-deal conversion",
                        unit="%",
                        minimum=5,
                        target=20,
                        formula="deals / qualified_leads * 100",
                        owner="sales.lead",
                    ),
                ],
            },
            {
                "code": "deliver-on-time",
                "name": "Deliver on time, every time",
                "owner": "ops.lead",
                "kpis": [
                    kpi(
                        "on_time_delivery",
                        "On-time delivery",
                        unit="%",
                        optimization="percent_of_target",
                        target=97,
                        time_aggregation="average",
                        thresholds=[
                            {"status": "red", "lower": None, "color": "#d64545"},
                            {"status": "yellow", "lower": 0.93, "color": "#e8b021"},
                            {"status": "green", "lower": 0.98, "color": "#2e9e5b"},
                        ],
                        owner="ops.lead",
                        updater="ops.lead",
                        measurements=series("month", 0, 97, 0.9, 0.955, noise=0.01, digits=1),
                    ),
                    kpi(
                        "price_index",
                        "Price index vs. competitors",
                        optimization="exact",
                        target=100,
                        tolerance=8,
                        time_aggregation="last",
                        owner="sales.lead",
                        updater="sales.lead",
                        update_interval="quarter",
                        targets=[
                            {
                                "period": "2024-Q4",
                                "value": 100,
                                "provenance": "zero",
                                "note": "First guess: price at par; review with market data",
                            }
                        ],
                        measurements=series("quarter", 90, 110, 0.45, 0.62, noise=0.02, digits=1),
                    ),
                ],
            },
        ],
    }
    internal = {
        "name": "Internal processes",
        "kind": "internal",
        "weight": 2,
        "objectives": [
            {
                "code": "faster-development",
                "name": "Bring products to market faster",
                "owner": "strategy",
                "kpis": [
                    kpi(
                        "time_to_market",
                        "Time to market",
                        unit="days",
                        optimization="minimize",
                        maximum=420,
                        minimum=240,
                        update_interval="quarter",
                        time_aggregation="average",
                        owner="strategy",
                        updater="strategy",
                        measurements=series("quarter", 420, 240, 0.2, 0.45, digits=0),
                    ),
                    kpi(
                        "products_launched",
                        "New products launched",
                        unit="products",
                        optimization="binary_max",
                        target=3,
                        update_interval="quarter",
                        owner="strategy",
                        updater="strategy",
                        indicator="leading",
                        measurements=series("quarter", 0, 5, 0.5, 0.6, noise=0.1, digits=0),
                    ),
                ],
            },
            {
                "code": "right-first-time",
                "name": "Build it right the first time",
                "owner": "ops.lead",
                "kpis": [
                    kpi(
                        "defect_rate",
                        "Defects per million",
                        unit="ppm",
                        optimization="minimize",
                        maximum=2500,
                        minimum=500,
                        time_aggregation="average",
                        owner="ops.lead",
                        updater="ops.lead",
                        measurements=series("month", 2500, 500, 0.3, 0.25, noise=0.05, digits=0),
                    ),
                    kpi(
                        "first_pass_yield",
                        "First-pass yield",
                        unit="%",
                        minimum=85,
                        maximum=99,
                        target=97,
                        time_aggregation="average",
                        owner="ops.lead",
                        updater="ops.lead",
                        measurements=series("month", 85, 99, 0.5, 0.7, digits=1),
                    ),
                    kpi(
                        "supplier_audit_score",
                        "Supplier audit score",
                        unit="points",
                        minimum=50,
                        target=90,
                        time_aggregation="average",
                        owner="ops.lead",
                        updater="ops.lead",
                        measurements=series("month", 50, 90, 0.5, 0.6, digits=0, stop=19),
                    ),
                ],
            },
            {
                "code": "lean-supply",
                "name": "Run a lean supply chain",
                "owner": "ops.lead",
                "kpis": [
                    kpi(
                        "inventory_turns",
                        "Inventory turns (annualised)",
                        unit="×",
                        optimization="band",
                        band_low=5,
                        band_high=7,
                        tolerance=2,
                        time_aggregation="last",
                        owner="ops.lead",
                        updater="ops.lead",
                        measurements=series("month", 3, 8, 0.3, 0.48, noise=0.03, digits=1),
                    ),
                    kpi(
                        "stockout_rate",
                        "Stock-out rate",
                        unit="%",
                        optimization="minimize",
                        maximum=8,
                        minimum=1,
                        time_aggregation="average",
                        owner="ops.lead",
                        updater="ops.lead",
                        indicator="leading",
                        measurements=series("month", 8, 1, 0.4, 0.66, digits=1),
                    ),
                    kpi(
                        "order_cycle_time",
                        "Order cycle time",
                        unit="days",
                        optimization="minimize",
                        maximum=6,
                        minimum=1.5,
                        time_aggregation="average",
                        owner="ops.lead",
                        updater="ops.lead",
                        indicator="leading",
                        measurements=series("month", 6, 1.5, 0.4, 0.7, digits=1),
                    ),
                    kpi(
                        "safety_incidents",
                        "Lost-time safety incidents",
                        unit="incidents",
                        optimization="binary_min",
                        target=0,
                        owner="ops.lead",
                        updater="ops.lead",
                        measurements={
                            "start": "2024-11",
                            "values": [
                                1,
                                0,
                                0,
                                2,
                                0,
                                0,
                                1,
                                0,
                                0,
                                0,
                                0,
                                1,
                                0,
                                0,
                                0,
                                0,
                                0,
                                0,
                                1,
                                0,
                                0,
                                0,
                                0,
                                0,
                            ],
                        },
                    ),
                ],
            },
            {
                "code": "cut-footprint",
                "name": "Cut our footprint",
                "owner": "strategy",
                "kpis": [
                    kpi(
                        "recycled_share",
                        "Recycled material share",
                        unit="%",
                        minimum=10,
                        maximum=60,
                        target=50,
                        time_aggregation="average",
                        owner="strategy",
                        updater="ops.lead",
                        baseline=12,
                        baseline_date="2024-11-01",
                        target_date="2027-12-31",
                        measurements=series("month", 10, 60, 0.05, 0.38, digits=1),
                    ),
                    kpi(
                        "co2_per_unit",
                        "CO₂ per product shipped",
                        unit="kg",
                        optimization="minimize",
                        maximum=14,
                        minimum=8,
                        time_aggregation="average",
                        owner="strategy",
                        updater="ops.lead",
                        measurements=series("month", 14, 8, 0.2, 0.27, digits=2),
                    ),
                ],
            },
        ],
    }
    learning = {
        "name": "Learning & growth",
        "kind": "learning",
        "weight": 2,
        "objectives": [
            {
                "code": "build-skills",
                "name": "Build product and digital skills",
                "owner": "hr.lead",
                "kpis": [
                    kpi(
                        "training_hours",
                        "Training hours per employee",
                        unit="h",
                        minimum=0,
                        target=12,
                        update_interval="quarter",
                        owner="hr.lead",
                        updater="hr.lead",
                        indicator="leading",
                        measurements=series("quarter", 0, 12, 0.5, 0.8, digits=1),
                    ),
                    kpi(
                        "digital_certified",
                        "Staff with digital certification",
                        unit="%",
                        minimum=0,
                        target=60,
                        time_aggregation="last",
                        owner="hr.lead",
                        updater="hr.lead",
                        indicator="leading",
                        measurements=series("month", 0, 60, 0.15, 0.55, noise=0.01, digits=0),
                    ),
                ],
            },
            {
                "code": "keep-great-people",
                "name": "Keep great people",
                "owner": "hr.lead",
                "kpis": [
                    kpi(
                        "engagement",
                        "Employee engagement",
                        unit="points",
                        minimum=50,
                        maximum=90,
                        target=80,
                        update_interval="half_year",
                        time_aggregation="last",
                        owner="hr.lead",
                        updater="hr.lead",
                        data_source="Engagement survey",
                        measurements=series("half_year", 50, 90, 0.5, 0.72, digits=0),
                    ),
                    kpi(
                        "voluntary_turnover",
                        "Voluntary turnover (12 months)",
                        unit="%",
                        optimization="minimize",
                        maximum=20,
                        minimum=6,
                        time_aggregation="last",
                        owner="hr.lead",
                        updater="hr.lead",
                        measurements=series("month", 20, 6, 0.4, 0.6, noise=0.02, digits=1),
                    ),
                ],
            },
            {
                "code": "ideas-culture",
                "name": "Make improvement everyone's job",
                "owner": "strategy",
                "kpis": [
                    kpi(
                        "ideas_submitted",
                        "Improvement ideas submitted",
                        unit="ideas",
                        minimum=0,
                        target=40,
                        indicator="leading",
                        updater="strategy",
                        measurements=series("month", 0, 40, 0.3, 0.25, noise=0.08, digits=0),
                    ),
                    kpi(
                        "ideas_implemented",
                        "Ideas implemented",
                        unit="ideas",
                        minimum=0,
                        target=12,
                        owner="strategy",
                        updater="strategy",
                        indicator="leading",
                        measurements=series("month", 0, 12, 0.3, 0.55, noise=0.1, digits=0),
                    ),
                ],
            },
        ],
    }
    links = [
        ("build-skills", "faster-development"), ("build-skills", "right-first-time"),
        ("keep-great-people", "build-skills"), ("ideas-culture", "right-first-time"),
        ("ideas-culture", "lean-supply"), ("faster-development", "delight-customers"),
        ("right-first-time", "delight-customers"), ("lean-supply", "deliver-on-time"),
        ("cut-footprint", "delight-customers"), ("deliver-on-time", "delight-customers"),
        ("delight-customers", "win-customers"), ("delight-customers", "direct-online"),
        ("win-customers", "grow-revenue"), ("direct-online", "grow-revenue"),
        ("lean-supply", "healthy-cash"), ("right-first-time", "grow-revenue"),
    ]  # fmt: skip
    initiatives = [
        {"name": "New online shop", "owner": "marketing", "status": "active",
         "objectives": ["direct-online", "win-customers"], "start_date": "2026-02-01",
         "deadline": "2027-03-31", "budget": 420000, "spent": 190000,
         "description": "Replace the shop with one that serves consumers and dealers.",
         "tasks": [
             {"name": "Choose the platform", "assignee": "marketing", "deadline": "2026-04-30", "state": "done"},
             {"name": "Migrate the product catalogue", "assignee": "marketing", "deadline": "2026-09-30", "state": "done"},
             {"name": "Dealer portal with self-service ordering", "assignee": "sales.lead", "deadline": "2026-12-15", "state": "doing"},
             {"name": "Go live in Germany and the Nordics", "assignee": "marketing", "deadline": "2027-03-31", "state": "todo"},
         ]},
        {"name": "Lean warehouse programme", "owner": "ops.lead", "status": "active",
         "objectives": ["lean-supply", "deliver-on-time"], "start_date": "2025-09-01",
         "deadline": "2026-12-31", "budget": 150000, "spent": 135000,
         "tasks": [
             {"name": "Map the order-to-ship value stream", "assignee": "ops.lead", "deadline": "2025-11-30", "state": "done"},
             {"name": "Re-slot fast movers near packing", "assignee": "ops.lead", "deadline": "2026-03-31", "state": "done"},
             {"name": "Introduce daily stock-out review", "assignee": "ops.lead", "deadline": "2026-06-30", "state": "done"},
             {"name": "Cycle counting instead of the yearly stock take", "assignee": "ops.lead", "deadline": "2026-10-31", "state": "doing"},
         ]},
        {"name": "Stage-gate product development", "owner": "strategy", "status": "active",
         "objectives": ["faster-development", "right-first-time"], "start_date": "2026-01-15",
         "deadline": "2027-06-30", "budget": 80000, "spent": 30000,
         "tasks": [
             {"name": "Define gates and criteria", "assignee": "strategy", "deadline": "2026-03-31", "state": "done"},
             {"name": "Pilot with the 2027 tent range", "assignee": "strategy", "deadline": "2026-11-15", "state": "doing"},
             {"name": "Roll out to all product lines", "assignee": "strategy", "deadline": "2027-06-30", "state": "todo"},
         ]},
        {"name": "Switch to recycled fabrics", "owner": "strategy", "status": "active",
         "objectives": ["cut-footprint"], "start_date": "2025-06-01", "deadline": "2027-12-31",
         "budget": 260000, "spent": 70000,
         "tasks": [
             {"name": "Qualify two recycled-polyester suppliers", "assignee": "ops.lead", "deadline": "2026-02-28", "state": "done"},
             {"name": "Recycled fabric for all backpacks", "assignee": "ops.lead", "deadline": "2026-09-30", "state": "doing"},
             {"name": "Recycled fabric for rain wear", "assignee": "ops.lead", "deadline": "2027-06-30", "state": "todo"},
         ]},
        {"name": "Leadership academy", "owner": "hr.lead", "status": "planned",
         "objectives": ["keep-great-people", "build-skills"], "start_date": "2027-01-15",
         "deadline": "2027-12-31", "budget": 90000,
         "tasks": [
             {"name": "Select the first cohort", "assignee": "hr.lead", "deadline": "2026-12-15", "state": "todo"},
             {"name": "Book trainers and venues", "assignee": "hr.lead", "deadline": "2027-01-10", "state": "todo"},
             {"name": "Run module 1: coaching conversations", "assignee": "hr.lead", "deadline": "2027-03-31", "state": "todo"},
         ]},
        {"name": "Customer feedback loop", "owner": "marketing", "status": "done",
         "objectives": ["delight-customers"], "start_date": "2025-03-01", "deadline": "2025-12-31",
         "budget": 40000, "spent": 38500, "progress": 1.0,
         "tasks": [
             {"name": "Post-purchase survey", "assignee": "marketing", "deadline": "2025-06-30", "state": "done"},
             {"name": "Monthly review of returns with product teams", "assignee": "ops.lead", "deadline": "2025-09-30", "state": "done"},
             {"name": "Close the loop: reply to every detractor", "assignee": "marketing", "deadline": "2025-12-31", "state": "done"},
         ]},
        {"name": "Retail partner onboarding kit", "owner": "sales.lead", "status": "on_hold",
         "objectives": ["win-customers"], "start_date": "2026-05-01", "deadline": "2026-10-31",
         "budget": 25000, "spent": 6000,
         "tasks": [
             {"name": "Window display and shelf guide", "assignee": "sales.lead", "deadline": "2026-07-31", "state": "done"},
             {"name": "Staff training videos", "assignee": "marketing", "deadline": "2026-10-31", "state": "todo"},
             {"name": "Starter assortment packages", "assignee": "sales.lead", "deadline": "2026-10-31", "state": "todo"},
         ]},
        {"name": "Idea management in the intranet", "owner": "strategy", "status": "active",
         "objectives": ["ideas-culture"], "start_date": "2026-06-01", "deadline": "2027-02-28",
         "budget": 15000, "spent": 4000,
         "tasks": [
             {"name": "Idea form and review board", "assignee": "strategy", "deadline": "2026-08-31", "state": "done"},
             {"name": "Quarterly idea awards", "assignee": "hr.lead", "deadline": "2026-12-31", "state": "todo"},
             {"name": "Report implemented ideas in the monthly all-hands", "assignee": "strategy", "deadline": "2027-02-28", "state": "todo"},
         ]},
        {"name": "Price and range review 2027", "owner": "ceo", "status": "active",
         "objectives": ["grow-revenue"], "start_date": "2026-07-01", "deadline": "2027-01-31",
         "budget": 35000, "spent": 12000,
         "description": "Drop the slowest 15 % of the range and reprice the bestsellers.",
         "tasks": [
             {"name": "Margin and sell-through per product", "assignee": "cfo", "deadline": "2026-08-31", "state": "done"},
             {"name": "Competitor price survey", "assignee": "sales.lead", "deadline": "2026-10-15", "state": "doing"},
             {"name": "Decide the 2027 range and price list", "assignee": "ceo", "deadline": "2026-12-15", "state": "todo"},
             {"name": "Brief retail partners on the new list", "assignee": "sales.lead", "deadline": "2027-01-31", "state": "todo"},
         ]},
    ]  # fmt: skip
    return {
        "slug": "company",
        "name": "Northwind Outdoor 2027",
        "unit": "northwind",
        "vision": "Every outdoor day starts with Northwind gear: built to last, made responsibly.",
        "mission": (
            "We design durable, repairable outdoor equipment, make it with ever less impact, "
            "and bring it to people through great retail partners and our own shop."
        ),
        "perspectives": [financial, customer, internal, learning],
        "links": [{"cause": c, "effect": e} for c, e in links],
        "initiatives": initiatives,
        "funnels": [
            {
                "name": "Sales funnel",
                "description": "From a visit to the website to a signed retail partner.",
                "stages": ["website_visitors", "signups", "qualified_leads", "deals"],
                # What one percentage point more conversion into each stage costs a month
                # (ads and landing pages, inside-sales time, sales visits and samples).
                "costs": [None, 4000, 6000, 9000],
            }
        ],
    }


def department(
    slug: str,
    name: str,
    unit: str,
    objectives: list[dict[str, Any]],
    initiatives: list[dict[str, Any]],
) -> dict[str, Any]:
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for objective in objectives:
        by_kind.setdefault(objective.pop("kind"), []).append(objective)
    names = {"financial": "Financial", "customer": "Customer", "internal": "Internal processes",
             "learning": "Learning & growth"}  # fmt: skip
    return {
        "slug": slug,
        "name": name,
        "unit": unit,
        "parent": "company",
        "perspectives": [
            {"name": names[kind], "kind": kind, "objectives": items}
            for kind, items in by_kind.items()
        ],
        "initiatives": initiatives,
    }


def sales() -> dict[str, Any]:
    return department("sales", "Sales 2027", "sales", [
        {"kind": "financial", "code": "key-accounts", "name": "Grow key-account revenue",
         "owner": "sales.lead", "aligned_to": [{"objective": "company/grow-revenue", "share": 0.6}],
         "kpis": [
             kpi("wholesale_revenue", "Wholesale revenue", unit="€", minimum=900_000,
                 target=1_400_000, owner="sales.lead", updater="sales.lead",
                 measurements=series("month", 900_000, 1_400_000, 0.5, 0.7, season=0.12, digits=-3)),
             kpi("key_accounts", "Active key accounts", unit="accounts", minimum=20, target=40,
                 time_aggregation="last", owner="sales.lead", updater="sales.lead",
                 measurements=series("month", 20, 40, 0.4, 0.55, noise=0.02, digits=0)),
         ]},
        {"kind": "customer", "code": "partner-pipeline", "name": "Fill the partner pipeline",
         "owner": "sales.lead", "aligned_to": [{"objective": "company/win-customers", "share": 0.4}],
         "kpis": [
             kpi("pipeline_value", "Pipeline value", unit="€", minimum=500_000, target=1_500_000,
                 time_aggregation="last", owner="sales.lead", updater="sales.lead",
                 indicator="leading",
                 measurements=series("month", 500_000, 1_500_000, 0.4, 0.3, noise=0.06, digits=-3)),
             kpi("quote_win_rate", "Quote win rate", unit="%", minimum=15, target=35,
                 time_aggregation="average", owner="sales.lead", updater="sales.lead",
                 measurements=series("month", 15, 35, 0.5, 0.45, noise=0.05, digits=1)),
         ]},
        {"kind": "customer", "code": "keep-retailers", "name": "Keep our retailers",
         "owner": "sales.lead", "aligned_to": [{"objective": "company/delight-customers", "share": 0.5}],
         "kpis": [
             kpi("retailer_churn", "Retailer churn (12 months)", unit="%",
                 optimization="minimize", maximum=15, minimum=3, time_aggregation="last",
                 owner="sales.lead", updater="sales.lead",
                 measurements=series("month", 15, 3, 0.5, 0.7, noise=0.02, digits=1)),
         ]},
    ], [
        {"name": "Key-account programme", "owner": "sales.lead", "status": "active",
         "objectives": ["key-accounts", "keep-retailers"], "start_date": "2026-03-01",
         "deadline": "2027-02-28", "budget": 60000, "spent": 27000,
         "tasks": [
             {"name": "Name an account manager for each of the top 40 retailers", "assignee": "sales.lead", "deadline": "2026-04-30", "state": "done"},
             {"name": "Joint sell-out plans with the top 10", "assignee": "sales.lead", "deadline": "2026-09-30", "state": "done"},
             {"name": "Quarterly business reviews", "assignee": "sales.lead", "deadline": "2026-12-31", "state": "doing"},
             {"name": "Exit interviews with lost retailers", "assignee": "marketing", "deadline": "2027-02-28", "state": "todo"},
         ]},
        {"name": "Trade-fair season 2027", "owner": "marketing", "status": "planned",
         "objectives": ["partner-pipeline"], "start_date": "2026-11-01", "deadline": "2027-03-31",
         "budget": 48000,
         "tasks": [
             {"name": "Book the ISPO and OutDoor stands", "assignee": "marketing", "deadline": "2026-11-30", "state": "todo"},
             {"name": "Lead capture app for the stand team", "assignee": "marketing", "deadline": "2027-01-15", "state": "todo"},
             {"name": "Follow up every lead within five days", "assignee": "sales.lead", "deadline": "2027-03-31", "state": "todo"},
         ]},
    ])  # fmt: skip


def operations() -> dict[str, Any]:
    return department("operations", "Operations 2027", "operations", [
        {"kind": "financial", "code": "cost-per-order", "name": "Lower cost per order",
         "owner": "ops.lead", "aligned_to": [{"objective": "company/healthy-cash", "share": 0.4}],
         "kpis": [
             kpi("warehouse_cost_per_order", "Warehouse cost per order", unit="€",
                 optimization="minimize", maximum=9, minimum=5, time_aggregation="average",
                 owner="ops.lead", updater="ops.lead",
                 measurements=series("month", 9, 5, 0.3, 0.55, digits=2)),
         ]},
        {"kind": "internal", "code": "ship-fast", "name": "Ship fast and accurately",
         "owner": "ops.lead", "aligned_to": [{"objective": "company/deliver-on-time", "share": 0.5}],
         "kpis": [
             kpi("picking_accuracy", "Picking accuracy", unit="%", minimum=97, maximum=100,
                 target=99.7, time_aggregation="average", owner="ops.lead", updater="ops.lead",
                 measurements=series("month", 97, 100, 0.6, 0.8, noise=0.03, digits=2)),
             kpi("dock_to_stock", "Dock-to-stock time", unit="h", optimization="minimize",
                 maximum=48, minimum=8, time_aggregation="average", owner="ops.lead",
                 updater="ops.lead", indicator="leading",
                 measurements=series("month", 48, 8, 0.3, 0.62, digits=1)),
         ]},
        {"kind": "internal", "code": "lean-warehouse", "name": "A lean, safe warehouse",
         "owner": "ops.lead", "aligned_to": [{"objective": "company/lean-supply", "share": 0.5}],
         "kpis": [
             kpi("lines_per_hour", "Order lines picked per hour", unit="lines", minimum=40,
                 target=90, time_aggregation="average", owner="ops.lead", updater="ops.lead",
                 indicator="leading",
                 measurements=series("month", 40, 90, 0.4, 0.66, digits=0)),
             kpi("near_misses_reported", "Near misses reported", unit="reports", minimum=0,
                 target=15, owner="ops.lead", updater="ops.lead", indicator="leading",
                 measurements=series("month", 0, 15, 0.2, 0.25, noise=0.1, digits=0)),
         ]},
    ], [
        {"name": "Pick-by-light pilot", "owner": "ops.lead", "status": "active",
         "objectives": ["ship-fast", "lean-warehouse"], "start_date": "2026-04-01",
         "deadline": "2027-01-31", "budget": 110000, "spent": 84000,
         "tasks": [
             {"name": "Choose the zone and the supplier", "assignee": "ops.lead", "deadline": "2026-05-31", "state": "done"},
             {"name": "Install in the small-parts zone", "assignee": "ops.lead", "deadline": "2026-09-30", "state": "done"},
             {"name": "Measure lines per hour and errors for 3 months", "assignee": "ops.lead", "deadline": "2026-12-31", "state": "doing"},
             {"name": "Decide on the roll-out", "assignee": "ceo", "deadline": "2027-01-31", "state": "todo"},
         ]},
        {"name": "Right-size the packaging", "owner": "ops.lead", "status": "on_hold",
         "objectives": ["cost-per-order"], "start_date": "2026-06-01", "deadline": "2027-04-30",
         "budget": 20000, "spent": 3500,
         "description": "On hold until the pick-by-light pilot frees the packing team.",
         "tasks": [
             {"name": "Measure the air in 500 parcels", "assignee": "ops.lead", "deadline": "2026-07-31", "state": "done"},
             {"name": "Five box sizes instead of twelve", "assignee": "ops.lead", "deadline": "2027-02-28", "state": "todo"},
             {"name": "Renegotiate the carton contract", "assignee": "cfo", "deadline": "2027-04-30", "state": "todo"},
         ]},
    ])  # fmt: skip


#: Default targets of KPIs scored on a fixed worst/best scale (the target is the goal shown).
DEFAULT_TARGETS = {
    "days_sales_outstanding": 45, "return_rate": 6, "time_to_market": 300, "defect_rate": 1000,
    "stockout_rate": 2, "order_cycle_time": 2, "co2_per_unit": 10, "voluntary_turnover": 10,
    "retailer_churn": 5, "warehouse_cost_per_order": 6, "dock_to_stock": 12,
}  # fmt: skip


def t(period: str, value: float, provenance: str, note: str) -> dict[str, Any]:
    return {"period": period, "value": value, "provenance": provenance, "note": note}


#: Per-period targets with where each number comes from (section 8 of the scoring spec).
TARGETS = {
    "operating_cash_flow": [
        t("2025-01", 200_000, "history", "2024 average plus the effect of 30-day retailer terms"),
        t("2026-01", 250_000, "growth", "Budget 2026: fund the new shop from operations"),
    ],
    "days_sales_outstanding": [
        t("2025-01", 50, "benchmark", "Outdoor wholesale median 48 days (trade association survey 2024)"),
        t("2026-01", 45, "growth", "Five days less a year with the new dunning process"),
    ],
    "online_revenue_share": [
        t("2025-01", 33, "history", "2024 ended at 29 %; +4 points as in 2023"),
        t("2026-01", 40, "growth", "Strategy 2027: 45 % online by the end of 2027"),
    ],
    "net_promoter_score": [
        t("2025-Q1", 45, "benchmark", "Outdoor retail NPS: median 38, top quartile 52 (survey panel 2024)"),
        t("2026-Q1", 50, "benchmark", "Close to the top quartile"),
    ],
    "return_rate": [
        t("2025-01", 8, "history", "Best quarter of 2024 was 7.9 %"),
        t("2026-01", 6, "benchmark", "Apparel e-commerce peers return 5–7 % of outdoor hard goods"),
    ],
    "website_visitors": [
        t("2026-01", 60_000, "chain", "60 deals ÷ 15 % ÷ 15.4 % ÷ 4.3 % (conversion chain, 2025 rates)"),
    ],
    "signups": [
        t("2026-01", 2_600, "chain", "400 qualified leads ÷ 15.4 % qualification rate"),
    ],
    "qualified_leads": [
        t("2026-01", 400, "chain", "60 deals ÷ 15 % lead-to-deal rate"),
    ],
    "deals": [
        t("2025-01", 50, "history", "2024: 38 a month; +30 % expected from the dealer portal"),
        t("2026-01", 60, "growth", "Retail partner plan: 700 new partners in 2026"),
    ],
    "on_time_delivery": [
        t("2025-01", 95, "history", "2024 average 91 %; the lean programme promises 4 points"),
        t("2026-01", 97, "benchmark", "Top-quartile apparel logistics (OTIF study 2025)"),
    ],
    "time_to_market": [
        t("2025-Q1", 360, "history", "2024 average 395 days; stage-gate pilots saved 10 %"),
        t("2026-Q1", 300, "benchmark", "Best-in-class outdoor brands: 9–10 months"),
    ],
    "products_launched": [
        t("2025-Q1", 3, "history", "Range plan: twelve new products a year"),
    ],
    "defect_rate": [
        t("2025-01", 1_500, "history", "2024 best month 1,480 ppm"),
        t("2026-01", 1_000, "benchmark", "Supplier contracts allow 1,000 ppm"),
    ],
    "first_pass_yield": [
        t("2026-01", 97, "benchmark", "Sewing industry benchmark for technical apparel"),
    ],
    "supplier_audit_score": [
        t("2025-01", 80, "history", "Average of the five best suppliers in 2024"),
        t("2026-01", 90, "benchmark", "Fair Wear Foundation 'leader' level"),
    ],
    "co2_per_unit": [
        t("2025-01", 12, "growth", "−8 % a year towards the 2030 science-based target"),
        t("2026-01", 11, "growth", "−8 % a year towards the 2030 science-based target"),
    ],
    "training_hours": [
        t("2025-Q1", 10, "history", "2024: 8.5 hours a quarter"),
        t("2026-Q1", 12, "benchmark", "Industry average 40 hours a year; we aim for 48"),
    ],
    "engagement": [
        t("2025-H1", 75, "history", "2024 survey 72 points"),
        t("2026-H1", 80, "benchmark", "Survey provider's top-quartile threshold"),
    ],
    "wholesale_revenue": [
        t("2026-01", 1_400_000, "growth", "Sales' share (60 %) of the company revenue plan"),
    ],
    "pipeline_value": [
        t("2026-01", 1_500_000, "chain", "Three months of wholesale target at a 35 % win rate"),
    ],
    "quote_win_rate": [
        t("2025-01", 30, "history", "2024 average 24 %; best quarter 29 %"),
        t("2026-01", 35, "benchmark", "B2B outdoor peers: 30–40 %"),
    ],
    "dock_to_stock": [
        t("2026-01", 12, "benchmark", "Warehouse benchmark study: 8–16 hours"),
    ],
    "lines_per_hour": [
        t("2026-01", 90, "benchmark", "Pick-by-light vendor reference sites reach 100+"),
    ],
}  # fmt: skip


def with_targets(card: dict[str, Any]) -> dict[str, Any]:
    """Add the default and per-period targets above; measurements stay the last field."""
    for perspective in card["perspectives"]:
        for objective in perspective["objectives"]:
            kpis = []
            for item in objective.get("kpis", []):
                measurements = item.pop("measurements", None)
                if item["code"] in DEFAULT_TARGETS:
                    item["target"] = DEFAULT_TARGETS[item["code"]]
                item["targets"] = item.get("targets", []) + TARGETS.get(item["code"], [])
                if not item["targets"]:
                    del item["targets"]
                if measurements is not None:
                    item["measurements"] = measurements
                kpis.append(item)
            objective["kpis"] = kpis
    return card


def document() -> dict[str, Any]:
    users = [
        ("admin", "Hanna Berg", "admin", "northwind"),
        ("strategy", "Jonas Weber", "editor", "northwind"),
        ("ceo", "Elena Rossi", "editor", "northwind"),
        ("cfo", "Marc Dubois", "contributor", "northwind"),
        ("sales.lead", "Priya Nair", "contributor", "sales"),
        ("marketing", "Lucas Silva", "contributor", "sales"),
        ("ops.lead", "Sven Lund", "contributor", "operations"),
        ("hr.lead", "Aiko Tanaka", "contributor", "northwind"),
        ("viewer", "Tom Okafor", "viewer", "northwind"),
    ]
    return {
        "version": 1,
        "organization": {"name": "Northwind Outdoor", "slug": "northwind"},
        "units": [
            {"slug": "northwind", "name": "Northwind Outdoor"},
            {"slug": "sales", "name": "Sales", "parent": "northwind"},
            {"slug": "operations", "name": "Operations", "parent": "northwind"},
            # No scorecard yet: the unit to cascade the company scorecard to (docs/cascading.md).
            {"slug": "customer-service", "name": "Customer service", "parent": "northwind"},
        ],
        "users": [
            {"username": u, "name": n, "email": f"{u}@northwind.example", "role": r, "unit": unit}
            for u, n, r, unit in users
        ],
        "scorecards": [with_targets(c) for c in (company(), sales(), operations())],
    }


class _Dumper(yaml.SafeDumper):
    pass


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> Any:
    flow = all(isinstance(v, int | float) or v is None for v in data) and len(data) > 0
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def main() -> None:
    text = yaml.dump(document(), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    OUT.write_text(HEADER + text)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
