"""Whether a column's value is among those a select finds, written for each engine."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

Selection = sa.Select[Any] | sa.CompoundSelect[Any]


def in_selection(column: QueryableAttribute[int], select: Selection) -> sa.ColumnElement[bool]:
    """``column IN (select)``; on PostgreSQL ``column = ANY (ARRAY(select))``."""
    return _InSelection(column, select, negated=False)


def not_in_selection(column: QueryableAttribute[int], select: Selection) -> sa.ColumnElement[bool]:
    """``column NOT IN (select)``; on PostgreSQL ``column <> ALL (ARRAY(select))``."""
    return _InSelection(column, select, negated=True)


class _InSelection(sa.ColumnElement[bool]):
    """PostgreSQL runs an array of a select once, before the statement, and uses it as an
    index condition. Its planner neither joins the select into the statement (for the few ids
    of a user's groups or sessions, planning that join cost more than running it) nor guesses
    how many rows the select finds from the parameters, so the plan it keeps for a prepared
    statement is as good as one made for the values. SQLite runs ``IN (select)`` that way.
    """

    type = sa.Boolean()
    # A test in itself: SQLite is not to compare it with 1, as it does a boolean column.
    _is_implicitly_boolean = True
    inherit_cache = True
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("select", InternalTraversal.dp_clauseelement),
        ("negated", InternalTraversal.dp_boolean),
    ]

    def __init__(self, column: QueryableAttribute[int], select: Selection, negated: bool) -> None:
        self.column = column.expression
        self.select = select
        self.negated = negated


@compiles(_InSelection)
def _in_selection(element: _InSelection, compiler: SQLCompiler, **kw: Any) -> str:
    column, select = element.column, element.select
    test = column.not_in(select) if element.negated else column.in_(select)
    return compiler.process(test, **kw)


@compiles(_InSelection, "postgresql")
def _in_selection_postgresql(element: _InSelection, compiler: SQLCompiler, **kw: Any) -> str:
    operator = "<> ALL" if element.negated else "= ANY"
    column = compiler.process(element.column, **kw)
    return f"{column} {operator} (ARRAY({compiler.process(element.select, **kw)}))"
