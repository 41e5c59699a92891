"""factory_boy factories for the domain model."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from scorecard.initiatives.models import Initiative, Task
from scorecard.kpis.models import Kpi, Measurement
from scorecard.organizations.models import Membership, Organization, Unit
from scorecard.strategy.models import Objective, Perspective, Scorecard


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Sequence(lambda n: f"First{n}")
    password = factory.django.Password("pw-for-tests-1")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Unit {n}")
    slug = factory.Sequence(lambda n: f"unit-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "viewer"


class ScorecardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scorecard

    organization = factory.SubFactory(OrganizationFactory)
    unit = factory.SubFactory(UnitFactory, organization=factory.SelfAttribute("..organization"))
    name = factory.Sequence(lambda n: f"Scorecard {n}")
    slug = factory.Sequence(lambda n: f"scorecard-{n}")
    vision = "Be the outdoor brand people trust."
    mission = "Gear that lasts, sold fairly."


class PerspectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Perspective

    scorecard = factory.SubFactory(ScorecardFactory)
    name = factory.Sequence(lambda n: f"Perspective {n}")
    kind = "financial"
    position = factory.Sequence(lambda n: n)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    perspective = factory.SubFactory(PerspectiveFactory)
    scorecard = factory.SelfAttribute("perspective.scorecard")
    code = factory.Sequence(lambda n: f"objective-{n}")
    name = factory.Sequence(lambda n: f"Objective {n}")


class KpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kpi

    objective = factory.SubFactory(ObjectiveFactory)
    scorecard = factory.SelfAttribute("objective.scorecard")
    code = factory.Sequence(lambda n: f"kpi_{n}")
    name = factory.Sequence(lambda n: f"KPI {n}")
    unit = "%"
    minimum = 0.0
    maximum = 100.0
    baseline = 0.0
    target = 100.0
    update_interval = "month"
    time_aggregation = "last"


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    kpi = factory.SubFactory(KpiFactory)
    period_start = dt.date(2026, 1, 1)
    value = 50.0
    recorded_at = factory.LazyFunction(lambda: dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC))


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    scorecard = factory.SubFactory(ScorecardFactory)
    name = factory.Sequence(lambda n: f"Initiative {n}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    initiative = factory.SubFactory(InitiativeFactory)
    name = factory.Sequence(lambda n: f"Task {n}")
