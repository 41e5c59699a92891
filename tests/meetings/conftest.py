from tests.audit.conftest import card, frozen_today  # noqa: F401 — shared fixtures
