"""Sentences written now in the active language that can be written again in another.

A reason such as "'abc' is not a number" is shown at once to the person who typed it,
but a data source's run keeps it and shows it later to whoever opens the source's page,
in their language. :func:`said` writes the sentence in the active language (gettext) and
keeps its English template and values too (an engine :class:`~scorecard.engine.text.Text`),
so a kept copy can be translated again (``presentation.findings.translated``). Mark each
template with ``gettext_noop`` so that ``makemessages`` collects it.
"""

from __future__ import annotations

from django.utils.translation import gettext

from scorecard.engine.text import Text


def said(template: str, **values: str) -> Text:
    """``template`` in the active language filled with ``values``, keeping both.

    Values are text (a cell as typed, a year) or sentences made by ``said``; text is
    written again exactly as given, so numbers that must not be regrouped stay text.
    """
    local = gettext(template)
    if values:
        local = local % {name: str(value) for name, value in values.items()}
    return Text(local, template, values)
