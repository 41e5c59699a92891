"""Write docs/scorecard.schema.json, the JSON Schema of the scorecard document.

Run after a change to src/scorecard/interchange/document.py:
``PYTHONPATH=src .venv/bin/python scripts/make_schema.py`` (``--check`` only compares).
"""

from __future__ import annotations

import sys
from pathlib import Path

from scorecard.interchange.schema import schema_text

OUT = Path(__file__).resolve().parents[1] / "docs" / "scorecard.schema.json"


def main(argv: list[str]) -> int:
    text = schema_text()
    current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    if "--check" in argv:
        if current != text:
            print(f"{OUT} is out of date; run scripts/make_schema.py", file=sys.stderr)
            return 1
        return 0
    if current != text:
        OUT.write_text(text, encoding="utf-8")
        print(f"Wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
