"""The audit log: searched by admins, refused attempts recorded, and append-only in the database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring.audit.models import AuditEvent
from mestring.audit.services import record_event
from tests.conftest import World, sign_in


def event(
    db: OrmSession, world: World, action: str, when: datetime, pupil_id: int | None = None
) -> int:
    return record_event(
        db, actor=world.coordinator, action=action, now=when, object_type="pupil", pupil_id=pupil_id
    )


@pytest.fixture
def logged(db_session: OrmSession, world: World) -> None:
    event(db_session, world, "view_pupil", datetime(2027, 1, 10, 9, tzinfo=UTC), world.pupil.id)
    event(db_session, world, "view_pupil", datetime(2027, 2, 10, 9, tzinfo=UTC), world.pupil.id)
    event(db_session, world, "export_pupil", datetime(2027, 2, 11, 9, tzinfo=UTC), 999)


def rows(page: str) -> int:
    return page.count('<tr class="pkt-table__row">') - 1


def test_admin_searches_by_user_pupil_action_and_date(
    client: FlaskClient, world: World, logged: None
) -> None:
    sign_in(client, world.admin)
    pupil = client.get(f"/admin/audit?pupil={world.pupil.id}").get_data(as_text=True)
    assert rows(pupil) == 2
    both = f"/admin/audit?user={world.coordinator.id}&action=view_pupil"
    assert rows(client.get(both).get_data(as_text=True)) == 2
    dated = f"{both}&date_from=2027-02-01&date_to=2027-02-28"
    assert rows(client.get(dated).get_data(as_text=True)) == 1
    assert rows(client.get("/admin/audit?action=export_pupil").get_data(as_text=True)) == 1


@pytest.mark.parametrize(
    "query",
    ["pupil=abc", "date_from=9999-12-31", "date_from=2027-02-01&date_to=2027-01-01", "user=x"],
)
def test_bad_search_input_is_a_form_error_not_a_crash(
    client: FlaskClient, world: World, logged: None, query: str
) -> None:
    sign_in(client, world.admin)
    assert client.get(f"/admin/audit?{query}").status_code in {200, 400}


def test_the_log_is_paginated(client: FlaskClient, db_session: OrmSession, world: World) -> None:
    for day in range(1, 31):
        event(db_session, world, "view_pupil", datetime(2027, 1, day, tzinfo=UTC))
    db_session.flush()
    sign_in(client, world.admin)
    first = client.get("/admin/audit?action=view_pupil").get_data(as_text=True)
    assert rows(first) == 25
    second = client.get("/admin/audit?action=view_pupil&page=2").get_data(as_text=True)
    assert rows(second) == 5


def test_a_refused_page_is_audited(
    client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    sign_in(client, world.school)
    assert client.get("/admin/audit").status_code == 403
    [denied] = db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "access_denied")
    ).all()
    assert (denied.actor_id, denied.details["status"], denied.details["endpoint"]) == (
        world.school.id,
        403,
        "admin.audit",
    )


def test_a_missing_object_is_not_an_attempt(
    client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    sign_in(client, world.school)
    assert client.get("/pupils/999999").status_code == 404
    denied = sa.select(AuditEvent).where(AuditEvent.action == "access_denied")
    assert db_session.scalars(denied).all() == []
    assert client.get(f"/pupils/{world.smestad_pupil.id}").status_code == 404
    [attempt] = db_session.scalars(denied).all()
    assert (attempt.object_type, attempt.pupil_id) == ("pupils", world.smestad_pupil.id)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'tampered' WHERE id = :id",
        "DELETE FROM audit_events WHERE id = :id",
    ],
)
def test_the_database_refuses_to_change_audit_events(
    db_session: OrmSession, world: World, statement: str
) -> None:
    logged = event(db_session, world, "view_pupil", datetime(2027, 1, 10, tzinfo=UTC))
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), db_session.begin_nested():
        db_session.execute(sa.text(statement), {"id": logged})
    assert db_session.get_one(AuditEvent, logged).action == "view_pupil"


def test_the_orm_cannot_change_audit_events_either(db_session: OrmSession, world: World) -> None:
    logged = db_session.get_one(
        AuditEvent, event(db_session, world, "view_pupil", datetime(2027, 1, 10, tzinfo=UTC))
    )
    with pytest.raises(sa.exc.DBAPIError), db_session.begin_nested():
        db_session.delete(logged)
        db_session.flush()
