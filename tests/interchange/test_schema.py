"""The published JSON Schema of the document: up to date, and it accepts what load accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from scorecard.interchange.schema import document_schema, json_ready, schema_text

from .documents import DEMO, MINIMAL, kpi, mutate

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "docs" / "scorecard.schema.json"


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(text: str) -> list[str]:
    data = json_ready(yaml.safe_load(text))
    return sorted(e.message for e in validator().iter_errors(data))


def test_committed_schema_is_the_generated_one() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "docs/scorecard.schema.json is out of date: run "
        "PYTHONPATH=src .venv/bin/python scripts/make_schema.py"
    )


def test_schema_names_its_dialect_and_forbids_unknown_fields() -> None:
    schema = document_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["KpiIn"]["additionalProperties"] is False


def test_demo_company_is_valid() -> None:
    assert errors(DEMO.read_text(encoding="utf-8")) == []


def test_small_example_is_valid() -> None:
    assert errors(MINIMAL) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: kpi(d).update(optimization="most"), "'most' is not one of"),
        (lambda d: kpi(d).update(colour="red"), "Additional properties are not allowed"),
        (lambda d: kpi(d).update(weight=0), "0 is less than or equal to the minimum of 0"),
        (lambda d: kpi(d)["targets"][0].update(period="March"), "'March' is not valid"),
        (lambda d: d.pop("units"), "'units' is a required property"),
    ],
)
def test_schema_refuses_what_load_refuses(change: Any, message: str) -> None:
    found = errors(mutate(change))
    assert found and any(message in e for e in found), found
