"""Writes of the risk register: keyword arguments, checks with clear messages, one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from scorecard import clock
from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Membership
from scorecard.strategy.models import Objective, Scorecard

from .models import SCALE, Risk

FIELDS = (
    "title", "cause", "consequence", "owner", "likelihood", "impact",
    "likelihood_after", "impact_after", "review_on",
)  # fmt: skip
LINKS = {"objectives": Objective, "kpis": Kpi, "initiatives": Initiative}


def _rating(errors: dict[str, str], name: str, value: Any, *, required: bool) -> int | None:
    if value is None or value == "":
        if required:
            errors[name] = {
                "likelihood": gettext("Rate the likelihood from 1 to %(scale)s."),
                "impact": gettext("Rate the impact from 1 to %(scale)s."),
            }.get(name, gettext("Rate it from 1 to %(scale)s.")) % {"scale": SCALE}
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= SCALE:
        errors[name] = {
            "likelihood": gettext("The likelihood is rated from 1 to %(scale)s, not “%(value)s”."),
            "impact": gettext("The impact is rated from 1 to %(scale)s, not “%(value)s”."),
            "likelihood_after": gettext(
                "The likelihood after mitigation is rated from 1 to %(scale)s, not “%(value)s”."
            ),
            "impact_after": gettext(
                "The impact after mitigation is rated from 1 to %(scale)s, not “%(value)s”."
            ),
        }[name] % {"scale": SCALE, "value": value}
        return None
    return value


def _check(scorecard: Scorecard, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    title = str(data.get("title") or "").strip()
    if not title:
        errors["title"] = gettext("Give the risk a title: what could go wrong?")
    elif len(title) > 200:
        errors["title"] = gettext("A title can be at most 200 characters.")
    data["title"] = title
    for name in ("cause", "consequence"):
        data[name] = str(data.get(name) or "").strip()
    for name in ("likelihood", "impact"):
        data[name] = _rating(errors, name, data.get(name), required=True)
    for name in ("likelihood_after", "impact_after"):
        data[name] = _rating(errors, name, data.get(name), required=False)
    if (data["likelihood_after"] is None) != (data["impact_after"] is None) and not (
        {"likelihood_after", "impact_after"} & set(errors)
    ):
        errors["impact_after"] = gettext(
            "Rate both the likelihood and the impact after mitigation, or neither."
        )
    owner = data.get("owner")
    if (
        owner is not None
        and not Membership.objects.filter(
            organization_id=scorecard.organization_id, user_id=owner.pk
        ).exists()
    ):
        errors["owner"] = gettext("The owner must be a member of the organization.")
    review_on = data.get("review_on")
    if review_on is not None and not isinstance(review_on, dt.date):
        errors["review_on"] = gettext("The review date must be a date (YYYY-MM-DD).")
    for name in LINKS:
        items = list(data.get(name) or [])
        foreign = [item for item in items if getattr(item, "scorecard_id", None) != scorecard.pk]
        if foreign:
            errors[name] = {
                "objectives": gettext(
                    "These objectives are not in the scorecard “%(scorecard)s”: %(items)s"
                ),
                "kpis": gettext("These KPIs are not in the scorecard “%(scorecard)s”: %(items)s"),
                "initiatives": gettext(
                    "These initiatives are not in the scorecard “%(scorecard)s”: %(items)s"
                ),
            }[name] % {
                "scorecard": scorecard.name,
                "items": ", ".join(str(item) for item in foreign),
            }
        data[name] = items
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def risk_create(*, scorecard: Scorecard, **fields: Any) -> Risk:
    """Add a risk to ``scorecard``; objectives, KPIs and initiatives must be the scorecard's."""
    data = _check(scorecard, {name: fields.get(name) for name in (*FIELDS, *LINKS)})
    now = clock.now()
    risk = Risk.objects.create(
        scorecard=scorecard,
        created_at=now,
        updated_at=now,
        **{name: data[name] for name in FIELDS},
    )
    for name in LINKS:
        getattr(risk, name).set(data[name])
    return risk


@transaction.atomic
def risk_update(*, risk: Risk, **fields: Any) -> Risk:
    """Change some of a risk's fields or links (those not given stay as they are)."""
    unknown = set(fields) - {*FIELDS, *LINKS}
    if unknown:
        raise ValidationError(
            {name: gettext("No such field of a risk.") for name in sorted(unknown)}
        )
    current = {name: getattr(risk, name) for name in FIELDS}
    current.update({name: list(getattr(risk, name).all()) for name in LINKS})
    current.update(fields)
    data = _check(risk.scorecard, current)
    for name in FIELDS:
        setattr(risk, name, data[name])
    risk.updated_at = clock.now()
    risk.save()
    for name in LINKS:
        if name in fields:
            getattr(risk, name).set(data[name])
    return risk


@transaction.atomic
def risk_delete(*, risk: Risk) -> None:
    """Remove a risk from the register (its objectives, KPIs and initiatives stay)."""
    risk.delete()
