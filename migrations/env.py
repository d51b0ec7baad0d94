"""Alembic environment: the app's engine and the metadata of every domain's models."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

import mestring.models  # noqa: F401  (registers every table on the metadata)
from mestring.db import Base, UTCDateTime

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_metadata = Base.metadata


def render_item(type_, obj, autogen_context):
    """Render the project's UTC column type by its import path."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        autogen_context.imports.add("import mestring.db")
        return "mestring.db.UTCDateTime()"
    return False


def _configure(**kwargs):
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=True,
        render_item=render_item,
        **kwargs,
    )


def run_migrations_offline():
    _configure(url=str(current_app.extensions["migrate"].db.engine.url), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def skip_empty(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    connectable = current_app.extensions["migrate"].db.engine
    with connectable.connect() as connection:
        # On the driver's connection, outside the transaction that SQLAlchemy begins (SQLite
        # ignores the pragma inside one).
        sqlite = (
            connection.connection.dbapi_connection if connection.dialect.name == "sqlite" else None
        )
        if sqlite:
            # Batch mode rebuilds a SQLite table by copying it and dropping the old one, which
            # the keys of the tables that refer to it would refuse (or cascade): they are
            # checked once the migrations are done instead.
            sqlite.execute("PRAGMA foreign_keys=OFF")
        _configure(connection=connection, process_revision_directives=skip_empty)
        try:
            with context.begin_transaction():
                context.run_migrations()
            broken = sqlite.execute("PRAGMA foreign_key_check").fetchall() if sqlite else []
            if broken:
                raise RuntimeError(f"rows whose keys refer to nothing after migrating: {broken}")
        finally:
            if sqlite:
                sqlite.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
