"""Help where the question arises.

``{% term "score" %}`` renders a term as an ``<abbr>`` whose short explanation shows on
hover and on keyboard focus (title and a CSS tooltip read from ``data-tip``), followed by
a small link to the term on the glossary page (/help/#score). ``{{ result|gap:kpi }}``
says how far a value is from its target.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from scorecard.presentation.glossary import gap_text
from scorecard.presentation.glossary import term as glossary_term

register = template.Library()


@register.simple_tag
def term(key: str, label: str = "") -> SafeString:
    """A term with its tooltip and glossary link; ``label`` replaces the term's name."""
    entry = glossary_term(key)
    href = reverse("help") + f"#{entry.key}"
    return format_html(
        '<span class="term"><abbr title="{tip}" data-tip="{tip}" tabindex="0">{label}</abbr>'
        '<a class="termhelp" href="{href}" aria-label="{name}">?</a></span>',
        tip=entry.short,
        label=label or entry.label,
        href=href,
        name=_("%(term)s in the glossary") % {"term": entry.label},
    )


@register.filter
def gap(result: Any, kpi: Any) -> str:
    """``{{ result|gap:kpi }}``: "200 € short of the target" and the like."""
    return gap_text(result, getattr(kpi, "optimization", "maximize"), getattr(kpi, "unit", ""))
