"""Calculated KPIs: a small, safe formula language (docs/scoring.md, "Formulas").

Formulas are parsed with Python's ``ast`` module and evaluated by walking the
tree with a whitelist of node types and functions; user text is never given to
``eval``. KPI codes are bare names (``deals / qualified_leads * 100``). Functions:
``value(code, offset)``, ``target(code, offset)``, ``progress(code)``,
``performance(code)``, ``ytd(code)``, ``if(cond, a, b)``, ``abs``, ``min``,
``max``, ``round``, ``pow``, ``exp``, ``ln``.
"""

from __future__ import annotations

import ast
import graphlib
import io
import math
import operator
import tokenize
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from typing import Any, NamedTuple

from .text import Text, gettext_noop, message
from .types import ConfigError, KpiSpec

#: Functions whose first argument names a KPI instead of being a number.
KPI_FUNCTIONS = frozenset({"value", "target", "progress", "performance", "ytd"})


def _round(number: float, digits: float = 0) -> float:
    # Python's round() refuses a float for the digits; formulas only have floats.
    return float(round(number, int(digits)))


MATH_FUNCTIONS: dict[str, Callable[..., float]] = {
    "abs": abs,
    "min": min,
    "max": max,
    "round": _round,
    "pow": lambda base, exponent: _power(base, exponent),
    "exp": math.exp,
    "ln": math.log,
}
#: (fewest, most) arguments of each function; None = no upper limit.
ARITY: dict[str, tuple[int, int | None]] = {
    "abs": (1, 1),
    "min": (1, None),
    "max": (1, None),
    "round": (1, 2),
    "pow": (2, 2),
    "exp": (1, 1),
    "ln": (1, 1),
    "value": (1, 2),
    "target": (1, 2),
    "progress": (1, 1),
    "performance": (1, 1),
    "ytd": (1, 1),
}
IF_NAME = "if_"
# Limits that keep any formula quick: its length, how deeply it nests, and powers.
MAX_LENGTH = 2000
MAX_DEPTH = 50
MAX_EXPONENT = 1000


class FormulaError(ValueError):
    """A formula that cannot be read; the message says why in plain words."""


class Missing(Exception):
    """An input has no value: the formula's result is None."""


@dataclass(frozen=True)
class Parsed:
    """A checked formula tree and the KPI codes it reads."""

    tree: ast.Expression
    references: frozenset[str]
    #: True when it calls value(), target(), progress(), performance() or ytd().
    uses_kpi_functions: bool = True


