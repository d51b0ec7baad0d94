"""Attendance lists that pages share: rosters, held sessions, marks, flags, the facilitator's day.

Each function runs a fixed number of queries whatever the number of groups, sessions or pupils.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager, joinedload

from mestring.accounts.enums import ServiceKind
from mestring.accounts.models import Service, User
from mestring.attendance.enums import AttendanceStatus
from mestring.attendance.flags import (
    ACTIVE_REFERRAL_STATUSES,
    AttendanceSummary,
    HeldSession,
    PupilRecord,
    is_active_member,
    summarise,
)
from mestring.attendance.models import Attendance
from mestring.db import DbSession, inlined
from mestring.groups.enums import GroupStatus
from mestring.groups.models import FacilitatorAssignment, Group, GroupMembership
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.models import Guardian, Pupil, Referral
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session, SessionSubstitute
from mestring.scheduling.queries import sessions_led_by_id

ROSTER_OPTIONS = [
    joinedload(GroupMembership.pupil).joinedload(Pupil.school),
    joinedload(GroupMembership.pupil).selectinload(Pupil.guardians),
    joinedload(GroupMembership.referral),
]


# Built once: making an alias is far dearer than using one.
_MARKED = aliased(Attendance, name="marked")
# A column of no value where a union's rows of one kind have none.
_NO_ID = sa.cast(sa.null(), sa.Integer)


def has_attendance() -> sa.ColumnElement[bool]:
    return sa.select(_MARKED.id).where(_MARKED.session_id == Session.id).correlate(Session).exists()


def held_children_session() -> sa.ColumnElement[bool]:
    """A session that counts toward a pupil's attendance (see mestring.attendance.flags)."""
    return sa.and_(
        Session.status != SessionStatus.CANCELLED,
        Session.guardians_attend.is_(False),
        sa.or_(Session.status == SessionStatus.HELD, has_attendance()),
    )


# The statements a group's attendance pages run are built once, with their group, sessions or
# groups as bound parameters: building a select costs more than running it.


def _active_members(options: Sequence[Any]) -> sa.Select[GroupMembership]:
    """The group ("group_id") pupils who have not left it (referral placed or completed), by
    name."""
    return (
        sa.select(GroupMembership)
        .join(GroupMembership.referral)
        .join(GroupMembership.pupil)
        .where(
            GroupMembership.group_id == sa.bindparam("group_id"),
            Referral.status.in_(ACTIVE_REFERRAL_STATUSES),
        )
        .options(*options)
        .order_by(Pupil.first_name, Pupil.last_name, Pupil.id)
    )


_ACTIVE_MEMBERS = _active_members(())
_ROSTER = _active_members(ROSTER_OPTIONS)


def active_members(db: DbSession, group_id: int) -> list[GroupMembership]:
    """The group's pupils who have not left it (referral placed or completed), by name."""
    return list(db.scalars(_ACTIVE_MEMBERS, {"group_id": group_id}).unique())


def roster(db: DbSession, group_id: int) -> list[GroupMembership]:
    """Active members with what a facilitator needs: school, guardians and the referral."""
    return list(db.scalars(_ROSTER, {"group_id": group_id}).unique())


def marks_of_session(db: DbSession, session_id: int) -> dict[int, Attendance]:
    rows = db.scalars(sa.select(Attendance).where(Attendance.session_id == session_id))
    return {row.pupil_id: row for row in rows}


_HELD_SESSIONS = (
    sa.select(Session)
    .where(Session.group_id.in_(sa.bindparam("group_ids", expanding=True)), held_children_session())
    .order_by(Session.starts_at, Session.id)
)


def held_sessions_of(db: DbSession, group_ids: Collection[int]) -> dict[int, list[Session]]:
    """The held children's sessions of each group, in order."""
    by_group: dict[int, list[Session]] = defaultdict(list)
    if not group_ids:
        return by_group
    for session in db.scalars(_HELD_SESSIONS, {"group_ids": list(group_ids)}):
        by_group[session.group_id].append(session)
    return by_group


_MARKS_AT = sa.select(Attendance.pupil_id, Attendance.session_id, Attendance.status).where(
    Attendance.session_id.in_(sa.bindparam("session_ids", expanding=True))
)


