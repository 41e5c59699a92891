"""Proposals: any member proposes, editors accept (the proposer credited) or decline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from scorecard.audit.models import Change
from scorecard.kpis.models import Kpi
from scorecard.proposals import selectors, services
from scorecard.proposals.models import Proposal, ProposalNotice
from tests.factories import KpiFactory, ObjectiveFactory, PerspectiveFactory


@pytest.fixture
def objective(world: Any) -> Any:
    perspective = PerspectiveFactory(scorecard=world.scorecard, name="Customer")
    return ObjectiveFactory(scorecard=world.scorecard, perspective=perspective, code="delight")


def test_a_viewer_proposes_a_kpi_and_an_editor_accepts_it(
    world: Any, objective: Any, django_capture_on_commit_callbacks: Any
) -> None:
    world.viewer.email = "viewer@example.org"
    world.viewer.save()
    proposal = services.proposal_create(
        scorecard=world.scorecard, author=world.viewer, kind="new_kpi", name="Repeat buyers",
        objective=objective, reason="Loyalty shows in repeat purchases.", value="40",
    )  # fmt: skip
    assert proposal.state == "open"
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_accept(proposal=proposal, user=world.editor)
    kpi = Kpi.objects.get(scorecard=world.scorecard, name="Repeat buyers")
    assert (kpi.code, kpi.target, kpi.objective_id) == ("repeat_buyers", 40.0, objective.pk)
    created = Change.objects.get(kind="kpi", object_id=kpi.pk)
    assert created.actor == world.viewer  # the proposer is credited with the KPI
    decision = Change.objects.get(kind="proposal", action="approved")
    assert decision.actor == world.editor
    proposal.refresh_from_db()
    assert (proposal.result_kind, proposal.result_id) == ("kpi", kpi.pk)
    assert ProposalNotice.objects.filter(user=world.viewer, proposal=proposal).count() == 1
    assert [m.to for m in mail.outbox] == [["viewer@example.org"]]
    assert "accepted" in mail.outbox[0].subject


def test_decline_needs_a_reason_and_only_editors_decide(world: Any, objective: Any) -> None:
    kpi = KpiFactory(objective=objective, code="nps", weight=1)
    proposal = services.proposal_create(
        scorecard=world.scorecard, author=world.contributor, kind="change_weight", kpi=kpi,
        value=3, reason="It matters most.",
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.proposal_accept(proposal=proposal, user=world.contributor)
    with pytest.raises(ValidationError, match="Say why"):
        services.proposal_decline(proposal=proposal, user=world.editor, reason=" ")
    services.proposal_decline(proposal=proposal, user=world.editor, reason="Not this year.")
    kpi.refresh_from_db()
    assert kpi.weight == 1
    with pytest.raises(ValidationError, match="declined already"):
        services.proposal_accept(proposal=proposal, user=world.admin)
    assert ProposalNotice.objects.get().proposal == proposal


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "new_kpi", "name": "X"}, "Choose the objective"),
        ({"kind": "new_kpi", "objective": True}, "Name the new item"),
        ({"kind": "change_target", "kpi": True}, "Give the new value"),
        ({"kind": "change_weight", "kpi": True, "value": "0"}, "greater than zero"),
        ({"kind": "change_weight", "kpi": True, "value": "lots"}, "is not a number"),
        ({"kind": "bribe", "name": "X"}, "Unknown kind"),
        ({"kind": "new_objective", "name": "X", "reason": ""}, "needs a reason"),
    ],
)
def test_bad_proposals_are_refused_with_a_message(
    world: Any, objective: Any, fields: dict[str, Any], message: str
) -> None:
    kpi = KpiFactory(objective=objective, code="nps")
    args: dict[str, Any] = {"reason": "Because.", **fields}
    if args.pop("objective", None):
        args["objective"] = objective
    if args.pop("kpi", None):
        args["kpi"] = kpi
    with pytest.raises(ValidationError, match=message):
        services.proposal_create(scorecard=world.scorecard, author=world.viewer, **args)
    assert not Proposal.objects.exists()


def test_outsiders_cannot_propose(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.proposal_create(
            scorecard=world.scorecard, author=world.outsider, kind="new_objective", name="X",
            reason="Y",
        )  # fmt: skip


def test_every_kind_is_carried_out(world: Any, objective: Any) -> None:
    kpi = KpiFactory(objective=objective, code="nps", target=50)
    initiative = services.initiative_services.initiative_create(
        scorecard=world.scorecard, name="Call back", objectives=[objective]
    )
    cases = [
        {"kind": "new_objective", "name": "Win back lost customers",
         "perspective": objective.perspective},
        {"kind": "new_initiative", "name": "Loyalty card", "objective": objective},
        {"kind": "new_task", "name": "Draft the script", "initiative": initiative},
        {"kind": "change_target", "kpi": kpi, "value": 60},
        {"kind": "change_weight", "objective": objective, "value": 2},
    ]  # fmt: skip
    for case in cases:
        proposal = services.proposal_create(
            scorecard=world.scorecard, author=world.viewer, reason="Why not.", **case
        )
        services.proposal_accept(proposal=proposal, user=world.editor)
    kpi.refresh_from_db()
    objective.refresh_from_db()
    assert kpi.target == 60 and objective.weight == 2
    assert initiative.tasks.get().name == "Draft the script"
    assert world.scorecard.objectives.filter(code="win-back-lost-customers").exists()
    retire = services.proposal_create(
        scorecard=world.scorecard, author=world.viewer, kind="retire_kpi", kpi=kpi, reason="Stale."
    )
    services.proposal_accept(proposal=retire, user=world.editor)
    assert not Kpi.objects.filter(pk=kpi.pk).exists()
    since = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    assert selectors.accepted_from_outside(scorecard=world.scorecard, since=since) == 6


def test_pages(world: Any, objective: Any) -> None:
    viewer = world.client_for("viewer")
    base = "/o/northwind/s/company/proposals/"
    response = viewer.post(
        base + "new/", {"kind": "new_kpi", "objective": "delight", "name": "", "reason": "x"}
    )
    assert response.status_code == 422 and "Name the new item" in response.content.decode()
    response = viewer.post(
        base + "new/",
        {"kind": "new_kpi", "objective": "delight", "name": "Repeat buyers", "reason": "Loyalty"},
    )
    assert response.status_code == 302 and response["Location"].endswith("/objective/delight/")
    proposal = Proposal.objects.get()
    panel = viewer.get(base + "panel/?objective=delight").content.decode()
    assert "Repeat buyers" in panel and "Accept" not in panel
    assert world.client_for("viewer").post(base + f"{proposal.pk}/decide/").status_code == 403
    editor = world.client_for("editor")
    assert "Accept" in editor.get(base).content.decode()
    response = editor.post(base + f"{proposal.pk}/decide/", {"decision": "accept"})
    assert response.status_code == 302
    assert Kpi.objects.filter(name="Repeat buyers").exists()
    mine = viewer.get("/o/northwind/proposals/mine/").content.decode()
    assert "Accepted" in mine and "new" in mine
