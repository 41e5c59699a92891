"""Strategy awareness from a pulse's answers: plain Python, no database.

* **linked**: the share of people who answered and linked their work to at least one
  objective;
* **agreeing**: of the people whose open tasks or initiatives serve some objective, the
  share whose choice names at least one of those objectives;
* **answered**: the share of the people asked who answered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

TOTAL = "All units"


@dataclass(frozen=True)
class AnswerFacts:
    """What the figures need of one answer."""

    unit: str
    linked: bool
    agrees: bool | None  # None: the person had no work to compare with


@dataclass(frozen=True)
class Awareness:
    """The figures of one unit (or of everyone: ``unit`` is TOTAL)."""

    unit: str
    asked: int
    answered: int
    linked: int
    comparable: int
    agreeing: int

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.asked if self.asked else None

    @property
    def linked_share(self) -> float | None:
        return self.linked / self.answered if self.answered else None

    @property
    def agreeing_share(self) -> float | None:
        return self.agreeing / self.comparable if self.comparable else None


def _row(unit: str, asked: int, answers: list[AnswerFacts]) -> Awareness:
    return Awareness(
        unit=unit,
        asked=asked,
        answered=len(answers),
        linked=sum(a.linked for a in answers),
        comparable=sum(a.agrees is not None for a in answers),
        agreeing=sum(a.agrees is True for a in answers),
    )


def awareness(asked: dict[str, int], answers: Iterable[AnswerFacts]) -> list[Awareness]:
    """One row per unit asked (by name), then the total row."""
    items = list(answers)
    units = sorted(set(asked) | {a.unit for a in items})
    rows = [_row(u, asked.get(u, 0), [a for a in items if a.unit == u]) for u in units]
    return [*rows, _row(TOTAL, sum(asked.values()), items)]
