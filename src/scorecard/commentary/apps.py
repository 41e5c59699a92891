from django.apps import AppConfig


class CommentaryConfig(AppConfig):
    name = "scorecard.commentary"
    verbose_name = "Commentary"
