"""Oversized and malformed requests are refused with a page that says why."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_an_oversized_form_is_refused_and_nothing_is_written(world: Any, settings: Any) -> None:
    from scorecard.kpis.models import Measurement

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = world.client_for("editor")
    response = client.post("/o/northwind/s/company/entry/", {"note": "x" * 20_000})
    assert response.status_code == 400
    assert "The request was not accepted" in response.content.decode()
    assert not Measurement.objects.exists()


def test_an_oversized_api_body_is_refused_with_413(world: Any, settings: Any) -> None:
    from scorecard.api.services import api_token_create

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    _, token = api_token_create(user=world.admin, organization=world.organization, name="t")
    response = world.client_for("anonymous").post(
        "/api/v1/measurements/bulk",
        data="[" + ",".join(['{"kpi": 1, "period_start": "2026-01-01", "value": 1}'] * 500) + "]",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_unknown_pages_get_a_helpful_404(world: Any) -> None:
    response = world.client_for("viewer").get("/o/northwind/s/no-such-scorecard/")
    assert response.status_code == 404
    assert "belongs to an organization you are not a member of" in response.content.decode()


def test_a_too_low_role_gets_a_page_that_says_so(world: Any) -> None:
    response = world.client_for("viewer").get("/o/northwind/s/company/edit/")
    assert response.status_code == 403
    assert "Your role does not allow this" in response.content.decode()


def test_formula_text_never_reaches_python_eval() -> None:
    """A formula is parsed into our own whitelisted tree; Python code in it is an error."""
    from scorecard.engine import formulas

    for text in [
        "__import__('os').system('true')",
        "().__class__.__bases__[0].__subclasses__()",
        "open('/etc/passwd').read()",
        "lambda: 1",
        "[x for x in (1,)]",
        "eval('1')",
    ]:
        with pytest.raises(formulas.FormulaError):
            formulas.parse(text)