def marks_at(db: DbSession, session_ids: Collection[int]) -> dict[int, dict[int, AttendanceStatus]]:
    """Pupil id to {session id: status} for the sessions."""
    marks: dict[int, dict[int, AttendanceStatus]] = defaultdict(dict)
    if not session_ids:
        return marks
    rows = db.execute(_MARKS_AT, {"session_ids": list(session_ids)})
    for pupil_id, session_id, status in rows:
        marks[pupil_id][session_id] = status
    return marks


def _held(sessions: Sequence[Session]) -> list[HeldSession]:
    return [HeldSession(session_id=s.id, starts_at=s.starts_at) for s in sessions]


@dataclass(frozen=True)
class GroupAttendance:
    """A group's held children's sessions and each active member's marks and summary."""

    sessions: list[Session]
    rows: list[tuple[GroupMembership, dict[int, AttendanceStatus], AttendanceSummary]]

    @property
    def flagged(self) -> list[tuple[GroupMembership, AttendanceSummary]]:
        return [(member, summary) for member, _marks, summary in self.rows if summary.flags]


def group_attendance(db: DbSession, group: Group) -> GroupAttendance:
    members = roster(db, group.id)
    sessions = held_sessions_of(db, [group.id])[group.id]
    marks = marks_at(db, [s.id for s in sessions])
    held = _held(sessions)
    rows = [
        (
            member,
            marks.get(member.pupil_id, {}),
            summarise(held, PupilRecord(member.pupil_id, marks.get(member.pupil_id, {}))),
        )
        for member in members
    ]
    return GroupAttendance(sessions=sessions, rows=rows)


class GroupName(NamedTuple):
    id: int
    name: str


class PupilName(NamedTuple):
    id: int
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class FlaggedPupil:
    group: GroupName
    pupil: PupilName
    summary: AttendanceSummary


# The follow-up list's statement, built once with the district bound.
_RUNNING_IN_DISTRICT = sa.and_(
    Group.district_id == sa.bindparam("district_id"),
    # The status is written into the statement (see `inlined`): PostgreSQL then estimates the
    # running groups as well without the district as with it.
    Group.status == inlined(GroupStatus.RUNNING, Group.status.type),
)
_NO_TEXT = sa.cast(sa.null(), sa.String)
# The statuses whose pupils a session's row lists, in the order of its columns.
_MARK_STATUSES = tuple(AttendanceStatus)


def _pupils_marked(status: AttendanceStatus) -> sa.ColumnElement[str]:
    """The ids of the pupils marked with the status at the session, comma-separated."""
    marked = sa.case((Attendance.status == status, sa.cast(Attendance.pupil_id, sa.String)))
    return sa.func.aggregate_strings(marked, ",")


# The running groups' members and their held sessions, in one statement of rows of one shape:
# (group id, group name, pupil id, first name, last name, referral status, none...) for a member
# and (group id, none..., session id, start, then the ids of the pupils marked present, absent
# and excused) for a session. A session's marks come as lists of pupil ids, one row per session
# rather than one per mark: the driver and SQLAlchemy take far longer over a row than over an id.
# Every member is read, whatever the status: it is checked in Python, not in SQL, since given a
# status filter SQLite starts from every placed or completed referral in the city instead of
# from the groups' few members.
_MEMBERS_AND_HELD_SESSIONS = sa.union_all(
    sa.select(
        GroupMembership.group_id,
        Group.name,
        GroupMembership.pupil_id,
        Pupil.first_name,
        Pupil.last_name,
        Referral.status,
        _NO_ID,
        sa.cast(sa.null(), Session.starts_at.type),
        *(_NO_TEXT for _status in _MARK_STATUSES),
    )
    .join(GroupMembership.group)
    .join(GroupMembership.referral)
    .join(GroupMembership.pupil)
    .where(_RUNNING_IN_DISTRICT),
    sa.select(
        Session.group_id,
        _NO_TEXT,
        _NO_ID,
        _NO_TEXT,
        _NO_TEXT,
        sa.cast(sa.null(), Referral.status.type),
        Session.id,
        Session.starts_at,
        *(_pupils_marked(status) for status in _MARK_STATUSES),
    )
    .join(Session.group)
    .outerjoin(Attendance, Attendance.session_id == Session.id)
    .where(_RUNNING_IN_DISTRICT, held_children_session())
    .group_by(Session.id),
)


