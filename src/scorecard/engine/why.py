"""Why a calculated KPI has no value: which denominator of its formula is zero.

The engine flags a division by zero (``division_by_zero``) without saying where;
pages and reports tell the reader which part of the formula was 0 in the window
("No data: the denominator revenue is 0 in this period").
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from .formulas import Context, FormulaError, evaluate, parse
from .text import Text, gettext_noop

DIVISIONS = (ast.Div, ast.FloorDiv, ast.Mod)


def zero_denominators(formula: str, values: Mapping[str, float | None]) -> tuple[str, ...]:
    """The denominators of ``formula`` (as written, e.g. ``revenue`` or
    ``(visits - bounces)``) that are 0 for the inputs' ``values``, in reading order;
    empty when none can be named (unreadable formula, a denominator that needs
    another period's numbers)."""
    try:
        tree = parse(formula).tree
    except FormulaError:
        return ()
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, DIVISIONS):
            text = ast.unparse(node.right).replace("if_(", "if(")
            try:
                value, _flag = evaluate(text, Context(values))
            except (FormulaError, TypeError, AttributeError):
                continue
            shown = text if isinstance(node.right, ast.Name | ast.Constant) else f"({text})"
            if value == 0 and shown not in found:
                found.append(shown)
    return tuple(found)


def no_data_message(
    flag: str | None, formula: str | None, values: Mapping[str, float | None]
) -> Text | None:
    """Why a KPI has no value because of arithmetic trouble: an English sentence that
    the presentation layer can translate (engine/text.py); None otherwise."""
    if flag == "division_by_zero":
        zeros = zero_denominators(formula or "", values)
        if len(zeros) == 1:
            return gettext_noop(
                "No data: the denominator %(denominator)s is 0 in this period.",
                denominator=zeros[0],
            )
        if zeros:
            return gettext_noop(
                "No data: the denominators %(denominators)s are 0 in this period.",
                denominators=", ".join(zeros),
            )
        return gettext_noop("No data: the formula divides by 0 in this period.")
    if flag == "out_of_range":
        return gettext_noop("No data: the formula's result is out of range in this period.")
    return None


def no_data_reason(
    flag: str | None, formula: str | None, values: Mapping[str, float | None]
) -> str:
    """A sentence (in English) for a KPI without a value because of arithmetic trouble;
    "" otherwise."""
    message = no_data_message(flag, formula, values)
    return "" if message is None else str(message)
