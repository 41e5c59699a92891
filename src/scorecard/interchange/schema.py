"""The JSON Schema of the scorecard document, generated from its pydantic model.

``docs/scorecard.schema.json`` is this module's output (``scripts/make_schema.py``
writes it; tests/interchange/test_schema.py fails when the committed file is out
of date). Editors use it to complete and check documents as they are typed; it
describes the fields, types and allowed values, while ``scorecard load`` also
checks what only the whole document can tell (references, periods, formulas).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .document import Document

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def document_schema() -> dict[str, Any]:
    """The schema as a dictionary, with its dialect, title and description first."""
    generated = Document.model_json_schema()
    generated.pop("title", None)
    generated.pop("description", None)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "Scorecard document",
        "description": (
            "An organization's strategy as one document: units, users, scorecards, "
            "perspectives, objectives, links, KPIs, targets, measurements, initiatives. "
            "See docs/scorecard-format.md."
        ),
        **generated,
    }


def schema_text() -> str:
    """The schema as the committed file holds it (stable key order, one trailing newline)."""
    return json.dumps(document_schema(), indent=2, ensure_ascii=False) + "\n"


def json_ready(data: Any) -> Any:
    """YAML data as JSON would carry it: dates (which YAML reads unquoted) as text."""
    if isinstance(data, dict):
        return {str(key): json_ready(value) for key, value in data.items()}
    if isinstance(data, list):
        return [json_ready(value) for value in data]
    if isinstance(data, dt.date):
        return data.isoformat()
    return data
