"""Cached outcome figures, and the key that changes whenever they could.

Rendering the dashboard's figures for a district of all Oslo's size takes a tenth of a second,
so the rendered figures are cached under a key made of:

- the district's stamp: a random value in the database, replaced by every commit that writes
  to a table the figures are computed from (``LEADS``) for that district. The session notices
  the objects it flushes and finds their districts before the commit (one query);
- the stamp of all districts, replaced instead when a write's districts are not known (an
  INSERT, UPDATE or DELETE statement on one of those tables, such as the absence import's).
  Stamps are shared by every instance and never reused, not even after a rollback;
- the start of the district's next session: when it passes, a group may have no sessions to
  come, and its pupils count as completed;
- what the page shows: filters, language, suppression.

A stale entry is therefore never asked for; it ages out of the cache. A session that holds
unsaved changes to those tables computes afresh and caches nothing.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import chain
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import render_template
from markupsafe import Markup
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession

from mestring.accounts.models import School
from mestring.core.cache import remembered
from mestring.core.localized import language
from mestring.db import DbSession, inlined
from mestring.groups.models import Group
from mestring.outcomes.models import FiguresStamp
from mestring.referrals.models import Pupil
from mestring.scheduling.models import Session

ALL = "all"
# Each table behind the figures, and the column that leads from its rows to their district.
LEADS: dict[str, tuple[str, str]] = {
    "absence_records": ("pupil_id", "pupils"),
    "attendance": ("session_id", "sessions"),
    "group_memberships": ("group_id", "groups"),
    "groups": ("district_id", "districts"),
    "pupils": ("school_id", "schools"),
    "referrals": ("school_id", "schools"),
    "schools": ("district_id", "districts"),
    "sessions": ("group_id", "groups"),
    "terms": ("district_id", "districts"),
}
FIGURE_TABLES = frozenset(LEADS)
TOUCHED = "outcome_figures_touched"
T = TypeVar("T")


def new_stamp() -> str:
    return secrets.token_hex(16)


def district_stamp_name(district_id: int) -> str:
    return f"district-{district_id}"


def _touched(session: OrmSession) -> defaultdict[str, set[int | None]]:
    touched: defaultdict[str, set[int | None]] = session.info.setdefault(TOUCHED, defaultdict(set))
    return touched


def _note_flush(session: OrmSession, _context: Any) -> None:
    """The rows behind the figures this flush wrote, by what leads to their district (the
    values before and after, so that a row moved to another district restamps both)."""
    for obj in chain(session.new, session.dirty, session.deleted):
        lead = LEADS.get(getattr(obj, "__tablename__", ""))
        if lead is None:
            continue
        column, target = lead
        history = sa.inspect(obj).attrs[column].history
        values = {*history.added, *history.unchanged, *history.deleted}
        _touched(session)[target].update(values or {None})


def _note_statement(state: ORMExecuteState) -> None:
    """A statement's rows are not known: every district's figures are restamped."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in FIGURE_TABLES:
            _touched(state.session)[ALL].add(None)


def _district_query(target: str, ids: list[int]) -> sa.Select[int]:
    """The districts of the ``target`` rows with these ids."""
    if target == "schools":
        return sa.select(School.district_id).where(School.id.in_(ids))
    if target == "groups":
        return sa.select(Group.district_id).where(Group.id.in_(ids))
    if target == "sessions":
        return (
            sa.select(Group.district_id)
            .join(Session, Session.group_id == Group.id)
            .where(Session.id.in_(ids))
        )
    return (
        sa.select(School.district_id)
        .join(Pupil, Pupil.school_id == School.id)
        .where(Pupil.id.in_(ids))
    )


def _districts(session: OrmSession, touched: dict[str, set[int | None]]) -> set[int] | None:
    """The districts of the touched rows; None when one of them cannot be told."""
    if ALL in touched or any(None in ids for ids in touched.values()):
        return None
    ids = {
        target: sorted(int(i) for i in values if i is not None)
        for target, values in touched.items()
    }
    found = set(ids.pop("districts", []))
    queries = [
        _district_query(target, target_ids) for target, target_ids in ids.items() if target_ids
    ]
    if queries:
        found.update(session.scalars(sa.union(*queries)))
    return found


def _replace(session: OrmSession, name: str) -> None:
    stamp = new_stamp()
    replaced = session.execute(
        sa.update(FiguresStamp).where(FiguresStamp.name == name).values(stamp=stamp)
    )
    if getattr(replaced, "rowcount", 1) == 0:
        session.add(FiguresStamp(name=name, stamp=stamp))
        session.flush()


