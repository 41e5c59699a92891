"""The engine's window errors in the reader's language (see presentation/findings.py for
how an engine sentence is translated)."""

from __future__ import annotations

from scorecard.engine.windows import WindowError

from .findings import translated


def window_error_text(error: WindowError) -> str:
    """Why a window was refused, in the active language."""
    return translated(error.message)
