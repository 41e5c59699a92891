"""The OpenAPI document and the docs page (which must work offline)."""

from __future__ import annotations

import json
import re
from typing import Any

from django.test import Client

RESOURCES = [
    "units", "scorecards", "perspectives", "objectives", "links", "kpis", "targets",
    "measurements", "initiatives", "tasks",
]  # fmt: skip


def openapi() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(refs(v) for v in node)) if node else set()
    return set()


def test_document_is_valid_and_complete() -> None:
    schema = openapi()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Scorecard API" and schema["info"]["version"] == "1"
    paths = schema["paths"]
    for resource in RESOURCES:
        assert f"/api/v1/{resource}" in paths, resource
        detail = [p for p in paths if re.fullmatch(rf"/api/v1/{resource}/\{{\w+\}}", p)]
        assert detail, resource
    assert "/api/v1/scorecards/{scorecard_id}/scores" in paths
    assert "/api/v1/measurements/bulk" in paths
    assert "/api/v1/me" in paths
    # Every $ref points at a component; operation ids are unique; errors are described.
    components = schema["components"]["schemas"]
    for ref in refs(schema):
        assert ref.startswith("#/components/schemas/") and ref.split("/")[-1] in components
    operation_ids = [op["operationId"] for ops in paths.values() for op in ops.values()]
    assert len(operation_ids) == len(set(operation_ids))
    for ops in paths.values():
        for op in ops.values():
            assert {"401", "403", "404", "422"} <= set(op["responses"])
            assert op["security"] == [{"TokenAuth": []}, {"SessionAuth": []}]
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    bulk = paths["/api/v1/measurements/bulk"]["post"]["requestBody"]
    assert bulk["content"]["application/json"]["schema"]["maxItems"] == 10_000


def test_docs_page_needs_no_network() -> None:
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) == 4
    for asset in assets:
        assert asset.startswith("/api/docs-assets/")
        response = Client().get(asset)
        assert response.status_code == 200, asset
        body = b"".join(response.streaming_content)
        assert len(body) > 100
    assert Client().get("/api/docs-assets/..%2Fsettings.py").status_code == 404
    assert Client().get("/api/docs-assets/redoc.standalone.js").status_code == 404
