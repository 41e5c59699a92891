"""The API personas (tests/api/conftest.py) serve the risk API's tests too."""

from tests.api.conftest import api  # noqa: F401 - re-exported pytest fixture
