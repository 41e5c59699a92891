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

from typing import Any

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def bdi(value: Any) -> Any:
    """``value`` escaped and wrapped in ``<bdi>`` (empty values stay as they are)."""
    if value is None or value == "":
        return value
    return format_html("<bdi>{}</bdi>", value)