def _rewrite_if(text: str) -> str:
    """Turn the ``if(`` function into ``if_(`` (``if`` is a Python keyword)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise FormulaError(
            gettext_noop("the formula is not complete (%(reason)s).", reason=exc.args[0])
        ) from None
    out: list[tokenize.TokenInfo] = []
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if (
            token.type == tokenize.NAME
            and token.string == "if"
            and following is not None
            and following.string == "("
        ):
            token = token._replace(string=IF_NAME)
        out.append(token)
    return tokenize.untokenize(out)


_ALLOWED = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.Call,
    ast.Name,
    ast.Constant,
    ast.Load,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Pow,
    ast.Mod,
    ast.USub,
    ast.UAdd,
    ast.Not,
    ast.And,
    ast.Or,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
)


# A scorecard's formulas are read again on every evaluation; the result depends on the
# text only (nothing mutates a parsed tree), so it is kept.
@lru_cache(maxsize=4096)
def parse(formula: str) -> Parsed:
    """Check a formula and list the KPI codes it reads; FormulaError explains a problem."""
    text = formula.strip()
    if not text:
        raise FormulaError(gettext_noop("the formula is empty."))
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            gettext_noop("the formula is longer than %(most)s characters.", most=MAX_LENGTH)
        )
    try:
        tree = ast.parse(_rewrite_if(text).strip(), mode="eval")
    except SyntaxError as exc:
        if exc.offset:
            raise FormulaError(
                gettext_noop("the formula cannot be read at character %(at)s.", at=exc.offset)
            ) from None
        raise FormulaError(gettext_noop("the formula cannot be read.")) from None
    _check_depth(tree)
    references: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise FormulaError(_not_allowed(node))
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise FormulaError(gettext_noop("only numbers may appear as constants in a formula."))
        if isinstance(node, ast.Call):
            _check_call(node, references)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not _is_function_name(node, tree):
            references.add(node.id)
    uses_kpi_functions = any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        and node.func.id in KPI_FUNCTIONS
        for node in ast.walk(tree)
    )  # fmt: skip
    return Parsed(
        tree=tree, references=frozenset(references), uses_kpi_functions=uses_kpi_functions
    )


def _check_depth(tree: ast.AST) -> None:
    """Refuse deeply nested formulas (walked without recursion, so it cannot overflow)."""
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise FormulaError(
                gettext_noop("the formula nests more than %(most)s levels deep.", most=MAX_DEPTH)
            )
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _is_function_name(node: ast.Name, tree: ast.AST) -> bool:
    return any(isinstance(call, ast.Call) and call.func is node for call in ast.walk(tree))


def _check_call(node: ast.Call, references: set[str]) -> None:
    if not isinstance(node.func, ast.Name):
        raise FormulaError(gettext_noop("only the listed functions can be called."))
    name = node.func.id
    if node.keywords:
        raise FormulaError(gettext_noop("%(name)s() takes no named arguments.", name=name))
    if name == IF_NAME:
        if len(node.args) != 3:
            raise FormulaError(
                gettext_noop("if() needs three arguments: if(condition, then, otherwise).")
            )
        return
    if name not in ARITY:
        raise FormulaError(gettext_noop("“%(name)s” is not a known function.", name=name))
    fewest, most = ARITY[name]
    if len(node.args) < fewest or (most is not None and len(node.args) > most):
        raise FormulaError(_wrong_arity(name, fewest, most, len(node.args)))
    if name in KPI_FUNCTIONS:
        if not isinstance(node.args[0], ast.Name):
            raise FormulaError(
                gettext_noop("%(name)s() needs a KPI code as its first argument.", name=name)
            )
        if len(node.args) == 2 and _offset(node.args[1]) is None:
            raise FormulaError(
                gettext_noop(
                    "the period offset of %(name)s() must be a whole number, like -1.", name=name
                )
            )


def _offset(node: ast.AST) -> int | None:
    """A literal whole-number offset (``-1``, ``2``), else None."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        sign = -1 if isinstance(node.op, ast.USub) else 1
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return sign * node.value
    return None


def references(formula: str) -> frozenset[str]:
    """KPI codes a formula reads (FormulaError when it cannot be parsed)."""
    return parse(formula).references


class Context:
    """What a formula can ask about other KPIs while it is being evaluated.

    ``values`` maps a KPI code to its value for the period being computed. The
    optional callbacks answer the function forms.
    """

    def __init__(
        self,
        values: Mapping[str, float | None],
        *,
        value_at: Callable[[str, int], float | None] | None = None,
        target_at: Callable[[str, int], float | None] | None = None,
        progress_of: Callable[[str], float | None] | None = None,
        performance_of: Callable[[str], float | None] | None = None,
        ytd_of: Callable[[str], float | None] | None = None,
    ) -> None:
        self.values = values
        self.value_at = value_at
        self.target_at = target_at
        self.progress_of = progress_of
        self.performance_of = performance_of
        self.ytd_of = ytd_of


def evaluate(formula: str | Parsed, context: Context) -> tuple[float | None, str | None]:
    """The formula's value and a flag: (None, None) for missing input,
    (None, "division_by_zero") or (None, "out_of_range") for arithmetic trouble."""
    parsed = parse(formula) if isinstance(formula, str) else formula
    return run(compiled(parsed), context)


#: A formula turned into nested Python closures: call it with a Context for its value.
Compiled = Callable[[Context], Any]


# Calculated KPIs are evaluated once per period of their history: walking the tree and
# testing node types each time cost more than the arithmetic. The closures do the same
# steps in the same order (same results, same errors), decided once per formula.
@lru_cache(maxsize=4096)
def compiled(parsed: Parsed) -> Compiled:
    """The formula as a function of a Context (raises like the arithmetic it does)."""
    return _compile(parsed.tree.body)


