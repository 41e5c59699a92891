"""The engine's messages in the reader's language (``engine/messages.py``): translate the
template, then fill in its values."""

from __future__ import annotations

from django.utils.translation import gettext

from scorecard.engine.messages import Message


def translated(message: Message) -> str:
    """``message`` in the active language (English when its template has no translation)."""
    template = gettext(message.template)
    return template % dict(message.params) if message.params else template
