"""``{% load bidi %}``: ``{{ name|bdi }}`` shows text people typed as an isolated bidi run.

Names of organizations, scorecards, objectives, KPIs, people … may be written in a
right-to-left script (Arabic, Hebrew). Put next to our own left-to-right words, numbers
or punctuation, the Unicode bidi algorithm would reorder them together
(``إيرادات المبيعات: 51,430 (92%)`` shows the number on the wrong side). Templates write
``<bdi>{{ kpi.name }}</bdi>`` where a name stands in the markup; this filter does the same
for a name passed into a translated sentence::

    {% blocktranslate with name=kpi.name|bdi %}Record a value for {{ name }}{% endblocktranslate %}

Only for text content: inside an attribute (``title``, ``aria-label``, ``value``) or a
``<title>``/``<option>`` the tag would be wrong, so use the plain name there.
"""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe

register = template.Library()


@register.filter
def bdi(value: Any) -> Any:
    """``value`` escaped and wrapped in ``<bdi>`` (empty values stay as they are)."""
    if value is None or value == "":
        return value
    return format_html("<bdi>{}</bdi>", value)


#: A name a sentence quotes, between the quotation marks of the product's languages:
#: English “…”, German „…“, French and Spanish « … » (a space, often a no-break one, inside).
_QUOTED = re.compile(r"(“)([^“”]+)(”)|(„)([^„“]+)(“)|(«\s?)([^«»]+?)(\s?»)")


@register.filter
def quoted_names_isolated(value: Any) -> Any:
    """A sentence built in Python ("Saved the KPI “إيرادات”.", a flash message), escaped,
    with each name between quotation marks isolated (``<bdi>``), as the templates
    isolate names they show themselves: the sentence is translated whole, so the name
    cannot be wrapped where it is put in."""
    if value is None or value == "" or isinstance(value, SafeData):
        return value  # markup already (its quotation marks may stand in attributes)

    def isolated(match: re.Match[str]) -> str:
        opening, name, closing = (part for part in match.groups() if part is not None)
        return f"{opening}<bdi>{name}</bdi>{closing}"

    return mark_safe(_QUOTED.sub(isolated, str(conditional_escape(value))))  # escaped first
