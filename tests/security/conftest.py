"""The API personas and objects (tests/api/conftest.py) serve the authorization matrix too."""

from tests.api.conftest import api, stuff  # noqa: F401 - re-exported pytest fixtures
