"""Helpers for the attacks: signing in without the password form, and database snapshots."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring import create_app
from mestring.accounts.models import User
from mestring.accounts.views import LAST_SEEN_KEY
from mestring.core.time import now_utc
from mestring.db import Base
from tests.conftest import app_config

# The audit log is written by reads on purpose; everything else must stay as it was.
NOT_COMPARED = {"audit_events"}

Snapshot = dict[str, list[tuple[Any, ...]]]


def enter_as(client: FlaskClient, db: OrmSession, user: User | None) -> None:
    """Sign ``user`` in (or everyone out) by the session cookie, as the sign-in page would.

    The test's rows are committed first (to the test's savepoint), as signing in would: a
    refused request rolls back whatever it has not committed.
    """
    db.commit()
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["_user_id"] = user.session_token
            session["_fresh"] = True
            session[LAST_SEEN_KEY] = int(now_utc().timestamp())


def snapshot(db: OrmSession) -> Snapshot:
    """Every row of every table but the audit log, in primary-key order."""
    db.flush()
    return {
        table.name: [
            tuple(row)
            for row in db.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
        ]
        for table in Base.metadata.sorted_tables
        if table.name not in NOT_COMPARED
    }


def changed_tables(before: Snapshot, after: Snapshot) -> list[str]:
    return [name for name in before if before[name] != after[name]]


@pytest.fixture
def csrf_client(database_url: str, db_session: OrmSession) -> FlaskClient:
    """A client of an app that checks CSRF tokens, as in production."""
    return create_app(app_config(database_url, WTF_CSRF_ENABLED=True)).test_client()
