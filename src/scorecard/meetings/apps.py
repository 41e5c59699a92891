from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "scorecard.meetings"
    verbose_name = "Review meetings"
