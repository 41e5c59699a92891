"""Model objects from one hand-written SQL row, for the few reads every request makes.

Django's ORM builds and compiles a query's SQL again on every call. For the one query
that finds a scorecard page's scorecard, organization and membership that was 3 ms of
CPU, 40 % of a kept page's (docs/performance.md, issue 16). Such a hot read may instead
write its SQL once per process, naming each model's columns through :class:`Table`, and
build the objects from the row it gets back with :meth:`Table.build`, as the ORM would:
every concrete field, each value passed through the converters the ORM applies on that
database (SQLite's dates, times and booleans, a field's own ``from_db_value``), and the
object made by ``Model.from_db`` (marked as loaded from that database, not "adding").

Only for reads on the hot path of every request, whose SQL is short and stays in one
module with its tests; everything else goes through the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

#: A converter as the ORM calls it: ``(value, expression, connection) -> value``.
Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


@dataclass(frozen=True)
class _Layout:
    """How a table's columns become an object on one database: where the primary key
    is, the fields' attribute names, and the columns that need converting."""

    pk_index: int
    names: tuple[str, ...]
    converters: tuple[tuple[int, Any, tuple[Converter, ...]], ...]


#: Each table's layout by (table, database alias, vendor): it depends on the backend and
#: the fields only, so it is worked out once per process.
_LAYOUTS: dict[tuple[Table, str, str], _Layout] = {}


@dataclass(frozen=True)
class Table:
    """A model's table under ``alias`` in a hand-written SELECT: its columns, in the
    order of the model's concrete fields, and the objects built from them."""

    model: type[Model]
    alias: str

    @property
    def width(self) -> int:
        """How many columns :meth:`columns` selects."""
        return len(self.model._meta.concrete_fields)

    def column(self, connection: BaseDatabaseWrapper, name: str) -> str:
        """One field's column, quoted and qualified by the alias (``"s"."slug"``)."""
        quote = connection.ops.quote_name
        return f"{quote(self.alias)}.{quote(_column_of(self.model._meta.get_field(name)))}"

    def columns(self, connection: BaseDatabaseWrapper) -> str:
        """Every concrete field's column, for the SELECT list."""
        quote = connection.ops.quote_name
        fields = self.model._meta.concrete_fields
        return ", ".join(f"{quote(self.alias)}.{quote(_column_of(f))}" for f in fields)

    def source(self, connection: BaseDatabaseWrapper) -> str:
        """The table with its alias, for FROM and JOIN."""
        quote = connection.ops.quote_name
        return f"{quote(self.model._meta.db_table)} {quote(self.alias)}"

    def build(self, connection: BaseDatabaseWrapper, row: Sequence[Any], start: int) -> Any:
        """The object whose columns (as :meth:`columns` selected them) begin at
        ``row[start]``; None when its primary key is NULL (a LEFT JOIN found nothing)."""
        layout = self._layout(connection)
        values = list(row[start : start + len(layout.names)])
        if values[layout.pk_index] is None:
            return None
        for index, column, converters in layout.converters:
            value = values[index]
            for convert in converters:
                value = convert(value, column, connection)
            values[index] = value
        return self.model.from_db(connection.alias, layout.names, values)

    def _layout(self, connection: BaseDatabaseWrapper) -> _Layout:
        """This table's layout on ``connection``'s database; the converters are those the
        ORM's compiler picks for a column: the backend's for its type, then the field's."""
        key = (self, connection.alias, connection.vendor)
        found = _LAYOUTS.get(key)
        if found is None:
            fields = list(self.model._meta.concrete_fields)
            converting = []
            for index, field in enumerate(fields):
                column = field.get_col(self.alias)
                converters = connection.ops.get_db_converters(column)
                converters += column.get_db_converters(connection)
                if converters:
                    converting.append((index, column, tuple(converters)))
            found = _Layout(
                pk_index=fields.index(self.model._meta.pk),
                names=tuple(f.attname for f in fields),
                converters=tuple(converting),
            )
            _LAYOUTS[key] = found
        return found


def _column_of(field: Any) -> str:
    """A concrete field's column name (only relations without one have None)."""
    column = field.column
    if not isinstance(column, str):
        raise TypeError(f"{field} has no column of its own")
    return column
