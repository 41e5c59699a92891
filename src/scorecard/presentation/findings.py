"""The engine's sentences for people (engine/text.py) in the active language: the
template through gettext, numbers and dates in the locale's formats."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.utils.translation import gettext

from scorecard.dates import day_month_year
from scorecard.engine.text import Text

from .numbers import format_number

logger = logging.getLogger(__name__)


def _local(value: Any) -> str:
    if isinstance(value, Text):  # a sentence inside a sentence: translated too
        return translated(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.date):
        return day_month_year(value)
    if isinstance(value, int | float):
        return format_number(value)
    return str(value)


def translated(text: str) -> str:
    """``text`` in the active language when it is a translatable engine sentence;
    any other text (a name, a message from elsewhere) as it is."""
    if not isinstance(text, Text):
        return text
    template = gettext(text.template)
    if not text.params:
        return template
    values = {name: _local(value) for name, value in text.params.items()}
    try:
        return template % values
    except (KeyError, ValueError, TypeError):
        # A translation that names a placeholder the sentence does not have, or breaks
        # the %-syntax (a catalogue edited by hand): the sentence in English rather
        # than a page that fails for everyone reading that language.
        logger.warning("Translation of %r does not fit its placeholders: %r", text.template,
                       template)  # fmt: skip
        return text.template % values
