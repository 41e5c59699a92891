"""A database that is away answers 503 wherever it is met: in a view or in a middleware."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings


class _DatabaseGoneMiddleware:
    """Stands for any middleware that reads the database before the view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.endswith("/gone/") or request.GET.get("gone"):
            raise OperationalError("could not connect to server: Connection refused")
        if request.GET.get("bug"):
            raise ValueError("a real bug")
        return self.get_response(request)


FAILING = [*settings.MIDDLEWARE, f"{__name__}._DatabaseGoneMiddleware"]


@pytest.mark.django_db
@override_settings(MIDDLEWARE=FAILING, DEBUG=False)
@pytest.mark.parametrize(
    ("path", "expected_type"),
    [("/login/?gone=1", "text/html"), ("/api/v1/scorecards?gone=1", "application/json")],
)
def test_a_middleware_meeting_a_missing_database_answers_503(path: str, expected_type: str) -> None:
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith(expected_type)
    assert b"cannot reach its database" in response.content
    assert b"Traceback" not in response.content


@pytest.mark.django_db
@override_settings(MIDDLEWARE=FAILING, DEBUG=False)
def test_any_other_error_stays_a_500() -> None:
    response = Client(raise_request_exception=False).get("/login/?bug=1")
    assert response.status_code == 500
    assert "Retry-After" not in response
