"""A document nested 5,000 levels deep ends load, diff and check with a clear error."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from scorecard.interchange.document import MAX_YAML_DEPTH

DEEP_FLOW = "version: 1\norganization: " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_BLOCK = "version: 1\norganization:\n" + "".join(
    "  " * level + "- \n" for level in range(1, 1500)
)
MESSAGE = f"nested more than {MAX_YAML_DEPTH} levels deep"


@pytest.mark.parametrize("text", [DEEP_FLOW, DEEP_BLOCK], ids=["flow", "block"])
@pytest.mark.parametrize("command", ["load", "diff", "check"])
@pytest.mark.django_db
def test_deep_documents_end_with_a_nesting_error(tmp_path: Path, text: str, command: str) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    args = [str(path), str(path)] if command == "diff" else [str(path)]
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(command, *args, stdout=out, stderr=err)
    said = out.getvalue() + err.getvalue() + str(caught.value)
    assert MESSAGE in said, said[-500:]
    assert "RecursionError" not in said