def run(function: Compiled, context: Context) -> tuple[float | None, str | None]:
    """Call a compiled formula: its value and flag, as :func:`evaluate` returns them."""
    try:
        number = float(function(context))
    except Missing:
        return None, None
    except ZeroDivisionError:
        return None, "division_by_zero"
    except (OverflowError, ValueError):
        # ln(0), exp(1000), a huge power or a number too big for a float.
        return None, "out_of_range"
    if not math.isfinite(number):
        return None, "out_of_range"
    return number, None


#: A plain-arithmetic formula over columns: each input's values (None for missing), one
#: list per input in the order of ``sorted(parsed.references)``, to ``(value, flag)`` per
#: row, as :func:`run` gives them.
Rows = Callable[[list[list[Any]]], list[tuple[float | None, str | None]]]


class _Trouble:
    """What stopped a row's evaluation: its result as :func:`run` gives it."""

    __slots__ = ("result",)

    def __init__(self, result: tuple[None, str | None]) -> None:
        self.result = result


_MISSING = _Trouble((None, None))
_DIVISION = _Trouble((None, "division_by_zero"))
_RANGE = _Trouble((None, "out_of_range"))
#: A column: one number or one _Trouble per row.
_Column = list[Any]
_ColumnStep = Callable[[list[_Column]], _Column]


@lru_cache(maxsize=4096)
def compiled_rows(parsed: Parsed) -> Rows | None:
    """The formula over whole columns of its inputs, or None when it uses anything but
    numbers, its inputs, + - * / % ** and signs (then :func:`compiled` serves).

    Calculated KPIs are computed for every period of their history. Here each step of
    the formula runs over all rows at once, with a row's first trouble (a missing input,
    a division by zero, a number out of range) carried forward in place of its number:
    as each step takes its left operand before its right one, the trouble kept is the
    one the closures of :func:`compiled` would have raised first, and every number is
    made by the same operations, so each value and flag is the same to the bit.
    """
    refs = sorted(parsed.references)
    if not refs or parsed.uses_kpi_functions:
        return None
    step = _column_step(parsed.tree.body, {ref: n for n, ref in enumerate(refs)})
    if step is None:
        return None
    found = step

    def rows(columns: list[list[Any]]) -> list[tuple[float | None, str | None]]:
        made = found(columns)
        if _sound(made):
            # No trouble in any row (the usual case): the loop below, at C speed.
            numbers = list(map(float, made))
            if all(map(math.isfinite, numbers)):
                return list(zip(numbers, repeat(None)))
        out: list[tuple[float | None, str | None]] = []
        append = out.append
        for item in made:
            if item.__class__ is _Trouble:
                append(item.result)
                continue
            number = float(item)
            append((number, None) if math.isfinite(number) else _RANGE.result)
        return out

    return rows


_COLUMN_OPERATORS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Mod: operator.mod,
}


def _column_step(node: ast.AST, position: dict[str, int]) -> _ColumnStep | None:
    """What :func:`_compile`'s closure for ``node`` does, over all rows, or None."""
    if isinstance(node, ast.Constant):
        if not isinstance(node.value, int | float) or isinstance(node.value, bool):
            return None
        try:
            constant = float(node.value)
        except OverflowError:
            return None
        return lambda columns: [constant] * len(columns[0])
    if isinstance(node, ast.Name):
        if node.id not in position:
            return None
        index = position[node.id]
        return lambda columns: _present(columns[index])
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _column_step(node.operand, position)
        if inner is None:
            return None
        if isinstance(node.op, ast.USub):
            return lambda columns: [v if v.__class__ is _Trouble else -v for v in inner(columns)]
        return lambda columns: [v if v.__class__ is _Trouble else +v for v in inner(columns)]
    if isinstance(node, ast.BinOp):
        left = _column_step(node.left, position)
        right = _column_step(node.right, position)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Pow):
            return lambda columns: _pairs(_power, left(columns), right(columns), False)
        op = _COLUMN_OPERATORS.get(type(node.op))
        if op is None:
            return None
        return lambda columns: _pairs(op, left(columns), right(columns), True)
    return None