def district_flags(db: DbSession, district_id: int | None) -> list[FlaggedPupil]:
    """Active members of the district's running groups who need following up, by group.

    Everything is read as plain rows: the list shows only the groups' and pupils' names.
    """
    # Plain columns run on the session's connection: the ORM's row handling would cost more than
    # the query, and nothing the list reads can be waiting to be flushed. Rows are fetched all at
    # once, which the driver does faster than one by one.
    rows = db.connection().execute(_MEMBERS_AND_HELD_SESSIONS, {"district_id": district_id})
    members = []
    held: dict[int, list[HeldSession]] = defaultdict(list)
    marks: dict[int, dict[int, AttendanceStatus]] = defaultdict(dict)
    for (
        group_id,
        group_name,
        pupil_id,
        first_name,
        last_name,
        status,
        session_id,
        starts_at,
        *marked,
    ) in rows.all():
        if session_id is None:
            if is_active_member(status):
                members.append(
                    (GroupName(group_id, group_name), PupilName(pupil_id, first_name, last_name))
                )
            continue
        held[group_id].append(HeldSession(session_id=session_id, starts_at=starts_at))
        for mark, pupil_ids in zip(_MARK_STATUSES, marked, strict=True):
            if pupil_ids:
                for marked_id in pupil_ids.split(","):
                    marks[int(marked_id)][session_id] = mark
    flagged = []
    for group, pupil in members:
        summary = summarise(held[group.id], PupilRecord(pupil.id, marks.get(pupil.id, {})))
        if summary.flags:
            flagged.append(FlaggedPupil(group, pupil, summary))
    flagged.sort(
        key=lambda item: (
            item.group.name,
            item.pupil.first_name,
            item.pupil.last_name,
            item.pupil.id,
            item.group.id,
        )
    )
    return flagged


# --- The facilitator's day ----------------------------------------------------------------------


# The facilitator's start page runs these for every visit: built once, with the user and the
# time bound. The user's id is a bound parameter standing for the int ``sessions_led_by_id``
# takes.
_USER_ID: Any = sa.bindparam("user_id", type_=sa.Integer)
NEXT_SESSIONS_SHOWN = 5

# As ``upcoming_sessions`` builds it for a facilitator.
_NEXT_SESSIONS = (
    sa.select(Session)
    .join(Session.group)
    .options(contains_eager(Session.group), joinedload(Session.venue))
    .where(
        Session.starts_at >= sa.bindparam("now"),
        Session.status == SessionStatus.PLANNED,
        sessions_led_by_id(_USER_ID),
    )
    .order_by(Session.starts_at)
    .limit(NEXT_SESSIONS_SHOWN)
)


def next_sessions(db: DbSession, user: User, now: datetime) -> list[Session]:
    """The facilitator's next planned sessions with their group and venue (the rest of what
    the page shows of them: ``day_details``)."""
    return list(db.scalars(_NEXT_SESSIONS, {"user_id": user.id, "now": now}).unique())


class Leader(NamedTuple):
    """A facilitator assigned to a group, with the kind of service they come from."""

    user_id: int
    name: str
    service_kind: ServiceKind | None


class Substitute(NamedTuple):
    replaced_id: int
    substitute_id: int
    name: str


class MemberNeeds(NamedTuple):
    """What the start page shows of a group's member: name, referral status and needs."""

    first_name: str
    last_name: str
    status: ReferralStatus
    digital_access: bool
    travel_needs: str
    other_needs: str
    interpreter_needed: bool

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class DayDetails:
    """Beyond the sessions themselves: each group's leaders and members (in the order of
    ``Group.facilitators`` and ``Group.memberships``) and each session's substitutes."""

    leaders: Mapping[int, list[Leader]]
    members: Mapping[int, list[MemberNeeds]]
    substitutes: Mapping[int, list[Substitute]]


