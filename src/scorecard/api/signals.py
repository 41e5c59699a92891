"""Tokens follow their owner's place: leaving an organization or being deactivated revokes them.

A revoked token stays revoked, so a member who is added again (or an account that is
activated again) needs a new token; an old one that leaked does not come back to life.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from scorecard.organizations.models import Membership

from .services import api_tokens_revoke_for


@receiver(post_delete, sender=Membership, dispatch_uid="api-token-membership")
def _membership_removed(sender: type[Membership], instance: Membership, **kwargs: Any) -> None:
    api_tokens_revoke_for(user_id=instance.user_id, organization_id=instance.organization_id)


@receiver(post_save, sender=get_user_model(), dispatch_uid="api-token-user")
def _user_saved(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    if not instance.is_active:
        api_tokens_revoke_for(user_id=instance.pk)
