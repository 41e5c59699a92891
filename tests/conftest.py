"""Shared fixtures: an organization with one persona per role, and an outsider.

Every view test uses these personas (after healthchecks' owner/teammate/outsider),
so access control is covered wherever a page is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@dataclass
class World:
    """One organization with a member of every role, and a stranger in another organization."""

    organization: Any
    unit: Any
    scorecard: Any
    admin: Any
    editor: Any
    contributor: Any
    viewer: Any
    outsider: Any
    other_organization: Any

    def client_for(self, persona: str) -> Any:
        """A test client signed in as ``persona`` (or anonymous for "anonymous")."""
        from django.test import Client

        client = Client()
        if persona != "anonymous":
            client.force_login(getattr(self, persona))
        return client


@pytest.fixture
def world(db: Any) -> World:
    # Imported here so that tests/engine runs without Django (-p no:django).
    from tests.factories import (
        MembershipFactory,
        OrganizationFactory,
        ScorecardFactory,
        UnitFactory,
        UserFactory,
    )

    organization = OrganizationFactory(name="Northwind Outdoor", slug="northwind")
    unit = UnitFactory(organization=organization, name="Northwind", slug="northwind")
    scorecard = ScorecardFactory(
        organization=organization, unit=unit, name="Company", slug="company"
    )
    personas = {}
    for role in ["admin", "editor", "contributor", "viewer"]:
        user = UserFactory(username=f"{role}-user")
        MembershipFactory(user=user, organization=organization, role=role)
        personas[role] = user
    other = OrganizationFactory(name="Rival Gear", slug="rival")
    outsider = UserFactory(username="outsider")
    MembershipFactory(user=outsider, organization=other, role="admin")
    return World(
        organization=organization,
        unit=unit,
        scorecard=scorecard,
        outsider=outsider,
        other_organization=other,
        **personas,
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """Tests create many users; a slow hash there buys no safety."""
    if not request.config.pluginmanager.hasplugin("django"):
        return  # the engine's tests run without Django
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_score_cache(request: pytest.FixtureRequest) -> None:
    """Each test starts with an empty score cache (kpis/evaluation.py), whatever ran before."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language(request: pytest.FixtureRequest) -> None:
    """Each test starts in the default language. A page requested in French leaves French
    active in this thread (Django's LocaleMiddleware activates a language and does not
    switch back), so a later test calling a service would otherwise read French."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
