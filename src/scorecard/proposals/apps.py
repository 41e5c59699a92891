from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "scorecard.proposals"
    verbose_name = "Proposals"
