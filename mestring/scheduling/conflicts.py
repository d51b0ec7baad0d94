"""Scheduling conflicts of a session as it is or as it would be after a change.

A facilitator in two overlapping sessions, one room booked twice at the same time, a session on
a public holiday or in a closed period of the district, a facilitator marked unavailable.
``conflicts_by_session`` checks many sessions with a fixed number of queries (for plan pages);
``find_conflicts`` checks one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from itertools import accumulate
from operator import itemgetter
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from mestring.accounts.models import User
from mestring.core import localized
from mestring.core.errors import DomainError
from mestring.core.time import to_oslo
from mestring.core.translations import lazy_gettext as _l
from mestring.db import DbSession
from mestring.groups.enums import SessionMode
from mestring.groups.models import FacilitatorAssignment, Group, Venue
from mestring.scheduling.calendar_days import ClosedDays, ClosedSpan, days_between
from mestring.scheduling.enums import ConflictKind, SessionStatus, UnavailabilityReason
from mestring.scheduling.models import (
    LONGEST_SESSION,
    ClosedPeriod,
    Session,
    SessionSubstitute,
    Unavailability,
)
from mestring.scheduling.selection import in_selection


@dataclass(frozen=True)
class Conflict:
    kind: ConflictKind
    message: str


class SchedulingConflict(DomainError):
    """A change would cause conflicts and the person has not confirmed saving it anyway."""

    def __init__(self, conflicts: Sequence[Conflict]) -> None:
        super().__init__(str(_l("The change causes conflicts.")))
        self.conflicts = list(conflicts)


def facilitator_ids(session: Session) -> frozenset[int]:
    """Who leads the session: assigned facilitators not replaced, and substitutes."""
    return leaders(
        {a.user_id for a in session.group.facilitators},
        [(s.replaced_id, s.substitute_id) for s in session.substitutes],
    )


def leaders(assigned: set[int], substitutes: Sequence[tuple[int, int]]) -> frozenset[int]:
    """The assigned facilitators not replaced, and the substitutes of (replaced, substitute)."""
    replaced = {replaced_id for replaced_id, _ in substitutes}
    return frozenset((assigned - replaced) | {substitute_id for _, substitute_id in substitutes})


class _Absence(NamedTuple):
    """What a conflict says of a facilitator's absence."""

    starts_on: date
    ends_on: date
    reason: UnavailabilityReason


@dataclass(frozen=True)
class _NearbySession:
    """What a conflict names of another session, and who leads it."""

    id: int
    title: str
    group_name: str
    starts_at: datetime
    ends_at: datetime
    venue_id: int | None  # physical sessions only
    venue_name: str | None
    facilitator_ids: frozenset[int]


@dataclass(frozen=True)
class ProposedSession:
    """What is checked: an existing session, possibly with a changed time, mode or room."""

    session_id: int | None
    district_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    venue_id: int | None
    facilitator_ids: frozenset[int]
    cancelled: bool = False

    @classmethod
    def of(cls, session: Session) -> ProposedSession:
        return cls(
            session_id=session.id,
            district_id=session.group.district_id,
            title=session.title,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            venue_id=session.venue_id if session.mode is SessionMode.PHYSICAL else None,
            facilitator_ids=facilitator_ids(session),
            cancelled=session.status is SessionStatus.CANCELLED,
        )

    def changed(
        self, *, starts_at: datetime, ends_at: datetime, mode: SessionMode, venue_id: int | None
    ) -> ProposedSession:
        return replace(
            self,
            starts_at=starts_at,
            ends_at=ends_at,
            venue_id=venue_id if mode is SessionMode.PHYSICAL else None,
        )

    @property
    def days(self) -> list[date]:
        return list(days_between(to_oslo(self.starts_at).date(), to_oslo(self.ends_at).date()))


def find_conflicts(db: DbSession, proposed: ProposedSession | Session) -> list[Conflict]:
    if isinstance(proposed, Session):
        proposed = ProposedSession.of(proposed)
    return conflicts_by_session(db, [proposed])[0]


