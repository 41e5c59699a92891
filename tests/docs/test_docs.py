"""Docs that tests keep complete (after datasette): every setting and command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def settings_variables() -> set[str]:
    source = (ROOT / "src" / "scorecard" / "settings.py").read_text()
    return set(re.findall(r"env_(?:str|bool|int|list)\(\s*\"([A-Z_]+)\"", source))


@pytest.mark.parametrize("name", sorted(settings_variables()))
def test_every_environment_variable_is_in_the_readme(name: str) -> None:
    assert f"`{name}`" in README, f"{name} is read in settings.py but not documented in README.md"


def test_settings_variables_were_found() -> None:
    assert {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"} <= settings_variables()


OUR_COMMANDS = sorted(
    p.stem
    for p in (ROOT / "src" / "scorecard").glob("*/management/commands/*.py")
    if not p.stem.startswith("_")
)


@pytest.mark.parametrize("command", OUR_COMMANDS)
def test_every_scorecard_command_is_in_the_readme(command: str) -> None:
    assert f"`scorecard {command}" in README, f"scorecard {command} is not documented in README.md"


def test_readme_names_the_two_commands() -> None:
    assert "make demo" in README and "make test" in README


def test_format_example_in_the_docs_is_valid() -> None:
    """The complete example in docs/scorecard-format.md parses and passes every check."""
    from scorecard.interchange.document import parse_document

    text = (ROOT / "docs" / "scorecard-format.md").read_text()
    example = re.search(r"```yaml\n(.*?)```", text, re.DOTALL)
    assert example is not None
    document = parse_document(example.group(1))
    assert document.organization.slug == "acme"


def test_scoring_doc_names_every_optimization_type() -> None:
    from scorecard.engine.types import Optimization

    text = (ROOT / "docs" / "scoring.md").read_text()
    for member in Optimization:
        assert f"| {member.value} |" in text, member.value
