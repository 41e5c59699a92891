"""The house keeps its shape: docs/architecture.md names every package, the layers
contract lists every package, no two packages import each other in a cycle, and no import
hides inside a function to dodge one (docs/architecture.md)."""

from __future__ import annotations

import ast
import itertools
import re
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "scorecard"
DOC = ROOT / "docs" / "architecture.md"

#: Imports allowed inside a function, each with its reason. Anything else inside a
#: function body is taken for an import moved there to dodge a cycle.
FUNCTION_IMPORTS = {
    # Django must not be imported before the settings module is chosen.
    ("cli.py", "django.core.management"): "settings first",
    # openpyxl is large; only XLSX files pay for importing it.
    ("imports/tabular.py", "openpyxl"): "heavy optional import",
    ("imports/tabular.py", "openpyxl.utils.exceptions"): "heavy optional import",
    ("imports/tabular.py", "openpyxl.cell"): "heavy optional import",
    ("imports/tabular.py", "openpyxl.styles"): "heavy optional import",
    # Django's documented place to connect signal receivers is AppConfig.ready().
    ("webhooks/apps.py", ".receivers"): "AppConfig.ready connects receivers",
    ("kpis/apps.py", ".versioning"): "AppConfig.ready connects the data-version receivers",
    ("initiatives/apps.py", ".versioning"): "AppConfig.ready connects the data-version receivers",
    ("planning/apps.py", ".versioning"): "AppConfig.ready connects the data-version receivers",
    ("api/apps.py", ".signals"): "AppConfig.ready connects the token-revoking receivers",
    ("api/apps.py", "scorecard"): "AppConfig.ready registers the deploy checks",
    ("alerts/apps.py", ".receivers"): "AppConfig.ready connects receivers",
    ("web/apps.py", ".language"): "AppConfig.ready connects the sign-in language receiver",
    ("audit/apps.py", ".integrity"): "AppConfig.ready connects the person-deletion lock",
    ("kpis/apps.py", ".integrity"): "AppConfig.ready connects the KPI deletion lock and hold",
    ("kpis/apps.py", ".models"): "AppConfig.ready connects the KPI deletion lock and hold",
}


def packages() -> list[str]:
    """The packages directly under src/scorecard (the apps and the layers' parts)."""
    return sorted(p.parent.name for p in SRC.glob("*/__init__.py"))


def contract_layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c["type"] == "layers")
    return [re.split(r"\s*[|:]\s*", layer) for layer in layers]


def test_every_package_is_described_in_docs_architecture() -> None:
    text = DOC.read_text()
    missing = [name for name in packages() if f"`{name}/`" not in text]
    assert not missing, f"docs/architecture.md does not describe: {missing}"
    described = set(re.findall(r"^\| `(\w+)/` \|", text, flags=re.M))
    assert described == set(packages()), "the table of packages and the tree disagree"


def test_every_package_has_a_layer() -> None:
    layered = {m.removeprefix("scorecard.") for layer in contract_layers() for m in layer}
    missing = [name for name in packages() if name not in layered]
    assert not missing, f"pyproject's layers contract does not place: {missing}"
    unknown = {m for m in layered if m not in packages() and not (SRC / f"{m}.py").exists()}
    assert not unknown, f"the layers contract names what does not exist: {unknown}"


def test_no_import_cycle_between_packages() -> None:
    graph = grimp.build_graph("scorecard")
    names = [f"scorecard.{name}" for name in packages()]
    cycles = []
    for a, b in itertools.combinations(names, 2):
        there = graph.chain_exists(importer=a, imported=b, as_packages=True)
        back = graph.chain_exists(importer=b, imported=a, as_packages=True)
        if there and back:
            cycles.append((a, b))
    assert not cycles, f"packages that import each other (directly or not): {cycles}"


def _function_imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for sub in ast.walk(node):
                if isinstance(sub, ast.ImportFrom):
                    module = "." * sub.level + (sub.module or "")
                    if not sub.module:  # from . import name
                        module += ",".join(alias.name for alias in sub.names)
                    found.append((sub.lineno, module))
                elif isinstance(sub, ast.Import):
                    found += [(sub.lineno, alias.name) for alias in sub.names]
    return found


def test_no_import_inside_a_function_without_a_reason() -> None:
    hidden = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        relative = path.relative_to(SRC).as_posix()
        for line, module in _function_imports(path):
            if (relative, module) not in FUNCTION_IMPORTS:
                hidden.append(f"{relative}:{line} imports {module}")
    assert not hidden, "imports inside functions (move them up, or give a reason):\n" + "\n".join(
        hidden
    )


@pytest.mark.parametrize("kind", ["views.py", "urls.py", "templates"])
def test_pages_live_under_web(kind: str) -> None:
    """Every HTML view, URL map and page template is under web/ (the API has its own
    URL map; the presentation layer keeps the report's and e-mails' templates)."""
    allowed = {"web", "api", "presentation"} if kind != "views.py" else {"web"}
    found = [
        p.relative_to(SRC).as_posix()
        for p in SRC.rglob(kind)
        if p.relative_to(SRC).parts[0] not in allowed and "site-packages" not in p.parts
    ]
    found = [f for f in found if f != kind]  # the top-level urls.py
    assert not found, f"outside web/: {found}"
