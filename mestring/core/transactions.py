"""How a request's transaction ends: with COMMIT when it wrote nothing, else as before.

psycopg prepares a statement on the server once a connection has run it five times, and a
prepared statement is neither parsed nor planned again; planning costs more than running most
of this app's statements. But psycopg forgets every prepared statement at ROLLBACK (what was
rolled back may have dropped what they refer to), and a request's session ends by rolling
back: so nothing stayed prepared and every statement was planned on every request. A
transaction that wrote nothing ends the same with COMMIT, which keeps them. A transaction that
wrote and was not committed is rolled back, as before.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from mestring.extensions import db

_WROTE = "mestring_wrote"
# Statements that change nothing: reads, and the transaction's own bookkeeping.
_READS = re.compile(r"\s*(SELECT|WITH|BEGIN|SAVEPOINT|RELEASE|PRAGMA|SHOW|EXPLAIN)\b", re.I)


@sa.event.listens_for(Engine, "before_cursor_execute")
def _note_writes(
    connection: sa.Connection,
    _cursor: Any,
    statement: str,
    _parameters: Any,
    context: Any,
    _executemany: bool,
) -> None:
    if connection.info.get(_WROTE):
        return
    if (
        context.isinsert
        or context.isupdate
        or context.isdelete
        or context.isddl
        or not _READS.match(statement)
    ):
        connection.info[_WROTE] = True


@sa.event.listens_for(Engine, "commit")
@sa.event.listens_for(Engine, "rollback")
def _forget_writes(connection: sa.Connection) -> None:
    connection.info.pop(_WROTE, None)


def end_request_transaction(_error: BaseException | None = None) -> None:
    """Commit the request's transaction when it wrote nothing and nothing waits to be written;
    otherwise leave it to the session's close, which rolls it back."""
    session = db.session()
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return
    if session.connection().info.get(_WROTE):
        return
    try:
        session.commit()
    except sa.exc.SQLAlchemyError:
        # Nothing was written: the session's close rolls the transaction back instead.
        return
