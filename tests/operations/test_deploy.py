"""docs/deploy.md's production environment passes Django's deployment checks."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

# `check --deploy` is run without a database.
pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = (ROOT / "docs" / "deploy.md").read_text()


def production_environment() -> dict[str, str]:
    block = re.search(r"<!-- production-env -->\s*```sh\n(.*?)```", DEPLOY, re.S)
    assert block, "docs/deploy.md lost its production-env block"
    pairs = [line.split("=", 1) for line in block.group(1).splitlines() if "=" in line]
    return {name.strip(): value.strip() for name, value in pairs}


def run_check(extra: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("SECURE_", "DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC")
        )
    }
    env.update(extra)
    env["SCORECARD_DATA_DIR"] = str(tmp_path)
    env.pop("DATABASE_URL", None)  # the check needs no database server
    return subprocess.run(
        [sys.executable, "-m", "scorecard.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_documented_production_environment_passes_check_deploy(tmp_path: Path) -> None:
    env = production_environment()
    assert env["DEBUG"] == "0"
    # With the example key replaced, as the page says (the example itself is flagged).
    env["SECRET_KEY"] = secrets.token_urlsafe(60)
    result = run_check(env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_https_settings_are_missing(tmp_path: Path) -> None:
    env = production_environment()
    env.pop("SECURE_SSL_REDIRECT")
    env.pop("SECURE_HSTS_SECONDS")
    result = run_check(env, tmp_path)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
    assert "security.W008" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = production_environment()
    env.pop("SECRET_KEY")
    result = run_check(env, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_gunicorn_configuration_is_importable() -> None:
    from scorecard import gunicorn_conf

    assert gunicorn_conf.workers >= 2
    assert gunicorn_conf.timeout >= 60
