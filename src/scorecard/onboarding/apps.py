from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "scorecard.onboarding"
    verbose_name = "Onboarding"
