"""Sentences the engine writes for people, kept translatable without Django.

``gettext_noop("The KPI “%(name)s” has no unit.", name=...)`` returns a :class:`Text`:
a plain ``str`` holding the English sentence (so every caller keeps working), which
also carries its template and the values put into it. The web layer translates it
(``scorecard.health.text.translated``): the template goes through Django's gettext,
the values through the locale's number and date formats. The name is the one
``makemessages`` looks for, so the templates land in the catalogs.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any


def english(value: Any) -> str:
    """A value as the engine's English sentences write it: ``1,234``, ``0.25``,
    ``3 Oct 2026``."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.date):
        return f"{value:%-d %b %Y}"
    if isinstance(value, int | float):
        number = float(value)
        if math.isfinite(number) and number == round(number):
            return f"{number:,.0f}"
        return f"{number:,.3g}" if abs(number) < 1000 else f"{number:,.0f}"
    return str(value)


class Text(str):
    """An English sentence that remembers its template and values."""

    template: str
    params: dict[str, Any]

    def __new__(
        cls, text: str = "", template: str | None = None, params: dict[str, Any] | None = None
    ) -> Text:
        obj = super().__new__(cls, text)
        obj.template = text if template is None else template
        obj.params = dict(params or {})
        return obj


def gettext_noop(template: str, **params: Any) -> Text:
    """``template`` filled with ``params`` in English, translatable later."""
    text = template % {k: english(v) for k, v in params.items()} if params else template
    return Text(text, template, params)


def message(error: BaseException) -> str:
    """The sentence an engine error was raised with: its :class:`Text` when it has one
    (``str(error)`` would lose the template, so the web layer could not translate it),
    else the error's plain text."""
    first = error.args[0] if error.args else None
    return first if isinstance(first, Text) else str(error)