def _present(column: list[Any]) -> _Column:
    """An input's column with _MISSING for each None."""
    if None not in column:  # tested in C
        return list(column)
    return [_MISSING if v is None else v for v in column]


def _sound(*columns: _Column) -> bool:
    """True when no row of ``columns`` holds a _Trouble (each row's class read in C)."""
    return _Trouble not in set(map(type, chain(*columns)))


def _pairs(
    op: Callable[[Any, Any], Any], lefts: _Column, rights: _Column, to_float: bool
) -> _Column:
    """``op`` on each row's two operands, or the row's first trouble."""
    if _sound(lefts, rights):
        # No trouble in either column (the usual case): every row at C speed, unless a
        # row raises; then row by row below, each row getting its own trouble (``op``
        # is plain arithmetic: computing a row twice gives the same number).
        try:
            if to_float:
                return list(map(float, map(op, lefts, rights)))
            return list(map(op, lefts, rights))
        except (ZeroDivisionError, OverflowError, ValueError):
            pass
    out: _Column = []
    append = out.append
    for a, b in zip(lefts, rights, strict=True):
        if a.__class__ is _Trouble:
            append(a)
        elif b.__class__ is _Trouble:
            append(b)
        else:
            try:
                append(float(op(a, b)) if to_float else op(a, b))
            except ZeroDivisionError:
                append(_DIVISION)
            except (OverflowError, ValueError):
                append(_RANGE)
    return out


def _need(value: float | None) -> float:
    if value is None:
        raise Missing
    return value


def _power(base: float, exponent: float) -> float:
    if abs(exponent) > MAX_EXPONENT:
        raise OverflowError
    return float(math.pow(base, exponent))


def _compile(node: ast.AST) -> Compiled:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)  # parse() allows only numbers
        number = node.value
        try:
            constant = float(number)
        except OverflowError:
            # An integer too big for a float: the error belongs to evaluation ("out_of_range").
            return lambda ctx: float(number)
        return lambda ctx: constant
    if isinstance(node, ast.Name):
        return _compile_name(node.id)
    if isinstance(node, ast.UnaryOp):
        return _compile_unary(node)
    if isinstance(node, ast.BinOp):
        return _compile_binop(node)
    if isinstance(node, ast.BoolOp):
        return _compile_boolop(node)
    if isinstance(node, ast.Compare):
        return _compile_compare(node)
    if isinstance(node, ast.Call):
        return _compile_call(node)
    raise FormulaError(_not_allowed(node))


def _not_allowed(node: ast.AST) -> Text:
    return gettext_noop("“%(what)s” is not allowed in a formula.", what=type(node).__name__)


def _wrong_arity(name: str, fewest: int, most: int | None, given: int) -> Text:
    if most is None:
        return gettext_noop(
            "%(name)s() takes at least %(fewest)s argument(s), not %(given)s.",
            name=name,
            fewest=fewest,
            given=given,
        )
    if fewest == most:
        return gettext_noop(
            "%(name)s() takes %(fewest)s argument(s), not %(given)s.",
            name=name,
            fewest=fewest,
            given=given,
        )
    return gettext_noop(
        "%(name)s() takes %(fewest)s or %(most)s argument(s), not %(given)s.",
        name=name,
        fewest=fewest,
        most=most,
        given=given,
    )


def _compile_name(name: str) -> Compiled:
    def read(ctx: Context) -> Any:
        value = ctx.values.get(name)
        if value is None:
            raise Missing
        return value

    return read


def _compile_unary(node: ast.UnaryOp) -> Compiled:
    operand = _compile(node.operand)
    if isinstance(node.op, ast.USub):
        return lambda ctx: -operand(ctx)
    if isinstance(node.op, ast.UAdd):
        return lambda ctx: +operand(ctx)
    return lambda ctx: not operand(ctx)


