"""A request's transaction ends with COMMIT when it wrote nothing, and is rolled back when it
wrote without committing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from mestring import create_app
from mestring.core.access import public
from mestring.extensions import db
from mestring.outcomes.models import FiguresStamp
from tests.conftest import app_config, requires_postgres

NAME = "transaction-test"


@pytest.fixture
def routes_app(app: Flask, database_url: str) -> Iterator[Flask]:
    """An app on the suite's database with routes that read, write, or leave a change."""
    routes_app = create_app(app_config(database_url))

    @routes_app.get("/_read")
    @public
    def read() -> str:
        return str(db.session.scalar(sa.select(sa.func.count()).select_from(FiguresStamp)))

    @routes_app.get("/_write")
    @public
    def write() -> str:
        db.session.execute(sa.insert(FiguresStamp).values(name=NAME, stamp="written"))
        return "written, not committed"

    @routes_app.get("/_flush")
    @public
    def flush() -> str:
        db.session.add(FiguresStamp(name=NAME, stamp="flushed"))
        db.session.flush()
        return "flushed, not committed"

    @routes_app.get("/_pending")
    @public
    def pending() -> str:
        read()
        db.session.add(FiguresStamp(name=NAME, stamp="pending"))
        return "read, then added and not flushed"

    @routes_app.get("/_prepared")
    @public
    def prepared() -> str:
        # The server's prepared statements of this connection (PostgreSQL).
        return str(db.session.scalar(sa.text("SELECT count(*) FROM pg_prepared_statements")))

    yield routes_app
    with routes_app.app_context():
        db.session.execute(sa.delete(FiguresStamp).where(FiguresStamp.name == NAME))
        db.session.commit()
        db.engine.dispose()


def _ends(app: Flask, url: str) -> list[str]:
    """How the request's transaction ended: the engine's commits and rollbacks, in order."""
    ends: list[str] = []
    with app.app_context():
        engine = db.engine

    def commit(_connection: sa.Connection) -> None:
        ends.append("commit")

    def rollback(_connection: sa.Connection) -> None:
        ends.append("rollback")

    sa.event.listen(engine, "commit", commit)
    sa.event.listen(engine, "rollback", rollback)
    try:
        assert app.test_client().get(url).status_code == 200
    finally:
        sa.event.remove(engine, "commit", commit)
        sa.event.remove(engine, "rollback", rollback)
    return ends


def _stamp(app: Flask) -> str | None:
    with app.app_context():
        stamp = db.session.scalar(sa.select(FiguresStamp.stamp).where(FiguresStamp.name == NAME))
        db.session.rollback()
    return stamp


def test_a_request_that_only_read_ends_with_commit(routes_app: Flask) -> None:
    assert _ends(routes_app, "/_read") == ["commit"]


@pytest.mark.parametrize("url", ["/_write", "/_flush", "/_pending"])
def test_a_request_that_wrote_without_committing_is_rolled_back(
    routes_app: Flask, url: str
) -> None:
    assert _ends(routes_app, url) == ["rollback"]
    assert _stamp(routes_app) is None
    # The next request that only reads commits again.
    assert _ends(routes_app, "/_read") == ["commit"]


@requires_postgres
def test_statements_stay_prepared_from_one_request_to_the_next(routes_app: Flask) -> None:
    client = routes_app.test_client()
    for _ in range(6):  # psycopg prepares a statement the fifth time a connection runs it
        client.get("/_read")
    assert int(client.get("/_prepared").get_data(as_text=True)) > 0
