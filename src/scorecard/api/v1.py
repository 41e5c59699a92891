"""The REST API, version 1: one NinjaAPI, one router module per resource."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase
from ninja.operation import Operation

from . import errors
from .access import SessionAuth, TokenAuth
from .body import ScorecardParser
from .errors import ErrorOut
from .routers import (
    datasources,
    initiatives,
    involvement,
    kpis,
    links,
    me,
    measurements,
    objectives,
    perspectives,
    planning,
    risks,
    scorecards,
    scores,
    targets,
    tasks,
    units,
)


class OfflineSwagger(DocsBase):
    """Swagger UI from the copy django-ninja ships (no CDN), served by api.views.docs_asset."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
            "validatorUrl": None,
        }
        return render(request, "api/docs.html", {"api": api, "swagger_settings": settings})


class ScorecardNinjaAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document also describes the shared error answers.

    Operation ids are the view functions' names (``scorecard_list``, ``measurement_bulk``),
    short and stable, so generated clients read well.
    """

    ERROR_STATUSES = {
        "400": "The request cannot be read: the body is not JSON.",
        "401": "Not authenticated, or the token is unknown, expired or revoked.",
        "403": "Your role does not allow this.",
        "404": "No such item in your organizations.",
        "409": "The change conflicts with another one made at the same time; try again.",
        "422": (
            "The request is not valid, or breaks a rule (errors with a `code`); errors say where."
        ),
    }
    BODY_ERROR_STATUSES = {
        "413": "The body is larger than the server accepts (SCORECARD_MAX_REQUEST_BYTES).",
    }

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        error = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(error.pop("$defs", {}))
        components["ErrorOut"] = error
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                statuses = dict(self.ERROR_STATUSES)
                if "requestBody" in operation:
                    statuses.update(self.BODY_ERROR_STATUSES)
                for status, description in statuses.items():
                    responses.setdefault(status, {"description": description, "content": ref})
        return schema


DESCRIPTION = """\
Read and write everything in your organizations' scorecards.

Authenticate with a personal token (`Authorization: Bearer sct_…`, create one at
/api/tokens/<organization>/) or, in the browser, with your signed-in session
(unsafe methods then need the `X-CSRFToken` header). Errors always look like
`{"detail": "...", "errors": [{"loc": [...], "message": "..."}]}`.
See docs/api.md for a walk-through.
"""

api = ScorecardNinjaAPI(
    title="Scorecard API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=[TokenAuth(), SessionAuth()],
    docs=OfflineSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=ScorecardParser(),
)
errors.install(api)

for module in (
    me,
    units,
    scorecards,
    perspectives,
    objectives,
    links,
    kpis,
    targets,
    measurements,
    initiatives,
    tasks,
    scores,
    involvement,
    risks,
    planning,
    datasources,
):
    api.add_router("", module.router)
