"""The period a page shows, in words: a fixed view's name or a custom window's days."""

from __future__ import annotations

from django import template

from scorecard.web.queries import view_label

register = template.Library()
register.filter("view_label", view_label)
