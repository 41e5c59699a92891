"""`check --deploy` flags the example SECRET_KEY of docs/deploy.md and the development key."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from scorecard.deploy_checks import PUBLIC_SECRET_KEYS

from .test_deploy import production_environment, run_check

# `check --deploy` is run without a database.
pytestmark = pytest.mark.once


def test_the_documented_key_is_known_as_public() -> None:
    assert production_environment()["SECRET_KEY"] in PUBLIC_SECRET_KEYS


@pytest.mark.parametrize("key", sorted(PUBLIC_SECRET_KEYS))
def test_check_deploy_flags_a_public_key(tmp_path: Path, key: str) -> None:
    env = production_environment()
    env["SECRET_KEY"] = key
    result = run_check(env, tmp_path)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "scorecard.E001" in output
    assert "SECRET_KEY is the example or development key" in output


def test_a_real_key_is_not_flagged(tmp_path: Path) -> None:
    env = production_environment()
    env["SECRET_KEY"] = secrets.token_urlsafe(60)
    result = run_check(env, tmp_path)
    assert "scorecard.E001" not in result.stdout + result.stderr
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_while_links_lead_to_the_development_address(tmp_path: Path) -> None:
    """Without SCORECARD_BASE_URL every invitation link pointed at 127.0.0.1:8000."""
    env = production_environment()
    env["SECRET_KEY"] = secrets.token_urlsafe(60)
    env["SCORECARD_BASE_URL"] = "http://127.0.0.1:8000/"
    result = run_check(env, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "scorecard.W001" in output and "invitation and set-password links" in output
