from django.apps import AppConfig


class CommandsConfig(AppConfig):
    """Holds the management commands (demo, load, export, report, import, check ...)."""

    name = "scorecard.commands"
    label = "commands"
    verbose_name = "Commands"
