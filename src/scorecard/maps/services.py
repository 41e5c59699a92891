"""Writes of the strategy map's hand-made layout: save positions, go back to automatic.

Editors and admins arrange the map; viewers and contributors see the saved layout.
Bad input raises ValidationError with a plain message and saves nothing.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from scorecard import clock
from scorecard.organizations.models import Membership, Role
from scorecard.strategy.models import Objective, Scorecard

from .models import MapPosition

#: The range a box's left edge and its height within the band may take (map units).
MAX_X = 4000.0
MAX_DY = 68.0  # presentation.strategy_map.MAX_DY (BAND_H - BOX_H); a test keeps them equal


def _check(scorecard: Scorecard, membership: Membership) -> None:
    if membership.organization_id != scorecard.organization_id or not membership.allows(
        Role.EDITOR
    ):
        raise PermissionDenied(
            gettext("Editors and admins arrange the map; others see its layout.")
        )


def _number(value: Any, what: str, code: str, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValidationError(f"The {what} of {code} must be a number.")
    try:
        number = float(value)
    except ValueError:
        raise ValidationError(f"The {what} of {code} must be a number, not {value!r}.") from None
    if not math.isfinite(number) or not 0 <= number <= high:
        raise ValidationError(f"The {what} of {code} must lie between 0 and {high:.0f}.")
    return number


def parse_positions(raw: Any) -> dict[str, tuple[float, float]]:
    """``{"code": [x, dy], …}`` checked: numbers in range, at least one box."""
    if not isinstance(raw, dict) or not raw:
        raise ValidationError('Send the places of the boxes as {"objective code": [x, dy], …}.')
    positions = {}
    for code, place in raw.items():
        if not isinstance(place, list | tuple) or len(place) != 2:
            raise ValidationError(f"The place of {code} must be two numbers: [x, dy].")
        positions[str(code)] = (
            _number(place[0], "x", code, MAX_X),
            _number(place[1], "height in its band", code, MAX_DY),
        )
    return positions


@transaction.atomic
def map_positions_save(
    *, scorecard: Scorecard, membership: Membership, positions: dict[str, tuple[float, float]]
) -> int:
    """Place the named boxes by hand (others keep theirs); returns how many were saved.

    Every code must name an objective of this scorecard.
    """
    _check(scorecard, membership)
    objectives = {
        o.code: o for o in Objective.objects.filter(scorecard=scorecard, code__in=list(positions))
    }
    unknown = sorted(set(positions) - set(objectives))
    if unknown:
        raise ValidationError(f"No objective {', '.join(unknown)} on this scorecard's map.")
    now = clock.now()
    for code, (x, dy) in positions.items():
        MapPosition.objects.update_or_create(
            objective=objectives[code],
            defaults={"scorecard": scorecard, "x": x, "dy": dy, "updated_at": now},
        )
    return len(positions)


@transaction.atomic
def map_positions_reset(*, scorecard: Scorecard, membership: Membership) -> int:
    """Forget every hand-made place: the automatic layout draws the whole map again."""
    _check(scorecard, membership)
    deleted, _ = MapPosition.objects.filter(scorecard=scorecard).delete()
    return deleted
