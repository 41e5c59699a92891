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


# --- sentences kept in the database ------------------------------------------------------
# Something that happened without a reader (a scheduled pull, a report job, a webhook
# call) keeps its sentence twice: the English text (the admin, logs, the command line)
# and the template with its values as JSON (:func:`kept`), from which :func:`restored`
# makes a Text again for the reader's language. Text that came from elsewhere (a driver's
# error, a cell) is a value, kept as it came; a row stored before kept no template and
# reads as stored.

#: How a date and a sentence inside a sentence are kept among JSON values.
_DATE, _TEXT = "date", "text"


def in_english(text: str) -> str:
    """``text`` in English, sentences inside it too (``kpis.sentences.said`` keeps the
    active language's words in the ``str`` itself, the English template beside them)."""
    if not isinstance(text, Text):
        return str(text)
    if not text.params:
        return text.template
    return text.template % {
        name: in_english(value) if isinstance(value, Text) else english(value)
        for name, value in text.params.items()
    }


def _kept_value(value: Any) -> Any:
    if isinstance(value, Text):
        return {_TEXT: kept(value)}
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return str(value)


def kept(text: str) -> dict[str, Any]:
    """The template and values of ``text`` as JSON; ``{}`` for plain text."""
    if not isinstance(text, Text):
        return {}
    return {
        "template": text.template,
        "values": {name: _kept_value(value) for name, value in text.params.items()},
    }


def _restored_value(value: Any) -> Any:
    if isinstance(value, dict) and _DATE in value:
        return dt.date.fromisoformat(value[_DATE])
    if isinstance(value, dict) and _TEXT in value:
        inner = restored("", value[_TEXT])
        if not isinstance(inner, Text):
            raise ValueError("a kept sentence without its template")
        return inner
    return value


def restored(stored: str, sentence: dict[str, Any] | None) -> str:
    """The kept sentence as a :class:`Text` to translate, or ``stored`` as it is when
    nothing (or nothing usable) was kept."""
    template = (sentence or {}).get("template")
    if not template or not isinstance(template, str):
        return stored
    try:
        kept_values = (sentence or {}).get("values") or {}
        values = {name: _restored_value(value) for name, value in kept_values.items()}
        written = in_english(Text("", template, values))  # checks the values fit too
        return Text(stored or written, template, values)
    except (KeyError, TypeError, ValueError):  # values that no longer fit the template
        return stored


def kept_columns(name: str, text: str, limit: int) -> dict[str, Any]:
    """The three columns a row keeps a sentence in, as keyword arguments for the ORM:
    ``name`` in English (cut to ``limit``), ``<name>_template`` and ``<name>_values``."""
    sentence = kept(text)
    return {
        name: in_english(text)[:limit],
        f"{name}_template": sentence.get("template", ""),
        f"{name}_values": sentence.get("values", {}),
    }


def restored_column(row: Any, name: str) -> str:
    """:func:`restored` of the three columns :func:`kept_columns` filled on ``row``."""
    return restored(
        getattr(row, name),
        {"template": getattr(row, f"{name}_template"), "values": getattr(row, f"{name}_values")},
    )


def message(error: BaseException) -> str:
    """The sentence an engine error was raised with: its :class:`Text` when it has one
    (``str(error)`` would lose the template, so the web layer could not translate it),
    else the error's plain text."""
    first = error.args[0] if error.args else None
    return first if isinstance(first, Text) else str(error)