def conflicts_by_session(
    db: DbSession, proposals: Sequence[ProposedSession]
) -> list[list[Conflict]]:
    """The conflicts of each proposal, in the same order.

    Its statements of plain columns run on the session's connection: the ORM's handling of a
    statement cost more than the short ones a check runs, and a check comes before the change
    it is about, so nothing it reads can be waiting to be flushed.
    """
    active = [p for p in proposals if not p.cancelled]
    if not active:
        return [[] for _ in proposals]
    first_day = to_oslo(min(p.starts_at for p in active)).date()
    last_day = to_oslo(max(p.ends_at for p in active)).date()
    people = set().union(*(p.facilitator_ids for p in active))
    venues = {p.venue_id for p in active if p.venue_id is not None}
    spans = {(p.starts_at, p.ends_at) for p in active}

    # The names of those who conflict come with their other sessions and their absences.
    nearby = _sessions_nearby(db, people, venues, spans)
    read = _people_and_closed_days(
        db,
        nearby,
        people=people,
        districts={p.district_id for p in active},
        first_day=first_day,
        last_day=last_day,
    )
    names, away, closed = read.names, read.away, read.closed
    overlapping = _overlapping([_nearby_session(row, read) for row in nearby])
    result: list[list[Conflict]] = []
    for proposal in proposals:
        if proposal.cancelled:
            result.append([])
            continue
        days = proposal.days
        conflicts = _calendar_conflicts(days, closed[proposal.district_id])
        for other in overlapping(proposal):
            if other.id == proposal.session_id:
                continue
            for user_id in sorted(proposal.facilitator_ids & other.facilitator_ids):
                conflicts.append(
                    Conflict(
                        ConflictKind.FACILITATOR_BUSY,
                        str(
                            _l(
                                "%(person)s also leads “%(session)s” in %(group)s, %(when)s.",
                                person=names.get(user_id, "?"),
                                session=other.title,
                                group=other.group_name,
                                when=localized.moment_span(other.starts_at, other.ends_at),
                            )
                        ),
                    )
                )
            if proposal.venue_id is not None and other.venue_id == proposal.venue_id:
                conflicts.append(
                    Conflict(
                        ConflictKind.ROOM_BOOKED,
                        str(
                            _l(
                                "%(room)s is booked for “%(session)s” in %(group)s, %(when)s.",
                                room=other.venue_name or "?",
                                session=other.title,
                                group=other.group_name,
                                when=localized.moment_span(other.starts_at, other.ends_at),
                            )
                        ),
                    )
                )
        for user_id in sorted(proposal.facilitator_ids):
            for item in away[user_id]:
                if any(item.starts_on <= day <= item.ends_on for day in days):
                    conflicts.append(
                        Conflict(
                            ConflictKind.FACILITATOR_UNAVAILABLE,
                            str(
                                _l(
                                    "%(person)s is unavailable %(days)s (%(reason)s).",
                                    person=names.get(user_id, "?"),
                                    days=localized.day_range(item.starts_on, item.ends_on),
                                    reason=item.reason.label.lower(),
                                )
                            ),
                        )
                    )
        result.append(conflicts)
    return result


def _calendar_conflicts(days: list[date], closed: ClosedDays) -> list[Conflict]:
    conflicts = []
    for day in days:
        holiday = closed.public_holiday(day)
        if holiday:
            conflicts.append(
                Conflict(
                    ConflictKind.PUBLIC_HOLIDAY,
                    str(
                        _l(
                            "%(day)s is a public holiday (%(name)s).",
                            day=localized.full_day(day),
                            name=holiday,
                        )
                    ),
                )
            )
        period = closed.closed_period(day)
        if period:
            conflicts.append(
                Conflict(
                    ConflictKind.CLOSED_PERIOD,
                    str(
                        _l(
                            "%(day)s is in a closed period: %(name)s (%(days)s).",
                            day=localized.full_day(day),
                            name=period.name,
                            days=localized.day_range(period.starts_on, period.ends_on),
                        )
                    ),
                )
            )
    return conflicts


def _nearby_statement() -> sa.Select[*tuple[Any, ...]]:
    """What ``_sessions_nearby`` reads, with the ``people``, ``venues`` and the window from
    ``start`` to ``end`` as parameters.

    The three ways in (the people's groups, their substitutions, the venues) are one selection
    of ids, and the people's groups one of group ids, so that both engines start from those
    groups and venues rather than from every session in the table (on PostgreSQL as arrays,
    see ``in_selection``: joined in, they cost more planning than running).

    Both ways in by time are bounded below by ``earliest``, ``LONGEST_SESSION`` before the
    window: a session that overlaps the window started after it, so the indexes on a group's
    and a venue's sessions by start read a range instead of the whole history before ``end``.
    """
    nearby = aliased(Session, name="nearby")
    in_window = (
        nearby.starts_at > sa.bindparam("earliest"),
        nearby.starts_at < sa.bindparam("end"),
        nearby.ends_at > sa.bindparam("start"),
    )
    people: sa.BindParameter[list[int]] = sa.bindparam("people", expanding=True)
    their_groups = sa.select(FacilitatorAssignment.group_id).where(
        FacilitatorAssignment.user_id.in_(people)
    )
    ways_in = sa.union_all(
        sa.select(nearby.id).where(in_selection(nearby.group_id, their_groups), *in_window),
        sa.select(SessionSubstitute.session_id).where(SessionSubstitute.substitute_id.in_(people)),
        sa.select(nearby.id).where(
            nearby.venue_id.in_(sa.bindparam("venues", expanding=True)), *in_window
        ),
    )
    return (
        sa.select(
            Session.id,
            Session.group_id,
            Session.title,
            Group.name,
            Session.starts_at,
            Session.ends_at,
            Session.mode,
            Session.venue_id,
            Venue.name,
        )
        .join(Group, Group.id == Session.group_id)
        .outerjoin(Venue, Venue.id == Session.venue_id)
        .where(Session.status != SessionStatus.CANCELLED, in_selection(Session.id, ways_in))
        .order_by(Session.starts_at, Session.id)
    )


