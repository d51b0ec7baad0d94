"""Session lists that pages share."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager, joinedload

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.db import DbSession
from mestring.groups.models import FacilitatorAssignment, Group
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session, SessionSubstitute
from mestring.scheduling.selection import in_selection, not_in_selection

# Built once: making an alias is far dearer than using one.
_LED = aliased(Session, name="led")


def sessions_led_by(user: User) -> sa.ColumnElement[bool]:
    """Sessions of the user's groups where they are not replaced, and those they substitute in."""
    return sessions_led_by_id(user.id)


def sessions_led_by_id(user_id: int | sa.BindParameter[int]) -> sa.ColumnElement[bool]:
    """``sessions_led_by`` for a user known only by id (a filter's choice).

    First the groups of the sessions they lead (their own groups and those of the sessions they
    substitute in), which both engines start from through the index on a group's sessions,
    whatever the window; then the exact test on the same few ids.
    """
    assigned = sa.select(FacilitatorAssignment.group_id).where(
        FacilitatorAssignment.user_id == user_id
    )
    substituted_groups = (
        sa.select(_LED.group_id)
        .join(SessionSubstitute, SessionSubstitute.session_id == _LED.id)
        .where(SessionSubstitute.substitute_id == user_id)
    )
    replaced = sa.select(SessionSubstitute.session_id).where(
        SessionSubstitute.replaced_id == user_id
    )
    substituting = sa.select(SessionSubstitute.session_id).where(
        SessionSubstitute.substitute_id == user_id
    )
    return sa.and_(
        in_selection(Session.group_id, sa.union_all(assigned, substituted_groups)),
        sa.or_(
            sa.and_(
                in_selection(Session.group_id, assigned),
                not_in_selection(Session.id, replaced),
            ),
            in_selection(Session.id, substituting),
        ),
    )


def upcoming_sessions(user: User, now: datetime, limit: int = 10) -> sa.Select[Session]:
    """The next planned sessions a facilitator leads, or of a coordinator's district."""
    stmt = (
        sa.select(Session)
        .join(Session.group)
        .options(contains_eager(Session.group), joinedload(Session.venue))
        .where(Session.starts_at >= now, Session.status == SessionStatus.PLANNED)
    )
    if user.role is Role.FACILITATOR:
        stmt = stmt.where(sessions_led_by(user))
    elif user.role is Role.COORDINATOR:
        stmt = stmt.where(Group.district_id == user.district_id)
    else:
        stmt = stmt.where(sa.false())
    return stmt.order_by(Session.starts_at).limit(limit)


# The coordinator's calendar filters, the district's groups and facilitators, in one statement
# built once: (is a facilitator, id, name) rows, the groups first, each by name. The district is
# bound per request.
_FILTER_CHOICES: sa.CompoundSelect[int, int, str] = sa.union_all(
    sa.select(
        sa.literal_column("0", sa.Integer).label("kind"),
        Group.id.label("id"),
        Group.name.label("name"),
    ).where(Group.district_id == sa.bindparam("district_id")),
    sa.select(sa.literal_column("1", sa.Integer), User.id, User.name).where(
        User.role == Role.FACILITATOR, User.district_id == sa.bindparam("district_id")
    ),
).order_by(sa.literal_column("kind"), sa.literal_column("name"), sa.literal_column("id"))


def district_filter_choices(
    db: DbSession, district_id: int | None
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The district's groups and its facilitators as (id, name) pairs, by name."""
    choices: tuple[list[tuple[int, str]], list[tuple[int, str]]] = ([], [])
    for kind, ident, name in db.execute(_FILTER_CHOICES, {"district_id": district_id}).all():
        choices[kind].append((ident, name))
    return choices


def calendar_sessions(
    user: User,
    start: datetime,
    end: datetime,
    *,
    group_id: int | None = None,
    facilitator_id: int | None = None,
) -> tuple[sa.Select[*tuple[Any, ...]], dict[str, object]]:
    """The user's sessions (cancelled ones too) starting in [start, end), filtered, as rows of
    what a calendar entry shows: no session or group is loaded as an object.

    The statement, built once for each kind of user and filter, and its parameters."""
    stmt = _calendar_statement(user.role, group_id is not None, facilitator_id is not None)
    params = {
        **viewer_params(user),
        "start": start,
        "end": end,
        "group_id": group_id,
        "facilitator_id": facilitator_id,
    }
    return stmt, params


@cache
def _calendar_statement(
    role: Role, by_group: bool, by_facilitator: bool
) -> sa.Select[*tuple[Any, ...]]:
    stmt = visible_to_role(role).with_only_columns(
        Session.id,
        Session.starts_at,
        Session.ends_at,
        Session.title,
        Session.mode,
        Session.status,
        Group.name.label("group_name"),
    )
    stmt = stmt.where(
        Session.starts_at >= sa.bindparam("start"), Session.starts_at < sa.bindparam("end")
    )
    if by_group:
        stmt = stmt.where(Session.group_id == sa.bindparam("group_id"))
    if by_facilitator:
        stmt = stmt.where(sessions_led_by_id(sa.bindparam("facilitator_id")))
    # The id settles sessions that start together, whichever plan the engine picks.
    return stmt.order_by(Session.starts_at, Session.id)


def visible_to_role(role: Role) -> sa.Select[Session]:
    """Sessions a facilitator leads, or all of a coordinator's district; none for others. The
    user's id or district is left as a parameter (see ``viewer_params``)."""
    stmt = sa.select(Session).join(Session.group)
    if role is Role.FACILITATOR:
        return stmt.where(sessions_led_by_id(sa.bindparam("viewer_id")))
    if role is Role.COORDINATOR:
        return stmt.where(Group.district_id == sa.bindparam("viewer_district_id"))
    return stmt.where(sa.false())


def viewer_params(user: User) -> dict[str, object]:
    return {"viewer_id": user.id, "viewer_district_id": user.district_id}


def led_session_times(
    user_ids: Collection[int], start: datetime, end: datetime
) -> sa.CompoundSelect[Any]:
    """(user id, session id, group id, starts at) rows for every session starting in
    [start, end) that one of the users leads: assigned and not replaced, or substituting.
    Cancelled sessions are left out."""
    in_window = sa.and_(
        Session.status != SessionStatus.CANCELLED,
        Session.starts_at >= start,
        Session.starts_at < end,
    )
    replaced = (
        sa.select(SessionSubstitute.id)
        .where(
            SessionSubstitute.session_id == Session.id,
            SessionSubstitute.replaced_id == FacilitatorAssignment.user_id,
        )
        .exists()
    )
    assigned = (
        sa.select(
            FacilitatorAssignment.user_id.label("user_id"),
            Session.id.label("session_id"),
            Session.group_id.label("group_id"),
            Session.starts_at.label("starts_at"),
        )
        .join(Session, Session.group_id == FacilitatorAssignment.group_id)
        .where(FacilitatorAssignment.user_id.in_(user_ids), in_window, sa.not_(replaced))
    )
    substituting = (
        sa.select(
            SessionSubstitute.substitute_id.label("user_id"),
            Session.id.label("session_id"),
            Session.group_id.label("group_id"),
            Session.starts_at.label("starts_at"),
        )
        .join(Session, Session.id == SessionSubstitute.session_id)
        .where(SessionSubstitute.substitute_id.in_(user_ids), in_window)
    )
    return sa.union_all(assigned, substituting)
