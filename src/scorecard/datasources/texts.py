"""A run's messages kept so that they read in each person's language.

A scheduled pull is made by the worker, for nobody in particular; its message ("The
server did not answer within 30 s.") and its row problems are read later on the source's
page by people who chose different languages. So each is kept twice: the English sentence
(``Run.message``, each problem's ``message``: the admin, logs, the command line and the
API) and the sentence's template with its values (:func:`kept`), from which
:func:`restored` makes an engine :class:`Text` again for the ``translated`` filter. Text
that came from elsewhere (a driver's error, a cell) is a value and stays as it came; a run
stored before this kept no template and reads as stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from scorecard.engine.text import Text, english

#: How a date and a sentence inside a sentence are kept among JSON values.
_DATE, _TEXT = "date", "text"


def in_english(text: str) -> str:
    """``text`` in English, sentences inside it too (:func:`kpis.sentences.said` keeps the
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
