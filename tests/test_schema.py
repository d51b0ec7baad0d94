"""What the database itself enforces: keys, uniqueness, ranges, indexes and versions."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm.exc import StaleDataError

from mestring.attendance.enums import AttendanceStatus
from mestring.db import Base
from mestring.extensions import db
from mestring.models import Attendance
from tests import factories as f
from tests.conftest import World


def test_every_foreign_key_leads_an_index(app: Flask) -> None:
    with app.app_context():
        inspector = sa.inspect(db.engine)
        missing = []
        for table in Base.metadata.sorted_tables:
            leading = {ix["column_names"][0] for ix in inspector.get_indexes(table.name)}
            leading |= {
                uq["column_names"][0] for uq in inspector.get_unique_constraints(table.name)
            }
            leading |= set(inspector.get_pk_constraint(table.name)["constrained_columns"][:1])
            for fk in inspector.get_foreign_keys(table.name):
                if fk["constrained_columns"][0] not in leading:
                    missing.append(f"{table.name}.{fk['constrained_columns'][0]}")
        assert missing == []


def test_one_attendance_row_per_session_and_pupil(db_session: OrmSession, world: World) -> None:
    def mark() -> None:
        db_session.add(
            Attendance(session=world.session, pupil=world.pupil, status=AttendanceStatus.PRESENT)
        )
        db_session.flush()

    mark()
    with pytest.raises(IntegrityError), db_session.begin_nested():
        mark()


@pytest.mark.parametrize(
    "values",
    [
        {"days_documented": -1},
        {"school_days": 10, "days_documented": 6, "days_undocumented": 5},
        {"teaching_hours": 10, "hours_documented": 11},
        {"starts_on": date(2027, 1, 4), "ends_on": date(2027, 1, 4)},
        {"school_days": 0, "days_documented": 0, "days_undocumented": 0},
    ],
)
def test_absence_records_out_of_range_are_refused(
    db_session: OrmSession, values: dict[str, object]
) -> None:
    with pytest.raises(IntegrityError), db_session.begin_nested():
        f.AbsenceRecordFactory(**values)


def test_enum_columns_refuse_unknown_values(db_session: OrmSession, world: World) -> None:
    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.execute(
            sa.text("UPDATE referrals SET status = 'lost' WHERE id = :id"),
            {"id": world.referral.id},
        )


def test_foreign_keys_are_enforced(db_session: OrmSession, world: World) -> None:
    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.execute(
            sa.text("UPDATE referrals SET pupil_id = 999999 WHERE id = :id"),
            {"id": world.referral.id},
        )


def test_a_stale_save_of_a_referral_is_refused(db_session: OrmSession, world: World) -> None:
    referral_id = world.referral.id
    db_session.commit()
    assert world.referral.version_id == 1
    # Someone else saves first: the version moves on.
    db_session.execute(
        sa.text("UPDATE referrals SET version_id = version_id + 1 WHERE id = :id"),
        {"id": referral_id},
    )
    world.referral.worry_text = "Min endring."
    with pytest.raises(StaleDataError):
        db_session.flush()


def test_every_sqlite_connection_is_set_up(db_session: OrmSession) -> None:
    if db_session.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's connection settings")
    pragma = {
        name: db_session.execute(sa.text(f"PRAGMA {name}")).scalar()
        for name in ("foreign_keys", "synchronous", "busy_timeout")
    }
    # synchronous 1 is NORMAL: with WAL, commits do not wait for the disk.
    assert pragma == {"foreign_keys": 1, "synchronous": 1, "busy_timeout": 5000}
