from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "scorecard.reviews"
    verbose_name = "Reviews"
