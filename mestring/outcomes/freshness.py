"""Cached outcome figures, and the key that changes whenever they could.

Rendering the dashboard's figures for a district of all Oslo's size takes a tenth of a second,
so the rendered figures are cached under a key made of:

- a random stamp in the database, replaced by every commit that writes to a table the figures
  are computed from (``FIGURE_TABLES``), noticed by the session: flushed objects and
  INSERT/UPDATE/DELETE statements alike. The stamp is shared by every instance and never
  reused, not even after a rollback;
- the start of the district's next session: when it passes, a group may have no sessions to
  come, and its pupils count as completed;
- what the page shows: filters, language, suppression.

A stale entry is therefore never asked for; it ages out of the cache. A session that holds
unsaved changes to those tables computes afresh and caches nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import chain
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import render_template
from markupsafe import Markup
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession

from mestring.core.cache import remembered
from mestring.core.localized import language
from mestring.db import DbSession
from mestring.groups.models import Group
from mestring.outcomes.models import FiguresStamp
from mestring.scheduling.models import Session

STAMP = "outcomes"
FIGURE_TABLES = frozenset(
    {
        "absence_records",
        "attendance",
        "group_memberships",
        "groups",
        "pupils",
        "referrals",
        "schools",
        "sessions",
        "terms",
    }
)
CHANGED = "outcome_figures_changed"
T = TypeVar("T")


def new_stamp() -> str:
    return secrets.token_hex(16)


def _touches_figures(objects: Iterable[Any]) -> bool:
    return any(getattr(obj, "__tablename__", None) in FIGURE_TABLES for obj in objects)


def _note_flush(session: OrmSession, _context: Any) -> None:
    if _touches_figures(chain(session.new, session.dirty, session.deleted)):
        session.info[CHANGED] = True


def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in FIGURE_TABLES:
            state.session.info[CHANGED] = True


def _restamp(session: OrmSession) -> None:
    """Before a commit: a new stamp when anything behind the figures changed."""
    session.flush()
    if not session.info.pop(CHANGED, False):
        return
    stamp = new_stamp()
    replaced = session.execute(
        sa.update(FiguresStamp).where(FiguresStamp.name == STAMP).values(stamp=stamp)
    )
    if getattr(replaced, "rowcount", 1) == 0:
        session.add(FiguresStamp(name=STAMP, stamp=stamp))
        session.flush()


def _forget(session: OrmSession) -> None:
    session.info.pop(CHANGED, None)


LISTENERS: tuple[tuple[str, Callable[..., None]], ...] = (
    ("after_flush", _note_flush),
    ("do_orm_execute", _note_statement),
    ("before_commit", _restamp),
    ("after_rollback", _forget),
)


def watch_changes() -> None:
    """Listen on every session (once, however many apps are made)."""
    for name, listener in LISTENERS:
        if not sa.event.contains(OrmSession, name, listener):
            sa.event.listen(OrmSession, name, listener)


def figures_key(db: DbSession, *, district_id: int, now: datetime, parts: Iterable[Any]) -> str:
    """The cache key of figures of a district: the stamp, the next session's start, ``parts``."""
    stamp = sa.select(FiguresStamp.stamp).where(FiguresStamp.name == STAMP)
    next_start = (
        sa.select(Session.starts_at)
        .join(Group, Group.id == Session.group_id)
        .where(Group.district_id == district_id, Session.starts_at > now)
        .order_by(Session.starts_at)
        .limit(1)
    )
    current, next_start_at = db.execute(
        sa.select(stamp.scalar_subquery(), next_start.scalar_subquery())
    ).one()
    return ":".join(map(str, ("figures", district_id, current, next_start_at, *parts)))


def cached_figures(
    db: DbSession, *, district_id: int, now: datetime, parts: Iterable[Any], make: Callable[[], T]
) -> T:
    """What ``make`` returns for these figures, from the cache while it is current."""
    if db.info.get(CHANGED) or db.new or db.dirty or db.deleted:
        return make()
    key = figures_key(db, district_id=district_id, now=now, parts=parts)
    return remembered(key, make)


def cached_fragment(
    db: DbSession,
    *,
    district_id: int,
    now: datetime,
    template: str,
    parts: Iterable[Any],
    context: Callable[[], dict[str, Any]],
) -> Markup:
    """``template`` rendered with ``context()``, from the cache while the figures are current.
    The key holds the template, the request's language and ``parts``: whatever else the
    fragment shows must be the same for everyone who may see it."""

    def render() -> Markup:
        return Markup(render_template(template, **context()))  # noqa: S704 (autoescaped)

    return cached_figures(
        db, district_id=district_id, now=now, parts=(template, language(), *parts), make=render
    )
