"""Texts the engine writes for people, ready to be translated by the layers above.

The engine imports no Django, so it cannot translate. It marks each message template
with :func:`N_` (which changes nothing; ``make messages`` extracts it with
``xgettext --keyword=N_``) and keeps the values apart from the text in a
:class:`Message`: the presentation layer translates the template in the reader's
language and then fills in the values (``presentation/messages.py``; dates are written
the reader's way there). ``str()`` of a message is the English sentence (dates as
``1 Feb 2026``), for logs, the command line and tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def N_(template: str) -> str:
    """Mark ``template`` for translation without translating it (a no-op)."""
    return template


@dataclass(frozen=True)
class Message:
    """A message template (``%(name)s`` placeholders) and the values to fill it with."""

    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        if not self.params:
            return self.template
        return self.template % {
            name: f"{value:%-d %b %Y}" if isinstance(value, dt.date) else value
            for name, value in self.params.items()
        }