def _compile_binop(node: ast.BinOp) -> Compiled:
    # The left side is evaluated before the right one, as the tree walk did.
    left, right = _compile(node.left), _compile(node.right)
    op = node.op
    if isinstance(op, ast.Add):
        return lambda ctx: float(left(ctx) + right(ctx))
    if isinstance(op, ast.Sub):
        return lambda ctx: float(left(ctx) - right(ctx))
    if isinstance(op, ast.Mult):
        return lambda ctx: float(left(ctx) * right(ctx))
    if isinstance(op, ast.Div):
        return lambda ctx: float(left(ctx) / right(ctx))
    if isinstance(op, ast.Mod):
        return lambda ctx: float(left(ctx) % right(ctx))
    return lambda ctx: _power(left(ctx), right(ctx))


def _compile_boolop(node: ast.BoolOp) -> Compiled:
    # Short-circuit like Python, so `total > 0 and done / total > 0.5` is safe.
    wanted = isinstance(node.op, ast.Or)
    operands = [_compile(operand) for operand in node.values]

    def boolean(ctx: Context) -> bool:
        for operand in operands:
            if bool(operand(ctx)) is wanted:
                return wanted
        return not wanted

    return boolean


_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}


def _compile_compare(node: ast.Compare) -> Compiled:
    first = _compile(node.left)
    steps = [
        (_COMPARE[type(op)], _compile(comparator))
        for op, comparator in zip(node.ops, node.comparators, strict=True)
    ]

    def compare(ctx: Context) -> bool:
        left = first(ctx)
        for test, comparator in steps:
            right = comparator(ctx)
            if not test(left, right):
                return False
            left = right
        return True

    return compare


def _compile_call(node: ast.Call) -> Compiled:
    assert isinstance(node.func, ast.Name)
    name = node.func.id
    if name == IF_NAME:
        condition, then, otherwise = (_compile(arg) for arg in node.args)
        return lambda ctx: then(ctx) if condition(ctx) else otherwise(ctx)
    if name in KPI_FUNCTIONS:
        first = node.args[0]
        assert isinstance(first, ast.Name)
        code = first.id
        offset = (_offset(node.args[1]) or 0) if len(node.args) > 1 else 0
        return lambda ctx: _need(_kpi_function(name, code, offset, ctx))
    function = MATH_FUNCTIONS[name]
    args = [_compile(arg) for arg in node.args]
    return lambda ctx: function(*[arg(ctx) for arg in args])


def _kpi_function(name: str, code: str, offset: int, ctx: Context) -> float | None:
    if name == "value":
        if offset == 0:
            return ctx.values.get(code)
        return ctx.value_at(code, offset) if ctx.value_at else None
    if name == "target":
        return ctx.target_at(code, offset) if ctx.target_at else None
    if name == "progress":
        return ctx.progress_of(code) if ctx.progress_of else None
    if name == "performance":
        return ctx.performance_of(code) if ctx.performance_of else None
    return ctx.ytd_of(code) if ctx.ytd_of else None


@dataclass(frozen=True)
class FormulaPlan:
    """Calculated KPIs in a safe order, and the ones that cannot be computed.

    ``order`` lists every healthy KPI code so that each formula's inputs come
    first. ``problems`` maps a KPI code to the reason it cannot be computed: its
    formula cannot be read, names an unknown code, is part of a cycle, or uses a
    KPI that has one of these problems.
    """

    order: list[str]
    problems: dict[str, ConfigError]


class _Named(NamedTuple):
    """What :func:`plan` reads of a KPI's definition."""

    code: str
    name: str
    formula: str | None


def plan(specs: Iterable[KpiSpec]) -> FormulaPlan:
    """Order the KPIs for evaluation and collect every formula problem, KPI by KPI."""
    # The plan depends on the KPIs' codes, names and formulas only, which change far
    # less often than values: it is kept per set of them (like parse() per formula)
    # rather than sorted again on every evaluation. Each caller gets its own copy.
    # The key's (code, name, formula) triples read at C speed (not a _Named per KPI).
    kept = _plan(tuple(map(_NAMED_FIELDS, specs)))
    return FormulaPlan(list(kept.order), dict(kept.problems))


_NAMED_FIELDS = operator.attrgetter("code", "name", "formula")


