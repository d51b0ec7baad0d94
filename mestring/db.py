"""The declarative base, shared column types and the Flask-SQLAlchemy handle."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, mapped_column, scoped_session

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# Services take the session explicitly: a plain Session, or the request's scoped session.
DbSession = Session | scoped_session[Any]


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC on every engine.

    SQLite keeps no offset, so values are normalised to UTC on the way in and marked UTC on
    the way out; naive datetimes are refused so that local times cannot slip in unnoticed.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_type(enum_cls: type[StrEnum], name: str) -> sa.Enum:
    """A portable enum column: a VARCHAR with a named CHECK constraint on both engines."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum_cls),
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )


def inlined(value: Any, type_: Any = None) -> sa.BindParameter[Any]:
    """``value`` written into the statement rather than bound.

    PostgreSQL runs a prepared statement with one plan for all values (its generic plan) only
    while that plan's estimate is no dearer than those of the plans it makes for each value.
    For a bound LIMIT it guesses a tenth of the rows and for a bound status an average share,
    so the generic plan looks dear and the statement is planned again on every request.
    """
    return sa.literal(value, type_, literal_execute=True)


def non_negative(*columns: str) -> list[sa.CheckConstraint]:
    """One named CHECK constraint per column that may not go below zero."""
    return [
        sa.CheckConstraint(f"{column} >= 0", name=f"{column}_non_negative") for column in columns
    ]


def fk(target: str, *, nullable: bool = False, ondelete: str | None = None, **kwargs: Any) -> Any:
    """A foreign-key column that is always indexed."""
    return mapped_column(
        sa.ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True, **kwargs
    )
