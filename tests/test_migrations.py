"""The migrations build the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade

from mestring import create_app
from mestring.db import Base
from mestring.extensions import db
from tests.conftest import POSTGRES_URL, app_config, requires_postgres


def schema_drift(engine: sa.Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_migrated_schema_of_the_suite_matches_the_models(app: Flask) -> None:
    with app.app_context():
        assert schema_drift(db.engine) == []


def migrate_fresh(database_url: str) -> Flask:
    app = create_app(app_config(database_url))
    with app.app_context():
        upgrade()
        assert schema_drift(db.engine) == []
        downgrade(revision="base")
        tables = sa.inspect(db.engine).get_table_names()
        assert set(tables) <= {"alembic_version"}
        upgrade()
        assert schema_drift(db.engine) == []
        db.engine.dispose()
    return app


def test_sqlite_upgrade_from_empty_downgrade_and_again(tmp_path: Path) -> None:
    migrate_fresh(f"sqlite:///{tmp_path / 'fresh.sqlite'}")


@contextmanager
def fresh_postgres_database(name: str) -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    url = POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        admin.dispose()


@requires_postgres
def test_postgres_upgrade_from_empty_downgrade_and_again() -> None:
    with fresh_postgres_database("mestring_migration_test") as url:
        migrate_fresh(url)


# The revision before referrals kept their school's district.
BEFORE_DISTRICT_ON_REFERRALS = "3b8d5a0c6e27"


def fill_before_districts_on_referrals(engine: sa.Engine) -> None:
    """Two districts with a school and a referral each, as the schema before referrals kept
    their district holds them (the models' tables give the columns' defaults)."""
    tables = Base.metadata.tables
    with engine.begin() as connection:
        for number in (1, 2):
            connection.execute(tables["districts"].insert(), {"id": number, "name": f"D{number}"})
            connection.execute(
                tables["schools"].insert(),
                {"id": 10 + number, "district_id": number, "name": f"Skole {number}"},
            )
            connection.execute(
                tables["pupils"].insert(),
                {
                    "id": 20 + number,
                    "school_id": 10 + number,
                    "first_name": "Ola",
                    "last_name": "Nordmann",
                    "birth_date": date(2016, 5, 1),
                    "grade": 4,
                },
            )
            connection.execute(
                tables["referrals"].insert().values(id=30 + number),
                {"pupil_id": 20 + number, "school_id": 10 + number},
            )


def referrals_take_their_schools_district(database_url: str) -> None:
    app = create_app(app_config(database_url))
    with app.app_context():
        upgrade(revision=BEFORE_DISTRICT_ON_REFERRALS)
        fill_before_districts_on_referrals(db.engine)
        upgrade()
        with db.engine.connect() as connection:
            found = connection.exec_driver_sql(
                "SELECT id, school_id, district_id FROM referrals ORDER BY id"
            ).all()
        assert [tuple(row) for row in found] == [(31, 11, 1), (32, 12, 2)]
        # The key on both columns refuses a district that is not the school's.
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
            connection.exec_driver_sql("UPDATE referrals SET district_id = 2 WHERE id = 31")
        db.engine.dispose()


def test_sqlite_referrals_take_their_schools_district(tmp_path: Path) -> None:
    referrals_take_their_schools_district(f"sqlite:///{tmp_path / 'filled.sqlite'}")


@requires_postgres
def test_postgres_referrals_take_their_schools_district() -> None:
    with fresh_postgres_database("mestring_migration_data_test") as url:
        referrals_take_their_schools_district(url)
