"""Sessions read for calendar files (feeds and plans) as plain rows, made into events.

A feed holds many sessions and shows a few columns of each, their group's name and room, and
the names of those who lead them: two statements built once, no session object loaded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.db import DbSession
from mestring.groups.models import FacilitatorAssignment, Group, Venue
from mestring.scheduling.ical import SessionEvent
from mestring.scheduling.models import Session, SessionSubstitute
from mestring.scheduling.queries import viewer_params, visible_to_role

_EVENT_COLUMNS = (
    Session.id,
    Session.group_id,
    Group.name,
    Session.title,
    Session.starts_at,
    Session.ends_at,
    Session.version_id,
    Session.mode,
    Session.status,
    Session.video_link,
    Venue.name,
    Venue.address,
)


@cache
def _feed_events_statement(role: Role) -> sa.Select[*tuple[Any, ...]]:
    """A feed's sessions (see ``queries.feed_sessions``) as rows of what their events show."""
    return (
        visible_to_role(role)
        .with_only_columns(*_EVENT_COLUMNS)
        .outerjoin(Venue, Venue.id == Session.venue_id)
        .where(Session.ends_at >= sa.bindparam("since"))
        # The id settles sessions that start together, whichever plan the engine picks.
        .order_by(Session.starts_at, Session.id)
    )


# A group's sessions in plan order, as rows of what their events show.
_PLAN_EVENTS = (
    sa.select(*_EVENT_COLUMNS)
    .join(Group, Group.id == Session.group_id)
    .outerjoin(Venue, Venue.id == Session.venue_id)
    .where(Session.group_id == sa.bindparam("group_id"))
    .order_by(Session.starts_at, Session.position)
)

_NO_ID = sa.cast(sa.null(), sa.Integer)

# Who leads the sessions of ``groups`` that end at ``since`` or later, with names, in one
# statement: (group id, none, user id, name, assignment id) for the groups' facilitators and
# (none, session id, replaced id, substitute's name, substitute row id) for the substitutes.
_LEADERS = sa.union_all(
    sa.select(
        FacilitatorAssignment.group_id,
        _NO_ID,
        FacilitatorAssignment.user_id,
        User.name,
        FacilitatorAssignment.id,
    )
    .join(User, User.id == FacilitatorAssignment.user_id)
    .where(FacilitatorAssignment.group_id.in_(sa.bindparam("groups", expanding=True))),
    sa.select(
        _NO_ID,
        SessionSubstitute.session_id,
        SessionSubstitute.replaced_id,
        User.name,
        SessionSubstitute.id,
    )
    .join(User, User.id == SessionSubstitute.substitute_id)
    .join(Session, Session.id == SessionSubstitute.session_id)
    .where(
        Session.group_id.in_(sa.bindparam("groups", expanding=True)),
        Session.ends_at >= sa.bindparam("since"),
    ),
)

# Far enough back for every session of a plan.
EVER = datetime.fromisoformat("1900-01-01T00:00:00+00:00")


def feed_events(db: DbSession, user: User, since: datetime) -> list[SessionEvent]:
    """The events of a user's feed: their sessions ending at ``since`` or later, by start."""
    params = {**viewer_params(user), "since": since}
    return _events(db, db.execute(_feed_events_statement(user.role), params).all(), since)


def group_plan_events(db: DbSession, group_id: int) -> list[SessionEvent]:
    """The events of a group's plan, in plan order."""
    return _events(db, db.execute(_PLAN_EVENTS, {"group_id": group_id}).all(), EVER)


def _events(
    db: DbSession, rows: Sequence[sa.Row[*tuple[Any, ...]]], since: datetime
) -> list[SessionEvent]:
    """The sessions' events, with the names of those who lead each: the assigned facilitators
    not replaced, in the order they were assigned, then the substitutes."""
    if not rows:
        return []
    assigned: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    substitutes: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    groups = sorted({row[1] for row in rows})
    for group_id, session_id, user_id, name, order in db.execute(
        _LEADERS, {"groups": groups, "since": since}
    ):
        if session_id is None:
            assigned[group_id].append((order, user_id, name))
        else:
            substitutes[session_id].append((order, user_id, name))
    for leaders in (*assigned.values(), *substitutes.values()):
        leaders.sort()
    return [
        SessionEvent(
            session_id=session_id,
            group_name=group_name,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            version_id=version_id,
            mode=mode,
            status=status,
            video_link=video_link,
            venue_name=venue_name,
            venue_address=venue_address,
            facilitator_names=_leader_names(assigned[group_id], substitutes.get(session_id, ())),
        )
        for (
            session_id,
            group_id,
            group_name,
            title,
            starts_at,
            ends_at,
            version_id,
            mode,
            status,
            video_link,
            venue_name,
            venue_address,
        ) in rows
    ]


def _leader_names(
    assigned: list[tuple[int, int, str]], substitutes: list[tuple[int, int, str]] | tuple[()]
) -> list[str]:
    """As ``ical.facilitator_names``: (order, user id, name) of the group's facilitators and
    (order, replaced id, name) of the session's substitutes."""
    if not substitutes:
        return [name for _order, _user_id, name in assigned]
    replaced = {replaced_id for _order, replaced_id, _name in substitutes}
    names = [name for _order, user_id, name in assigned if user_id not in replaced]
    return names + [name for _order, _replaced_id, name in substitutes]
