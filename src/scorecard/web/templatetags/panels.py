"""``{% panel "template.html" data %}``: render a shared partial with the data its view
prepared (web/panels.py). The tag only renders; it never queries."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def panel(context: template.Context, template_name: str, data: dict[str, Any] | None) -> SafeString:
    """The partial ``template_name`` rendered with ``data`` (nothing when there is none)."""
    if not data:
        return SafeString("")
    partial = context.template.engine.get_template(template_name)  # type: ignore[union-attr]
    values = {**data, "csrf_token": context.get("csrf_token"), "request": context.get("request")}
    return SafeString(partial.render(context.new(values)))