# Built once, run with parameters: building the union per check cost more than running it.
_NEARBY_SESSIONS = _nearby_statement()

_NO_ID = sa.cast(sa.null(), sa.Integer)

# Who leads the sessions near by, who of ``people`` is away and which days the ``districts``
# close, from ``first_day`` to ``last_day``, in one statement (on PostgreSQL each one is a
# round trip). Each row says what it is, and fills the columns that kind has:
#   absence:    the absent's id and name, the days and the reason
#   closed:     the district's id in ``of_id``, the period's name and days
#   assigned:   the group's id in ``of_id``, the facilitator's id and name (groups ``groups``)
#   substitute: the session's id in ``of_id``, the replaced and the substitute's id, the
#               substitute's name (sessions ``sessions``)
# Ordered by first day, as a district's closed periods are looked through. The people's names
# are joined once to the rows of all kinds (a join in each kind cost PostgreSQL more planning).
_PEOPLE_AND_CLOSED_ROWS = sa.union_all(
    sa.select(
        sa.literal_column("'absence'").label("kind"),
        _NO_ID.label("of_id"),
        _NO_ID.label("replaced_id"),
        Unavailability.user_id.label("user_id"),
        sa.cast(sa.null(), ClosedPeriod.name.type).label("name"),
        Unavailability.starts_on.label("starts_on"),
        Unavailability.ends_on.label("ends_on"),
        Unavailability.reason.label("reason"),
    ).where(
        Unavailability.user_id.in_(sa.bindparam("people", expanding=True)),
        Unavailability.starts_on <= sa.bindparam("last_day"),
        Unavailability.ends_on >= sa.bindparam("first_day"),
    ),
    sa.select(
        sa.literal_column("'closed'"),
        ClosedPeriod.district_id,
        _NO_ID,
        _NO_ID,
        ClosedPeriod.name,
        ClosedPeriod.starts_on,
        ClosedPeriod.ends_on,
        sa.null(),
    ).where(
        ClosedPeriod.district_id.in_(sa.bindparam("districts", expanding=True)),
        ClosedPeriod.starts_on <= sa.bindparam("last_day"),
        ClosedPeriod.ends_on >= sa.bindparam("first_day"),
    ),
    sa.select(
        sa.literal_column("'assigned'"),
        FacilitatorAssignment.group_id,
        _NO_ID,
        FacilitatorAssignment.user_id,
        sa.null(),
        sa.null(),
        sa.null(),
        sa.null(),
    ).where(FacilitatorAssignment.group_id.in_(sa.bindparam("groups", expanding=True))),
    sa.select(
        sa.literal_column("'substitute'"),
        SessionSubstitute.session_id,
        SessionSubstitute.replaced_id,
        SessionSubstitute.substitute_id,
        sa.null(),
        sa.null(),
        sa.null(),
        sa.null(),
    ).where(SessionSubstitute.session_id.in_(sa.bindparam("sessions", expanding=True))),
).subquery("found")
_PEOPLE_AND_CLOSED_DAYS: sa.Select[*tuple[Any, ...]] = (
    sa.select(
        _PEOPLE_AND_CLOSED_ROWS.c.kind,
        _PEOPLE_AND_CLOSED_ROWS.c.of_id,
        _PEOPLE_AND_CLOSED_ROWS.c.replaced_id,
        _PEOPLE_AND_CLOSED_ROWS.c.user_id,
        sa.func.coalesce(_PEOPLE_AND_CLOSED_ROWS.c.name, User.name),
        _PEOPLE_AND_CLOSED_ROWS.c.starts_on,
        _PEOPLE_AND_CLOSED_ROWS.c.ends_on,
        _PEOPLE_AND_CLOSED_ROWS.c.reason,
    )
    .outerjoin(User, User.id == _PEOPLE_AND_CLOSED_ROWS.c.user_id)
    .order_by(_PEOPLE_AND_CLOSED_ROWS.c.starts_on)
)


