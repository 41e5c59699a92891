"""Property-based API testing: schemathesis generates requests from our OpenAPI document.

Every operation is called with generated path parameters, query strings and bodies,
valid ones and invalid ones, by an admin's token on a small populated organization,
with a fixed seed and a few examples per operation and kind (so CI stays quick and
every run sends the same requests). Every check schemathesis has must pass: no server
error; status codes, media types, headers and bodies as documented; invalid requests
refused and valid ones accepted; authentication not ignored; unsupported methods
answered 405.

One allowance, and it is visible in the answer: a request the document allows may
still break a rule no JSON Schema can say (a code already used in the scorecard, a
maximum below the minimum, a period that is not one of the KPI's, an id of nothing).
Such a 422 carries a ``code`` on every error; a 422 without one means the server and
the document disagree, and fails the test.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from scorecard.wsgi import application
from tests.api.conftest import ApiWorld, Stuff

#: Examples per operation (valid and invalid ones drawn together), and the fixed seed.
MAX_EXAMPLES = 12
SEED = 20261202


@schemathesis.check
def positive_data_acceptance_but_rules(ctx: Any, response: Any, case: Any) -> bool | None:
    """positive_data_acceptance, except for a 422 that names the rule broken on every error."""
    if response.status_code == 422:
        errors = response.json().get("errors") or []
        if errors and all(error.get("code") for error in errors):
            return None
    return positive_data_acceptance(ctx, response, case)


load_all_checks()
ALL_CHECKS = [check for check in CHECKS.get_all() if check is not positive_data_acceptance]
assert len(ALL_CHECKS) >= 14, [check.__name__ for check in ALL_CHECKS]


@pytest.mark.django_db
def test_api_never_errors_and_keeps_its_schema(api: ApiWorld, stuff: Stuff) -> None:
    # Driven by hand rather than through schemathesis' pytest plugin, whose fixture
    # support does not work with pytest 9; every operation's failure is collected.
    # As Django's own test client does: the request signals must not close the test's
    # database connection, which is inside the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        failures, operations = _run_every_operation(api)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert operations >= 49, "the OpenAPI document lost its operations"
    assert not failures, "\n\n".join(failures)


def _run_every_operation(api: ApiWorld) -> tuple[list[str], int]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    headers = {"Authorization": f"Bearer {api.tokens['admin']}"}
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        cases = st.one_of(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )

        @given(case=cases)
        @seed(SEED)  # the same cases on every run, so CI is reproducible
        @hypothesis_settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=ALL_CHECKS)

        try:
            check()
        except Exception as exc:
            failures.append(f"{operation.label}: {exc}")
    return failures, operations
