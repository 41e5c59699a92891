"""``makemessages`` that also collects the engine's message templates.

The engine imports no Django; it marks the texts it writes for people with the no-op
``N_`` (``engine/messages.py``) and the presentation layer translates them when they
are shown. xgettext only finds ``N_`` when told to look for it.
"""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