class _PeopleAndClosedDays(NamedTuple):
    """What ``_PEOPLE_AND_CLOSED_DAYS`` reads, by what a conflict check looks it up by."""

    names: dict[int, str]  # of those who lead the sessions near by or are away
    away: dict[int, list[_Absence]]  # by user id
    closed: dict[int, ClosedDays]  # by district id
    assigned: dict[int, set[int]]  # facilitators by group id
    substitutes: dict[int, list[tuple[int, int]]]  # (replaced, substitute) by session id


def _people_and_closed_days(
    db: DbSession,
    nearby: Sequence[Any],
    *,
    people: set[int],
    districts: set[int],
    first_day: date,
    last_day: date,
) -> _PeopleAndClosedDays:
    """Who leads the ``nearby`` session rows, the absences of ``people`` and the closed
    periods of ``districts`` from ``first_day`` to ``last_day``, with the names of all."""
    read = _PeopleAndClosedDays({}, defaultdict(list), {}, defaultdict(set), defaultdict(list))
    periods: dict[int, list[ClosedSpan]] = {district_id: [] for district_id in districts}
    params = {
        "people": sorted(people),
        "districts": sorted(districts),
        "first_day": first_day,
        "last_day": last_day,
        "groups": sorted({row.group_id for row in nearby}),
        "sessions": [row.id for row in nearby],
    }
    rows = db.connection().execute(_PEOPLE_AND_CLOSED_DAYS, params)
    for kind, of_id, replaced_id, user_id, name, starts_on, ends_on, reason in rows:
        if kind == "closed":
            periods[of_id].append(ClosedSpan(name, starts_on, ends_on))
            continue
        read.names[user_id] = name
        if kind == "absence":
            read.away[user_id].append(_Absence(starts_on, ends_on, reason))
        elif kind == "assigned":
            read.assigned[of_id].add(user_id)
        else:
            read.substitutes[of_id].append((replaced_id, user_id))
    read.closed.update(
        (district_id, ClosedDays(tuple(spans))) for district_id, spans in periods.items()
    )
    return read


def _sessions_nearby(
    db: DbSession, people: set[int], venues: set[int], spans: set[tuple[datetime, datetime]]
) -> list[Any]:
    """Sessions overlapping one of ``spans`` that someone of ``people`` leads or that use one of
    ``venues``, read as plain rows.

    The statement looks at the whole window (an index range); the few sessions in it that
    overlap no span are left out here, which is cheaper than a condition per span.
    """
    if not people and not venues:
        return []
    overlaps_a_span = _overlap_test(spans)
    start = min(starts_at for starts_at, _ in spans)
    window = {
        "people": sorted(people),
        "venues": sorted(venues),
        "start": start,
        "end": max(ends_at for _, ends_at in spans),
        "earliest": start - LONGEST_SESSION,
    }
    return [
        row
        for row in db.connection().execute(_NEARBY_SESSIONS, window).all()
        if overlaps_a_span(row.starts_at, row.ends_at)
    ]


def _nearby_session(row: Any, read: _PeopleAndClosedDays) -> _NearbySession:
    """A row of ``_NEARBY_SESSIONS`` as a conflict names it, with who leads it."""
    session_id, group_id, title, group_name, starts_at, ends_at, mode, venue_id, venue_name = row
    return _NearbySession(
        id=session_id,
        title=title,
        group_name=group_name,
        starts_at=starts_at,
        ends_at=ends_at,
        venue_id=venue_id if mode is SessionMode.PHYSICAL else None,
        venue_name=venue_name,
        facilitator_ids=leaders(read.assigned[group_id], read.substitutes[session_id]),
    )


def _overlapping(
    others: list[_NearbySession],
) -> Callable[[ProposedSession], list[_NearbySession]]:
    """The sessions of ``others`` (ordered by start) that overlap a proposal, in that order.

    Only those that start before the proposal ends and after it starts less the longest of
    ``others`` can: a plan's proposals are looked up among a few, not all of them.
    """
    starts = [other.starts_at for other in others]
    longest = max((other.ends_at - other.starts_at for other in others), default=timedelta(0))

    def overlapping(proposal: ProposedSession) -> list[_NearbySession]:
        first = bisect_right(starts, proposal.starts_at - longest)
        last = bisect_left(starts, proposal.ends_at)
        return [other for other in others[first:last] if other.ends_at > proposal.starts_at]

    return overlapping


def _overlap_test(spans: set[tuple[datetime, datetime]]) -> Callable[[datetime, datetime], bool]:
    """Whether a time overlaps one of ``spans``: some span starts before it ends, and the
    latest end of those spans is after it starts."""
    by_start = sorted(spans)
    latest_end = list(accumulate((ends_at for _, ends_at in by_start), max))

    def overlaps(starts_at: datetime, ends_at: datetime) -> bool:
        before = bisect_left(by_start, ends_at, key=itemgetter(0))
        return before > 0 and latest_end[before - 1] > starts_at

    return overlaps
