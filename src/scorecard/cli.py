"""The ``scorecard`` command.

It is Django's management command line with our own commands added (``demo``,
``load``, ``score`` ...); ``scorecard help`` lists them all. ``serve`` is an alias
of ``runserver``.
"""

from __future__ import annotations

import os
import sys

ALIASES = {"serve": "runserver"}


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``scorecard`` console script."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scorecard.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "scorecard"
    if len(args) > 1:
        args[1] = ALIASES.get(args[1], args[1])
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