@lru_cache(maxsize=256)
def _plan(triples: tuple[tuple[str, str, str | None], ...]) -> FormulaPlan:
    by_code = {spec.code: spec for spec in map(_Named._make, triples)}
    needs: dict[str, frozenset[str]] = {}
    problems: dict[str, ConfigError] = {}
    for spec in by_code.values():
        needs[spec.code] = frozenset()
        if not spec.formula:
            continue
        try:
            refs = references(spec.formula)
        except FormulaError as exc:
            problems[spec.code] = ConfigError(
                spec.code,
                spec.name,
                gettext_noop(
                    "Formula of “%(name)s”: %(problem)s", name=spec.name, problem=message(exc)
                ),
            )
            continue
        unknown = sorted(refs - by_code.keys())
        if unknown:
            problems[spec.code] = ConfigError(
                spec.code,
                spec.name,
                gettext_noop(
                    "Formula of “%(name)s” refers to unknown KPI code(s): %(codes)s.",
                    name=spec.name,
                    codes=", ".join(unknown),
                ),
            )
            continue
        needs[spec.code] = refs
    for cycle in _cycles(needs, problems.keys()):
        names = " → ".join(f"“{by_code[c].name}”" for c in cycle)
        for code in cycle[:-1]:
            spec = by_code[code]
            problems[code] = ConfigError(
                code, spec.name, gettext_noop("Formula cycle: %(names)s.", names=names)
            )
    order = _topological(needs, problems.keys())
    for code in order:
        broken = sorted(ref for ref in needs[code] if ref in problems)
        if broken:  # inputs come first in ``order``, so this reaches users of users too
            spec, first = by_code[code], by_code[broken[0]]
            problems[code] = ConfigError(
                code,
                spec.name,
                gettext_noop(
                    "KPI “%(name)s” (%(code)s): its formula uses “%(input)s”, which cannot be "
                    "computed.",
                    name=spec.name,
                    code=spec.code,
                    input=first.name,
                ),
            )
    return FormulaPlan([c for c in order if c not in problems], problems)


def _cycles(needs: Mapping[str, frozenset[str]], skip: Iterable[str]) -> list[list[str]]:
    """Every cycle found among the formulas (each as codes, first code repeated at the end)."""
    cycles: list[list[str]] = []
    removed = set(skip)
    while True:
        cycle = _find_cycle(needs, removed)
        if cycle is None:
            return cycles
        cycles.append(cycle)
        removed.update(cycle)


def _find_cycle(needs: Mapping[str, frozenset[str]], removed: set[str]) -> list[str] | None:
    """One cycle among the KPIs not yet removed, as codes in the order each uses the next,
    starting from the first of them in ``needs`` (None when there is none)."""
    graph = {
        code: {ref for ref in refs if ref not in removed}
        for code, refs in needs.items()
        if code not in removed
    }
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        # graphlib lists each node before the one that needs it; a formula's cycle is
        # read the other way round ("A uses B uses A"), from its first KPI.
        found: list[str] = list(reversed(exc.args[1][:-1]))
        rank = {code: n for n, code in enumerate(needs)}
        start = min(range(len(found)), key=lambda n: rank[found[n]])
        ring = found[start:] + found[:start]
        return [*ring, ring[0]]
    return None


def _topological(needs: Mapping[str, frozenset[str]], removed: Iterable[str]) -> list[str]:
    """Codes with every input before its user (cycle members are left out)."""
    skip = set(removed)
    graph = {
        code: {ref for ref in refs if ref not in skip}
        for code, refs in needs.items()
        if code not in skip
    }
    return list(graphlib.TopologicalSorter(graph).static_order())


def evaluation_order(specs: Iterable[KpiSpec]) -> list[str] | ConfigError:
    """KPI codes in an order where every formula's inputs come before it.

    Returns a ConfigError naming the KPIs when a formula cannot be read, refers to
    an unknown KPI, or formulas form a cycle (the first such problem; see
    :func:`plan` for all of them).
    """
    result = plan(specs)
    if result.problems:
        # The first problem is a KPI's own (dependents are found after their inputs).
        return next(iter(result.problems.values()))
    return result.order
