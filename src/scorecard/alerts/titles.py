"""Alert titles that read in each person's language.

An alert is raised once but read later, by people who chose different languages, in the
feed and in e-mails. So its title is kept twice: the English sentence (``Alert.title``:
for the admin, logs and search) and the sentence's template with its values
(``title_template`` and ``title_values``, kept as every stored sentence is:
``engine.text.kept_columns``), from which :func:`shown` writes it again in the active
language. The builders below use ``gettext_noop`` so ``makemessages`` puts
the templates in the catalogs; the values are names (kept as typed) and dates (written
in the reader's locale).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext

from scorecard.dates import day_month_year
from scorecard.engine.text import Text, gettext_noop, restored


def status_changed(*, kpi: str, status: str, scorecard: str, start: dt.date, end: dt.date) -> Text:
    """A KPI turned red or yellow in the period from ``start`` to ``end``."""
    values = {"kpi": kpi, "scorecard": scorecard, "start": start, "end": end}
    if status == "red":
        return gettext_noop("“%(kpi)s” turned red (%(scorecard)s, %(start)s to %(end)s)", **values)
    return gettext_noop(
        "“%(kpi)s” is at risk (yellow) (%(scorecard)s, %(start)s to %(end)s)", **values
    )


def approval_waiting(*, kpi: str, start: dt.date) -> Text:
    """A value entered for ``kpi`` waits for its owner's approval."""
    return gettext_noop(
        "A value of “%(kpi)s” for the period from %(start)s waits for your approval",
        kpi=kpi,
        start=start,
    )


def task_assigned(*, task: str, initiative: str, deadline: dt.date | None) -> Text:
    """A task was just assigned to the reader."""
    if deadline is None:
        return gettext_noop(
            "Task “%(task)s” of “%(initiative)s” was assigned to you",
            task=task,
            initiative=initiative,
        )
    return gettext_noop(
        "Task “%(task)s” of “%(initiative)s” was assigned to you (deadline %(deadline)s)",
        task=task,
        initiative=initiative,
        deadline=deadline,
    )


def task_overdue(*, task: str, initiative: str, deadline: dt.date) -> Text:
    """A task the reader does or watches is past its deadline."""
    return gettext_noop(
        "Task “%(task)s” of “%(initiative)s” is overdue (deadline %(deadline)s)",
        task=task,
        initiative=initiative,
        deadline=deadline,
    )


def decision_given(*, meeting: str, decision: str, deadline: dt.date | None) -> Text:
    """A review meeting gave the reader a decision to carry out."""
    if deadline is None:
        return gettext_noop(
            "The review “%(meeting)s” gave you a decision: “%(decision)s”",
            meeting=meeting,
            decision=decision,
        )
    return gettext_noop(
        "The review “%(meeting)s” gave you a decision: “%(decision)s” (deadline %(deadline)s)",
        meeting=meeting,
        decision=decision,
        deadline=deadline,
    )


def mentioned(*, author: str | None, item: str) -> Text:
    """Someone (or a person no longer known) mentioned the reader in a comment."""
    if author is None:
        return gettext_noop("Someone mentioned you on “%(item)s”", item=item)
    return gettext_noop("%(author)s mentioned you on “%(item)s”", author=author, item=item)


def shown(title: str, template: str, values: dict[str, Any]) -> str:
    """The alert's title in the active language (its English ``title`` when it kept no
    template, or when the kept values or the catalog's sentence no longer fit)."""
    text = restored(title, {"template": template, "values": values})
    if not isinstance(text, Text):
        return title
    local = {
        name: day_month_year(value) if isinstance(value, dt.date) else str(value)
        for name, value in text.params.items()
    }
    try:
        return gettext(text.template) % local
    except (KeyError, TypeError, ValueError):  # a catalog entry that lost a placeholder
        return title
