"""Pulses: the magic question, answers, awareness by unit, visibility, the KPI."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from scorecard.kpis.models import Measurement
from scorecard.organizations.models import Membership
from scorecard.pulses import selectors, services
from scorecard.pulses.figures import AnswerFacts, awareness
from scorecard.pulses.models import Answer, Invitation
from tests.factories import (
    InitiativeFactory,
    KpiFactory,
    ObjectiveFactory,
    PerspectiveFactory,
    TaskFactory,
    UnitFactory,
)

TODAY = "2026-11-23"


@pytest.mark.parametrize(
    ("asked", "answers", "expected"),
    [
        # unit: (asked, answered, linked, comparable, agreeing)
        ({"A": 2}, [], {"A": (2, 0, 0, 0, 0), "All units": (2, 0, 0, 0, 0)}),
        (
            {"A": 2, "B": 1},
            [AnswerFacts("A", True, True), AnswerFacts("A", True, False),
             AnswerFacts("B", False, None)],
            {"A": (2, 2, 2, 2, 1), "B": (1, 1, 0, 0, 0), "All units": (3, 3, 2, 2, 1)},
        ),
    ],
)  # fmt: skip
def test_awareness_figures(asked: Any, answers: Any, expected: Any) -> None:
    rows = {r.unit: r for r in awareness(asked, answers)}
    got = {u: (r.asked, r.answered, r.linked, r.comparable, r.agreeing) for u, r in rows.items()}
    assert got == expected
    assert rows["All units"].answered_share == (expected["All units"][1] / 3 if answers else 0)


def test_shares_of_nobody_are_none() -> None:
    (total,) = awareness({}, [])
    assert (total.answered_share, total.linked_share, total.agreeing_share) == (None, None, None)


@pytest.fixture
def setup(world: Any, settings: Any) -> Any:
    settings.SCORECARD_TODAY = TODAY
    sales = UnitFactory(organization=world.organization, parent=world.unit, name="Sales")
    Membership.objects.filter(user__in=[world.contributor, world.viewer]).update(unit=sales)
    Membership.objects.filter(user__in=[world.admin, world.editor]).update(unit=world.unit)
    learning = PerspectiveFactory(scorecard=world.scorecard, name="Learning")
    grow = ObjectiveFactory(scorecard=world.scorecard, perspective=learning, code="grow")
    skills = ObjectiveFactory(scorecard=world.scorecard, perspective=learning, code="skills")
    initiative = InitiativeFactory(scorecard=world.scorecard, status="active")
    initiative.objectives.set([grow])
    TaskFactory(initiative=initiative, assignee=world.contributor)
    TaskFactory(initiative=initiative, assignee=world.viewer)
    return sales, grow, skills


def test_a_pulse_goes_out_and_people_answer(world: Any, setup: Any) -> None:
    _, grow, skills = setup
    kpi = KpiFactory(objective=grow, code="awareness", unit="%")
    with pytest.raises(PermissionDenied):
        services.pulse_schedule(
            organization=world.organization, user=world.editor,
            opens_on=dt.date(2026, 11, 23), closes_on=dt.date(2026, 12, 7),
        )  # fmt: skip
    pulse = services.pulse_schedule(
        organization=world.organization, user=world.admin, opens_on=dt.date(2026, 11, 23),
        closes_on=dt.date(2026, 12, 7), kpi=kpi, kpi_figure="agreeing",
    )  # fmt: skip
    assert Invitation.objects.filter(pulse=pulse).count() == 4
    assert selectors.work_of(user=world.viewer, organization=world.organization).objective_ids == {
        grow.pk
    }
    services.answer_submit(pulse=pulse, user=world.contributor, objectives=[grow], sentence="A")
    services.answer_submit(pulse=pulse, user=world.viewer, objectives=[skills], sentence="B")
    services.answer_submit(pulse=pulse, user=world.editor, objectives=[grow], sentence="C")
    with pytest.raises(ValidationError, match="answered this pulse already"):
        services.answer_submit(pulse=pulse, user=world.viewer, objectives=[], sentence="again")
    with pytest.raises(ValidationError, match="Write a sentence"):
        services.answer_submit(pulse=pulse, user=world.admin, objectives=[], sentence=" ")
    rows = {r.unit: r for r in selectors.pulse_awareness(pulse)}
    assert (rows["Sales"].linked, rows["Sales"].agreeing, rows["Sales"].comparable) == (2, 1, 2)
    assert (rows["Northwind"].asked, rows["Northwind"].answered) == (2, 1)
    assert rows["Northwind"].comparable == 0  # the editor has no tasks to compare with
    measurement = services.pulse_record_kpi(pulse=pulse, user=world.admin)
    assert (measurement.value, measurement.period_start) == (50.0, dt.date(2026, 11, 1))
    assert Measurement.objects.filter(kpi=kpi).count() == 1


def test_who_reads_the_answers(world: Any, setup: Any) -> None:
    sales, grow, _ = setup
    Membership.objects.filter(user=world.editor).update(unit=sales)
    pulse = services.pulse_schedule(
        organization=world.organization, user=world.admin, opens_on=dt.date(2026, 11, 1),
        closes_on=dt.date(2026, 11, 30), unit=sales,
    )  # fmt: skip
    assert {i.user for i in Invitation.objects.filter(pulse=pulse)} == {
        world.contributor, world.viewer, world.editor,
    }  # fmt: skip
    services.answer_submit(pulse=pulse, user=world.viewer, objectives=[grow], sentence="Mine")
    admin = world.admin.memberships.get()
    editor = world.editor.memberships.get()
    contributor = world.contributor.memberships.get()
    assert selectors.answers_visible(pulse=pulse, membership=admin).count() == 1
    assert selectors.answers_visible(pulse=pulse, membership=editor).count() == 1
    assert selectors.answers_visible(pulse=pulse, membership=contributor).count() == 0
    Membership.objects.filter(user=world.editor).update(unit=None)
    editor = world.editor.memberships.get()
    assert selectors.answers_visible(pulse=pulse, membership=editor).count() == 0


def test_anonymous_answers_keep_no_name(world: Any, setup: Any) -> None:
    _, grow, _ = setup
    pulse = services.pulse_schedule(
        organization=world.organization, user=world.admin, opens_on=dt.date(2026, 11, 1),
        closes_on=dt.date(2026, 11, 30), anonymous=True,
    )  # fmt: skip
    services.answer_submit(pulse=pulse, user=world.viewer, objectives=[grow], sentence="Hidden")
    answer = Answer.objects.get()
    assert answer.user is None and answer.agrees is True
    assert Invitation.objects.get(pulse=pulse, user=world.viewer).answered_at is not None


def test_pages(world: Any, setup: Any) -> None:
    _, grow, _ = setup
    admin = world.client_for("admin")
    response = admin.post("/o/northwind/pulses/new/", {"opens_on": "2026-11-23", "closes_on": "x"})
    assert response.status_code == 422 and "is not a date" in response.content.decode()
    response = admin.post(
        "/o/northwind/pulses/new/", {"opens_on": "2026-11-23", "closes_on": "2026-12-01"}
    )
    assert response.status_code == 302
    pulse_url = response["Location"]
    viewer = world.client_for("viewer")
    listing = viewer.get("/o/northwind/pulses/").content.decode()
    assert "Why are you doing what you are doing right now?" in listing
    answer_url = pulse_url + "answer/"
    page = viewer.get(answer_url).content.decode()
    assert "suggested: your work serves it" in page
    response = viewer.post(answer_url, {"objectives": [str(grow.pk)], "sentence": "Growing."})
    assert response.status_code == 302
    assert viewer.get(pulse_url).status_code == 403
    results = admin.get(pulse_url).content.decode()
    assert "Growing." in results and "100.0" in results