def _restamp(session: OrmSession) -> None:
    """Before a commit: new stamps where anything behind the figures changed."""
    session.flush()
    touched = session.info.pop(TOUCHED, None)
    if not touched:
        return
    districts = _districts(session, touched)
    names = [ALL] if districts is None else [district_stamp_name(d) for d in sorted(districts)]
    for name in names:  # in one order, so that two commits never wait on each other
        _replace(session, name)


def _forget(session: OrmSession) -> None:
    session.info.pop(TOUCHED, None)


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


def _stamp_of(name: Any) -> sa.ScalarSelect[str]:
    return sa.select(FiguresStamp.stamp).where(FiguresStamp.name == name).scalar_subquery()


def _key_statement() -> sa.Select[str, str, datetime]:
    """The stamps and the next session's start of the district ``district_id``, at ``now``."""
    district_id = sa.bindparam("district_id", type_=Group.district_id.type)
    now = sa.bindparam("now", type_=Session.starts_at.type)
    next_start = (
        sa.select(Session.starts_at)
        .join(Group, Group.id == Session.group_id)
        .where(Group.district_id == district_id, Session.starts_at > now)
        .order_by(Session.starts_at)
        .limit(inlined(1))
    )
    return sa.select(
        _stamp_of(ALL),
        _stamp_of(sa.bindparam("district_stamp", type_=FiguresStamp.name.type)),
        next_start.scalar_subquery(),
    )


# Built once: building it costs more than running it.
KEY_STATEMENT = _key_statement()


def district_key(db: DbSession, *, district_id: int, now: datetime) -> str:
    """What every cache key of the district's figures starts with: the stamps and the next
    session's start (see the module docstring)."""
    every, own, next_start_at = db.execute(
        KEY_STATEMENT,
        {
            "district_id": district_id,
            "now": now,
            "district_stamp": district_stamp_name(district_id),
        },
    ).one()
    return ":".join(map(str, ("figures", district_id, every, own, next_start_at)))


def figures_key(db: DbSession, *, district_id: int, now: datetime, parts: Iterable[Any]) -> str:
    """The cache key of figures of a district: the stamps, the next session's start, ``parts``."""
    return _with_parts(district_key(db, district_id=district_id, now=now), parts)


def _with_parts(district: str, parts: Iterable[Any]) -> str:
    return ":".join((district, *map(str, parts)))


def has_unsaved_figures(db: DbSession) -> bool:
    """Whether the session holds changes behind the figures that are not committed: then
    nothing may be cached or read from the cache."""
    return bool(db.info.get(TOUCHED) or db.new or db.dirty or db.deleted)


class FiguresCache:
    """The cache of one district's figures for one request: the key's statement runs once,
    however many entries the page reads."""

    def __init__(self, db: DbSession, *, district_id: int, now: datetime) -> None:
        self.district: str | None = None
        if not has_unsaved_figures(db):
            self.district = district_key(db, district_id=district_id, now=now)

    def get(self, parts: Iterable[Any], make: Callable[[], T]) -> T:
        """What ``make`` returns for the figures described by ``parts``, from the cache while
        it is current."""
        if self.district is None:
            return make()
        return remembered(_with_parts(self.district, parts), make)

    def fragment(
        self, template: str, parts: Iterable[Any], context: Callable[[], dict[str, Any]]
    ) -> Markup:
        """``template`` rendered with ``context()``, from the cache while the figures are
        current. The key holds the template, the request's language and ``parts``: whatever
        else the fragment shows must be the same for everyone who may see it."""

        def render() -> Markup:
            return Markup(render_template(template, **context()))  # noqa: S704 (autoescaped)

        return self.get((template, language(), *parts), render)


def cached_figures(
    db: DbSession, *, district_id: int, now: datetime, parts: Iterable[Any], make: Callable[[], T]
) -> T:
    """What ``make`` returns for these figures, from the cache while it is current."""
    return FiguresCache(db, district_id=district_id, now=now).get(parts, make)


def cached_fragment(
    db: DbSession,
    *,
    district_id: int,
    now: datetime,
    template: str,
    parts: Iterable[Any],
    context: Callable[[], dict[str, Any]],
) -> Markup:
    """``template`` rendered with ``context()``, from the cache while the figures are current
    (see `FiguresCache.fragment`)."""
    return FiguresCache(db, district_id=district_id, now=now).fragment(template, parts, context)
