"""The engine stays pure: no Django, no I/O, no clock (checked on the source with ``ast``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "src" / "scorecard" / "engine"
MODULES = sorted(ENGINE.glob("*.py"))

#: Top-level packages the engine may not import: the web framework, the apps, and
#: anything that touches files, processes, the network or the clock.
FORBIDDEN_IMPORTS = {
    "django",
    "os",
    "pathlib",
    "shutil",
    "subprocess",
    "socket",
    "sqlite3",
    "urllib",
    "http",
    "requests",
    "time",
    "random",
}
FORBIDDEN_SCORECARD = {"organizations", "strategy", "kpis", "initiatives", "reviews", "web", "api"}
FORBIDDEN_NAMES = {"open", "eval", "exec", "compile", "__import__", "input", "print", "breakpoint"}
#: Method names that read the clock or the disk, whatever object they are called on.
FORBIDDEN_METHODS = {"now", "today", "utcnow", "read_text", "write_text", "read_bytes", "open"}


def _problems(tree: ast.AST) -> list[str]:
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] in FORBIDDEN_IMPORTS:
                    found.append(f"import {alias.name}")
                if parts[0] == "scorecard" and len(parts) > 1 and parts[1] in FORBIDDEN_SCORECARD:
                    found.append(f"import {alias.name}")
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            parts = (node.module or "").split(".")
            if parts[0] in FORBIDDEN_IMPORTS:
                found.append(f"from {node.module} import")
            if parts[0] == "scorecard" and (len(parts) < 2 or parts[1] != "engine"):
                found.append(f"from {node.module} import")
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in FORBIDDEN_NAMES:
                found.append(f"{func.id}()")
            if isinstance(func, ast.Attribute) and func.attr in FORBIDDEN_METHODS:
                found.append(f".{func.attr}()")
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_engine_module_is_pure(path: Path) -> None:
    assert _problems(ast.parse(path.read_text())) == [], path.name


def test_all_engine_modules_were_found() -> None:
    names = {p.name for p in MODULES}
    assert {"scoring.py", "periods.py", "rollup.py", "formulas.py", "evaluate.py"} <= names


@pytest.mark.parametrize(
    "source",
    [
        "import django",
        "from django.db import models",
        "import datetime as dt\ndt.date.today()",
        "from datetime import datetime\ndatetime.now()",
        "import time\ntime.time()",
        "open('f')",
        "from pathlib import Path\nPath('x').read_text()",
        "from scorecard.kpis import models",
        "eval('1')",
    ],
)
def test_the_checker_catches_impurity(source: str) -> None:
    assert _problems(ast.parse(source))
