"""The types of the API's request fields, so the OpenAPI document says what the server takes.

- :data:`Id`: an id, 1 … 2**63-1 (the database's ``bigint``); anything else cannot exist.
- :data:`UserId`: a user's id, 1 … 2**31-1 (Django's user table uses ``integer``).
- :data:`Day`: a date written ``YYYY-MM-DD``; a number is not a date (pydantic would
  read ``0`` as 1970-01-01).
- :data:`Moment`: an ISO 8601 date-time (or date); numbers refused the same way.
- :data:`Money`: an amount kept to the cent, 0 … 999,999,999,999.99.
- :data:`Number`, :data:`Weight` (above 0), :data:`Fraction` (0 … 1), :data:`ScoreCap`
  (1 or more): finite numbers within the database's checks.
- :func:`text`: a string no longer than the model's column allows (or :data:`MAX_TEXT`
  for unbounded text), so both databases refuse the same strings with the same 422.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from django.db.models import Model
from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

MAX_ID = 2**63 - 1
MAX_USER_ID = 2**31 - 1
#: Longest text accepted for a field without a column limit (descriptions, visions).
MAX_TEXT = 20_000
#: Largest budget or amount spent; the column keeps 12 digits before the point.
MAX_MONEY = Decimal("999999999999.99")

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise ValueError("a date is written YYYY-MM-DD, without a time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DAY.fullmatch(value):
        return value
    raise ValueError("a date is written YYYY-MM-DD, e.g. 2026-01-31")


def _moment(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DAY.match(value):
        return value
    raise ValueError("a moment is an ISO 8601 date-time, e.g. 2026-01-31T17:00:00Z")


def _not_bool(value: Any) -> Any:
    # JSON true/false are not numbers, though Python (and pydantic's lax mode) says so.
    if isinstance(value, bool):
        raise ValueError("a number is expected, not true or false")
    return value


def _money(value: Decimal) -> Decimal:
    try:
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # pragma: no cover - bounded by the field's limits
        raise ValueError("the amount is too large") from None


NotBool = BeforeValidator(_not_bool)
Number = Annotated[float, Field(allow_inf_nan=False), NotBool]
Weight = Annotated[float, Field(gt=0, allow_inf_nan=False), NotBool]
Fraction = Annotated[float, Field(ge=0, le=1), NotBool]
ScoreCap = Annotated[float, Field(ge=1, allow_inf_nan=False), NotBool]
Id = Annotated[int, Field(ge=1, le=MAX_ID), NotBool]
UserId = Annotated[int, Field(ge=1, le=MAX_USER_ID), NotBool]
Position = Annotated[int, Field(ge=0, le=2**31 - 1), NotBool]
Day = Annotated[dt.date, BeforeValidator(_day)]
Moment = Annotated[dt.datetime, BeforeValidator(_moment)]
Money = Annotated[
    Decimal,
    Field(ge=0, le=MAX_MONEY, allow_inf_nan=False),
    NotBool,
    AfterValidator(_money),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": float(MAX_MONEY)}),
]


def text(model: type[Model], name: str, default: Any = ..., **kwargs: Any) -> Any:
    """A pydantic Field for the model's text column ``name``, with its maximum length.

    A column that may not be blank needs a character other than white space, unless
    the default is "" (then empty means "make it from the name").
    """
    field = model._meta.get_field(name)
    max_length = getattr(field, "max_length", None) or MAX_TEXT
    if not getattr(field, "blank", True) and default != "":
        kwargs.setdefault("pattern", r"\S")
    return Field(default, max_length=max_length, **kwargs)


def omittable(**kwargs: Any) -> Any:
    """A PATCH field that may be left out (unchanged) but, when sent, may not be null."""
    return Field(None, **kwargs)
