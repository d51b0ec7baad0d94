"""The migrations build the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

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


@requires_postgres
def test_postgres_upgrade_from_empty_downgrade_and_again() -> None:
    url = POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql("DROP DATABASE IF EXISTS mestring_migration_test")
        connection.exec_driver_sql("CREATE DATABASE mestring_migration_test")
    try:
        migrate_fresh(url.rsplit("/", 1)[0] + "/mestring_migration_test")
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql("DROP DATABASE IF EXISTS mestring_migration_test")
        admin.dispose()
