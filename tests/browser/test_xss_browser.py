"""User text with HTML and script in it is shown as text, never run, on every main page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.usefixtures("demo")

PAYLOAD = '<img src=x onerror=alert(1)>"><script>alert(2)</script>'


def _plant_payloads() -> dict[str, str]:
    """Put the payload into every kind of text a user can write; return page URLs."""
    from scorecard.initiatives.models import Initiative, Task
    from scorecard.kpis.models import Kpi, Measurement
    from scorecard.organizations.models import Unit
    from scorecard.reviews.models import Comment
    from scorecard.strategy.models import Objective, Perspective, Scorecard

    scorecard = Scorecard.objects.get(organization__slug="northwind", slug="company")
    Scorecard.objects.filter(pk=scorecard.pk).update(
        vision=f"Vision {PAYLOAD}", mission=f"Mission {PAYLOAD}"
    )
    perspective = Perspective.objects.filter(scorecard=scorecard).order_by("position").first()
    assert perspective is not None
    Perspective.objects.filter(pk=perspective.pk).update(name=f"P {PAYLOAD}")
    objective = Objective.objects.filter(scorecard=scorecard).order_by("id").first()
    assert objective is not None
    Objective.objects.filter(pk=objective.pk).update(
        name=f"O {PAYLOAD}", description=f"D {PAYLOAD}"
    )
    kpi = Kpi.objects.filter(scorecard=scorecard, formula="").order_by("id").first()
    assert kpi is not None
    Kpi.objects.filter(pk=kpi.pk).update(name=f"K {PAYLOAD}", unit="<b>u</b>")
    Measurement.objects.filter(kpi=kpi, superseded_at__isnull=True).update(note=f"N {PAYLOAD}")
    Comment.objects.create(
        kpi=kpi,
        author_id=kpi.owner_id or scorecard.organization.memberships.first().user_id,
        text=f"C {PAYLOAD}",
        created_at=dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC),
    )
    initiative = Initiative.objects.filter(scorecard=scorecard).order_by("id").first()
    assert initiative is not None
    Initiative.objects.filter(pk=initiative.pk).update(name=f"I {PAYLOAD}")
    Task.objects.filter(initiative=initiative).update(name=f"T {PAYLOAD}")
    Unit.objects.filter(pk=scorecard.unit_id).update(name=f"U {PAYLOAD}")
    base = "/o/northwind/s/company/"
    return {
        "scorecard": base,
        "map": base + "map/",
        "kpi": f"{base}kpi/{kpi.code}/",
        "objective": f"{base}objective/{objective.code}/",
        "initiative": f"{base}initiatives/{initiative.pk}/",
        "initiatives": f"{base}initiatives/",
        "board": f"{base}initiatives/board/",
        "structure": f"{base}perspectives/",
        "entry": base + "entry/",
        "organization": "/o/northwind/",
        "home": "/",
    }


def test_user_text_is_never_run_as_html(page: Any) -> None:
    pages = _plant_payloads()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, "admin")
    for name, url in pages.items():
        page.goto(url)
        # Nothing was injected: no element from the payload exists in the document ...
        injected = page.evaluate(
            """() => document.querySelectorAll('img[src="x"], [onerror]').length
                 + [...document.scripts].filter(s => s.textContent.includes('alert(')).length"""
        )
        assert injected == 0, f"{name}: the payload became HTML"
        # ... and where the page shows it, it shows it as the text that was typed.
        if name not in {"entry", "home", "map"}:  # the map wraps names over lines
            assert "<img src=x onerror=alert(1)>" in page.inner_text("body"), name
    screenshot(page, "xss-home")
    assert dialogs == []
