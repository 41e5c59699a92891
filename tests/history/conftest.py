"""The governed scorecard of tests/audit, shared."""

from tests.audit.conftest import Card, card, frozen_today  # noqa: F401
