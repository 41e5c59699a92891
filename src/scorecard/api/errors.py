"""One error format for every failure: {"detail": str, "errors": [{"loc": [...], "message": str}]}.

``detail`` is a sentence for people; ``errors`` lists each problem with where it is
(``loc``, as in the request: ["body", "name"], ["query", "limit"], ["body", 12, "value"]).
Bulk rows add ``index`` (the row's position) and ``field``. A request that matches the
OpenAPI document but breaks a rule the document cannot express (a code already used,
a maximum below the minimum, a person who is not a member, an item that does not exist)
is a 422 whose errors each carry a ``code`` naming the rule ("unique", "invalid", ...);
errors without ``code`` mean the request does not match the document.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from scorecard.kpis.services import MeasurementRowsError

from .access import NOT_FOUND
from .body import BodyError


class ErrorItem(Schema):
    loc: list[str | int]
    message: str
    index: int | None = None
    field: str | None = None
    code: str | None = None


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


class ApiError(Exception):
    """Raise from a view to answer ``status`` with the standard error body."""

    def __init__(self, status: int, detail: str, errors: list[dict[str, Any]] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []


def field_error(field: str, message: str, status: int = 422, code: str = "invalid") -> ApiError:
    """A 422 (by default) about one field of the request body: a rule the schema cannot say."""
    return ApiError(status, message, [{"loc": ["body", field], "message": message, "code": code}])


def _summary(errors: list[dict[str, Any]]) -> str:
    if len(errors) == 1:
        return str(errors[0]["message"])
    return _("%(count)d problems found; see errors.") % {"count": len(errors)}


def _respond(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    detail: str | Promise,
    errors: list[dict[str, Any]],
) -> HttpResponse:
    # Lazy translations become text in the request's language (Accept-Language).
    errors = [{**e, "message": str(e["message"])} if "message" in e else e for e in errors]
    response = api.create_response(
        request, {"detail": str(detail), "errors": errors}, status=status
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="scorecard"'
    return response


def _django_validation_errors(exc: DjangoValidationError) -> list[dict[str, Any]]:
    if hasattr(exc, "error_dict"):
        items: list[dict[str, Any]] = []
        for field, field_errors in exc.error_dict.items():
            loc: list[str | int] = ["body"] if field == NON_FIELD_ERRORS else ["body", field]
            for error in field_errors:
                items.extend(
                    {"loc": loc, "message": message, "code": error.code or "invalid"}
                    for message in error.messages
                )
        return items
    return [
        {"loc": ["body"], "message": message, "code": error.code or "invalid"}
        for error in exc.error_list
        for message in error.messages
    ]


def _ninja_validation_errors(exc: NinjaValidationError) -> list[dict[str, Any]]:
    items = []
    for error in exc.errors:
        loc = list(error.get("loc", ()))
        if loc[:2] == ["body", "payload"]:  # the body parameter's name says nothing to callers
            del loc[1]
        item: dict[str, Any] = {"loc": loc, "message": error.get("msg", "Invalid value.")}
        # Rows of a list body: ["body", 12, "value"] -> index 12, field "value".
        if len(loc) >= 3 and loc[0] == "body" and isinstance(loc[1], int):
            item["index"], item["field"] = loc[1], str(loc[2])
        items.append(item)
    return items


def too_large_message() -> str:
    """What a 413 says: the limit (SCORECARD_MAX_REQUEST_BYTES) and what to do."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    size = f"{limit / 1024 / 1024:.3g} MiB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
    return _(
        "The request body is too large: more than the %(size)s allowed; send less per call."
    ) % {"size": size}


OUT_OF_RANGE = gettext_lazy("A number in the request is too large to be an id, position or count.")


def install(api: NinjaAPI) -> None:
    """Register the handlers that give every error the standard shape."""

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return _respond(api, request, exc.status, exc.detail, exc.errors)

    @api.exception_handler(MeasurementRowsError)
    def rows_error(request: HttpRequest, exc: MeasurementRowsError) -> HttpResponse:
        errors = [
            {"loc": ["body", e.index, e.field], "message": e.message, "index": e.index,
             "field": e.field, **({} if getattr(e, "schema", False) else {"code": "invalid"})}
            for e in exc.row_errors
        ]  # fmt: skip
        rows = len({e.index for e in exc.row_errors})
        detail = _("%(count)d row(s) have problems; nothing was written.") % {"count": rows}
        return _respond(api, request, 422, detail, errors)

    @api.exception_handler(DjangoValidationError)
    def django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors = _django_validation_errors(exc)
        return _respond(api, request, 422, _summary(errors), errors)

    @api.exception_handler(NinjaValidationError)
    def ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = _ninja_validation_errors(exc)
        return _respond(api, request, 422, _summary(errors), errors)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        # Never echo a model name or id: another organization's item looks like no item.
        return _respond(api, request, 404, NOT_FOUND, [])

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _respond(api, request, 403, str(exc) or _("You may not do this."), [])

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        detail = exc.message if exc.message != "Unauthorized" else None
        return _respond(
            api,
            request,
            401,
            detail or _("Authentication required: send 'Authorization: Bearer <token>'."),
            [],
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, RequestDataTooBig):
            return too_big(request, exc.__cause__)
        if isinstance(exc.__cause__, BodyError):
            return body_error(request, exc.__cause__)
        return _respond(api, request, exc.status_code, str(exc), [])

    @api.exception_handler(BodyError)
    def body_error(request: HttpRequest, exc: BodyError) -> HttpResponse:
        return _respond(api, request, exc.status, exc.detail, exc.errors)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return _respond(api, request, 413, too_large_message(), [])

    @api.exception_handler(ProtectedError)
    def protected(request: HttpRequest, exc: ProtectedError) -> HttpResponse:
        detail = _("Other items still use this one; remove or move them first.")
        errors = [{"loc": ["path"], "message": detail, "code": "protected"}]
        return _respond(api, request, 422, detail, errors)

    @api.exception_handler(IntegrityError)
    def conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        detail = _("The change conflicts with another one made at the same time; try again.")
        return _respond(api, request, 409, detail, [])

    @api.exception_handler(OverflowError)
    def overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        # SQLite refuses integers beyond 64 bits before running the query.
        return _respond(
            api, request, 422, OUT_OF_RANGE, [{"loc": ["query"], "message": OUT_OF_RANGE}]
        )

    @api.exception_handler(DataError)
    def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        # PostgreSQL: a number beyond its column's range ("integer out of range").
        return _respond(
            api, request, 422, OUT_OF_RANGE, [{"loc": ["body"], "message": OUT_OF_RANGE}]
        )
