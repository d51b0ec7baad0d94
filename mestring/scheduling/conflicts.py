"""Scheduling conflicts of a session as it is or as it would be after a change.

A facilitator in two overlapping sessions, one room booked twice at the same time, a session on
a public holiday or in a closed period of the district, a facilitator marked unavailable.
``conflicts_by_session`` checks many sessions with a fixed number of queries (for plan pages);
``find_conflicts`` checks one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased, joinedload, selectinload

from mestring.accounts.models import User
from mestring.core import localized
from mestring.core.errors import DomainError
from mestring.core.time import to_oslo
from mestring.db import DbSession
from mestring.groups.enums import SessionMode
from mestring.groups.models import FacilitatorAssignment, Group
from mestring.scheduling.calendar_days import ClosedDays, closed_days_for, days_between
from mestring.scheduling.enums import ConflictKind, SessionStatus
from mestring.scheduling.models import Session, SessionSubstitute, Unavailability


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
    replaced = {s.replaced_id for s in session.substitutes}
    assigned = {a.user_id for a in session.group.facilitators}
    return frozenset((assigned - replaced) | {s.substitute_id for s in session.substitutes})


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

    def overlaps(self, other: Session) -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at

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
    """The conflicts of each proposal, in the same order."""
    active = [p for p in proposals if not p.cancelled]
    if not active:
        return [[] for _ in proposals]
    first_day = to_oslo(min(p.starts_at for p in active)).date()
    last_day = to_oslo(max(p.ends_at for p in active)).date()
    people = set().union(*(p.facilitator_ids for p in active))
    venues = {p.venue_id for p in active if p.venue_id is not None}
    spans = {(p.starts_at, p.ends_at) for p in active}

    rows = db.execute(sa.select(User.id, User.name).where(User.id.in_(people)))
    names: dict[int, str] = {user_id: name for user_id, name in rows}  # noqa: C416
    others = _sessions_nearby(db, people, venues, spans)
    led_by = {other.id: facilitator_ids(other) for other in others}
    away: dict[int, list[Unavailability]] = defaultdict(list)
    for item in db.scalars(
        sa.select(Unavailability).where(
            Unavailability.user_id.in_(people),
            Unavailability.starts_on <= last_day,
            Unavailability.ends_on >= first_day,
        )
    ):
        away[item.user_id].append(item)
    closed: dict[int, ClosedDays] = {
        district_id: closed_days_for(db, district_id, first_day, last_day)
        for district_id in {p.district_id for p in active}
    }

    result: list[list[Conflict]] = []
    for proposal in proposals:
        if proposal.cancelled:
            result.append([])
            continue
        conflicts = _calendar_conflicts(proposal, closed[proposal.district_id])
        for other in others:
            if other.id == proposal.session_id or not proposal.overlaps(other):
                continue
            for user_id in sorted(proposal.facilitator_ids & led_by[other.id]):
                conflicts.append(
                    Conflict(
                        ConflictKind.FACILITATOR_BUSY,
                        str(
                            _l(
                                "%(person)s also leads “%(session)s” in %(group)s, %(when)s.",
                                person=names.get(user_id, "?"),
                                session=other.title,
                                group=other.group.name,
                                when=localized.moment_span(other.starts_at, other.ends_at),
                            )
                        ),
                    )
                )
            if (
                proposal.venue_id is not None
                and other.mode is SessionMode.PHYSICAL
                and other.venue_id == proposal.venue_id
            ):
                conflicts.append(
                    Conflict(
                        ConflictKind.ROOM_BOOKED,
                        str(
                            _l(
                                "%(room)s is booked for “%(session)s” in %(group)s, %(when)s.",
                                room=other.venue.name if other.venue else "?",
                                session=other.title,
                                group=other.group.name,
                                when=localized.moment_span(other.starts_at, other.ends_at),
                            )
                        ),
                    )
                )
        for user_id in sorted(proposal.facilitator_ids):
            for item in away[user_id]:
                if any(item.starts_on <= day <= item.ends_on for day in proposal.days):
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


def _calendar_conflicts(proposal: ProposedSession, closed: ClosedDays) -> list[Conflict]:
    conflicts = []
    for day in proposal.days:
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


# Built once: making an alias is far dearer than using one.
_NEARBY = aliased(Session, name="nearby")


def _sessions_nearby(
    db: DbSession, people: set[int], venues: set[int], spans: set[tuple[datetime, datetime]]
) -> list[Session]:
    """Sessions overlapping one of ``spans`` that someone of ``people`` leads or that use one of
    ``venues``.

    The three ways in are one ``IN`` over a union, so that both engines start from the
    people's groups and the venues rather than from every session in the table. The union
    looks at the whole window (an index range); only sessions overlapping a span are loaded,
    which for a term's plan is a few out of every session of the term.
    """
    if not people and not venues:
        return []
    start = min(starts_at for starts_at, _ in spans)
    end = max(ends_at for _, ends_at in spans)
    in_window = (_NEARBY.starts_at < end, _NEARBY.ends_at > start)
    nearby = sa.union(
        sa.select(_NEARBY.id)
        .join(FacilitatorAssignment, FacilitatorAssignment.group_id == _NEARBY.group_id)
        .where(FacilitatorAssignment.user_id.in_(people), *in_window),
        sa.select(SessionSubstitute.session_id).where(SessionSubstitute.substitute_id.in_(people)),
        sa.select(_NEARBY.id).where(_NEARBY.venue_id.in_(venues), *in_window),
    )
    return list(
        db.scalars(
            sa.select(Session)
            .where(
                Session.status != SessionStatus.CANCELLED,
                sa.or_(
                    *(
                        sa.and_(Session.starts_at < ends_at, Session.ends_at > starts_at)
                        for starts_at, ends_at in sorted(spans)
                    )
                ),
                Session.id.in_(nearby),
            )
            .options(
                joinedload(Session.group).selectinload(Group.facilitators),
                joinedload(Session.venue),
                selectinload(Session.substitutes),
            )
            .order_by(Session.starts_at, Session.id)
        ).unique()
    )
