"""The engine's messages in the reader's language (``engine/messages.py``): translate the
template, then fill in its values."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext

from scorecard.engine.messages import Message
from scorecard.engine.windows import WindowError


def translated(message: Message) -> str:
    """``message`` in the active language (English when its template has no translation);
    dates are written with the language's month names."""
    template = gettext(message.template)
    if not message.params:
        return template
    return template % {
        name: date_format(value, "j M Y") if isinstance(value, dt.date) else value
        for name, value in message.params.items()
    }


def window_error_text(error: WindowError) -> str:
    """Why a window was refused, in the active language."""
    return translated(error.message)