# The start page shows a few columns of several kinds of rows: read as plain rows by statements
# built once, since loading and relating whole entities cost more than the page's queries.
_INTERPRETER_NEEDED = (
    sa.select(Guardian.id)
    .where(Guardian.pupil_id == GroupMembership.pupil_id, Guardian.interpreter_needed)
    .correlate(GroupMembership)
    .exists()
)
# Every member, whatever the status: the page checks it in Python (see ``district_flags``).
_MEMBER_NEEDS = (
    sa.select(
        GroupMembership.group_id,
        Pupil.first_name,
        Pupil.last_name,
        Referral.status,
        Referral.digital_access,
        Referral.travel_needs,
        Referral.other_needs,
        _INTERPRETER_NEEDED,
    )
    .join(GroupMembership.referral)
    .join(GroupMembership.pupil)
    .where(GroupMembership.group_id.in_(sa.bindparam("group_ids", expanding=True)))
    .order_by(GroupMembership.id)
)
# Who leads the sessions, in one statement of rows of one shape: (group id, none, none, user id,
# name, service kind) for the facilitators assigned to the groups, and (none, session id,
# replaced id, substitute id, name, none) for the sessions' substitutes; each kind in the order
# of its own ids.
_LEADERS_AND_SUBSTITUTES = sa.union_all(
    sa.select(
        FacilitatorAssignment.group_id,
        _NO_ID,
        _NO_ID,
        User.id,
        User.name,
        Service.kind,
        FacilitatorAssignment.id.label("row_id"),
    )
    .join(FacilitatorAssignment.user)
    .outerjoin(User.service)
    .where(FacilitatorAssignment.group_id.in_(sa.bindparam("group_ids", expanding=True))),
    sa.select(
        _NO_ID,
        SessionSubstitute.session_id,
        SessionSubstitute.replaced_id,
        SessionSubstitute.substitute_id,
        User.name,
        sa.cast(sa.null(), Service.kind.type),
        SessionSubstitute.id,
    )
    .join(SessionSubstitute.substitute)
    .where(SessionSubstitute.session_id.in_(sa.bindparam("session_ids", expanding=True))),
).order_by(sa.literal_column("row_id"))


def day_details(db: DbSession, sessions: Sequence[Session]) -> DayDetails:
    """Leaders, members and substitutes of the sessions' groups; no query for no sessions."""
    leaders: dict[int, list[Leader]] = defaultdict(list)
    members: dict[int, list[MemberNeeds]] = defaultdict(list)
    substitutes: dict[int, list[Substitute]] = defaultdict(list)
    if not sessions:
        return DayDetails(leaders, members, substitutes)
    # Plain columns run on the session's connection, as in ``district_flags``.
    connection = db.connection()
    group_ids = list({session.group_id for session in sessions})
    led = {"group_ids": group_ids, "session_ids": [session.id for session in sessions]}
    rows = connection.execute(_LEADERS_AND_SUBSTITUTES, led).all()
    for group_id, session_id, replaced_id, user_id, name, service_kind, _row_id in rows:
        if session_id is None:
            leaders[group_id].append(Leader(user_id, name, service_kind))
        else:
            substitutes[session_id].append(Substitute(replaced_id, user_id, name))
    for group_id, *member in connection.execute(_MEMBER_NEEDS, {"group_ids": group_ids}):
        members[group_id].append(MemberNeeds._make(member))
    return DayDetails(leaders, members, substitutes)


_HAS_PUPILS = (
    sa.select(GroupMembership.id)
    .where(GroupMembership.group_id == Session.group_id)
    .correlate(Session)
    .exists()
)
_MISSING_ATTENDANCE = (
    sa.select(Session)
    .where(
        sessions_led_by_id(_USER_ID),
        Session.starts_at <= sa.bindparam("now"),
        Session.status != SessionStatus.CANCELLED,
        sa.not_(has_attendance()),
        _HAS_PUPILS,
    )
    .options(joinedload(Session.group))
    .order_by(Session.starts_at, Session.id)
    .limit(sa.bindparam("limit", type_=sa.Integer))
)


def sessions_missing_attendance(
    db: DbSession, user: User, now: datetime, limit: int
) -> list[Session]:
    """Sessions the facilitator led that have started, are not cancelled, and have no marks
    although their group has pupils; oldest first, with the group their card names."""
    params = {"user_id": user.id, "now": now, "limit": limit}
    return list(db.scalars(_MISSING_ATTENDANCE, params))
