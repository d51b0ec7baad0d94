"""Group, template, waitlist and keep-apart queries that pages share, with their eager loads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import QueryableAttribute, aliased, joinedload

from mestring.accounts.enums import Role
from mestring.accounts.models import School, Term, User
from mestring.db import DbSession, inlined
from mestring.groups.composer import WaitlistEntry
from mestring.groups.enums import SessionMode
from mestring.groups.models import (
    CourseTemplate,
    FacilitatorAssignment,
    Group,
    GroupMembership,
    KeepApartPair,
    TemplateSession,
    Venue,
)
from mestring.groups.warnings import GroupFacts, PupilFacts
from mestring.referrals.enums import ACTIVE_MEMBER_STATUSES, ReferralStatus
from mestring.referrals.models import Guardian, Pupil, Referral


def member_count_of(group_id: sa.ColumnElement[int] | QueryableAttribute[int]) -> sa.Label[Any]:
    """The pupils taking part now (see Group.active_memberships) in the group ``group_id``
    names, a column of the statement that selects it."""
    return (
        sa.select(sa.func.count(GroupMembership.id))
        .join(Referral, Referral.id == GroupMembership.referral_id)
        .where(GroupMembership.group_id == group_id, Referral.status.in_(ACTIVE_MEMBER_STATUSES))
        .correlate_except(GroupMembership, Referral)
        .scalar_subquery()
        .label("member_count")
    )


member_count = member_count_of(Group.id)


def rows_of(db: DbSession, statement: sa.Executable, params: dict[str, Any]) -> Sequence[Any]:
    """The rows of a statement of columns, run on the session's connection: the ORM's handling
    of a statement costs more than the short statements of the group pages take to run, and
    nothing these pages read can be waiting to be flushed."""
    return db.connection().execute(statement, params).all()


# What a group list shows of a group (`list_fragments.GroupLine`), read as plain rows: loading
# each group with its term and template costs more than the page's other work. The template
# is outer-joined as the eager load joined it, so that rows with the same term and name keep
# their order. Built once per scope, with the district ("district_id") or the facilitator
# ("user_id") bound.
# The columns of a line before its count of pupils; the start page's list reads them too.
GROUP_LINE_HEAD = (
    Group.id,
    Group.name,
    Term.name.label("term_name"),
    CourseTemplate.name.label("template_name"),
    Group.status,
    Group.starts_on,
)
_GROUP_LINES = (
    sa.select(*GROUP_LINE_HEAD, member_count, Group.capacity)
    .join(Group.term)
    .outerjoin(Group.template)
    .order_by(Term.starts_on.desc(), Group.name)
)
GROUP_LINES_OF_DISTRICT = _GROUP_LINES.where(Group.district_id == sa.bindparam("district_id"))
_GROUP_LINES_LED_BY = _GROUP_LINES.where(
    Group.id.in_(
        sa.select(FacilitatorAssignment.group_id).where(
            FacilitatorAssignment.user_id == sa.bindparam("user_id")
        )
    )
)
_NO_GROUP_LINES = _GROUP_LINES.where(sa.false())


def groups_in_scope(user: User) -> sa.Select[Any]:
    """The groups a coordinator or facilitator may list, newest term first, as rows of
    `list_fragments.GroupLine`'s columns."""
    if user.role is Role.COORDINATOR:
        return GROUP_LINES_OF_DISTRICT.params(district_id=user.district_id)
    if user.role is Role.FACILITATOR:
        return _GROUP_LINES_LED_BY.params(user_id=user.id)
    return _NO_GROUP_LINES


# The statements below that the group pages and the composer run on every request are built
# once, with the district as the bound parameter "district_id": building a select costs more
# than running it.

_TERM_OPTIONS = (
    sa.select(Term)
    .where(Term.district_id == sa.bindparam("district_id"))
    .order_by(Term.starts_on.desc())
)


def term_options(db: DbSession, district_id: int | None) -> list[Term]:
    """The district's terms, newest first."""
    return list(db.scalars(_TERM_OPTIONS, {"district_id": district_id}))


_TEMPLATE_OPTIONS = (
    sa.select(CourseTemplate)
    .where(
        sa.or_(
            CourseTemplate.district_id.is_(None),
            CourseTemplate.district_id == sa.bindparam("district_id"),
        )
    )
    .order_by(CourseTemplate.district_id.is_not(None), CourseTemplate.name)
)


def template_options(db: DbSession, district_id: int | None) -> list[CourseTemplate]:
    """Shipped templates and the district's own copies, shipped first, by name, without their
    sessions (the composer asks only whether the chosen one has a digital session)."""
    return list(db.scalars(_TEMPLATE_OPTIONS, {"district_id": district_id}))


_VENUE_OPTIONS = (
    sa.select(Venue).where(Venue.district_id == sa.bindparam("district_id")).order_by(Venue.name)
)


def venue_options(db: DbSession, district_id: int | None) -> list[Venue]:
    return list(db.scalars(_VENUE_OPTIONS, {"district_id": district_id}))


def templates_page_query(district_id: int | None) -> sa.Select[Any]:
    """(template, session count) rows: shipped templates and the district's copies."""
    session_count = (
        sa.select(sa.func.count(TemplateSession.id))
        .where(TemplateSession.template_id == CourseTemplate.id)
        .correlate(CourseTemplate)
        .scalar_subquery()
        .label("session_count")
    )
    return (
        sa.select(CourseTemplate, session_count)
        .where(
            sa.or_(CourseTemplate.district_id.is_(None), CourseTemplate.district_id == district_id)
        )
        .order_by(CourseTemplate.district_id.is_not(None), CourseTemplate.name)
    )


# Accepted referrals of the district (the waitlist), longest waiting first. The status is
# written into the statement (see `inlined`): bound, PostgreSQL's generic plan cannot tell that
# few referrals are accepted.
_ACCEPTED = inlined(ReferralStatus.ACCEPTED, Referral.status.type)
_ACCEPTED_IN_DISTRICT = sa.and_(
    Referral.status == _ACCEPTED, Referral.district_id == sa.bindparam("district_id")
)
_WAITING_LONGEST_FIRST = (Referral.submitted_at.asc(), Referral.id.asc())

_WAITLIST_NAMES = (
    sa.select(
        Referral.id,
        Pupil.first_name,
        Pupil.last_name,
        Pupil.birth_date,
        School.name.label("school_name"),
    )
    .join(Referral.school)
    .join(Referral.pupil)
    .where(_ACCEPTED_IN_DISTRICT)
    .order_by(*_WAITING_LONGEST_FIRST)
)


def waitlist_names(
    db: DbSession, district_id: int | None
) -> Sequence[sa.Row[int, str, str, date, str]]:
    """The waitlist as (referral id, pupil's first and last name and birth date, referring
    school's name) rows: what a choice of pupil shows, without loading objects."""
    return rows_of(db, _WAITLIST_NAMES, {"district_id": district_id})


_PUPIL_SCHOOL = aliased(School)
_WAITLIST_ENTRIES = (
    sa.select(
        Referral.id,
        Referral.digital_access,
        Referral.submitted_at,
        Pupil.id,
        Pupil.first_name,
        Pupil.last_name,
        Pupil.school_id,
        Pupil.birth_date,
        _PUPIL_SCHOOL.name,
    )
    .join(Referral.school)
    .join(Referral.pupil)
    .join(_PUPIL_SCHOOL, _PUPIL_SCHOOL.id == Pupil.school_id)
    .where(_ACCEPTED_IN_DISTRICT)
    .order_by(*_WAITING_LONGEST_FIRST)
)


def waitlist_entries(db: DbSession, district_id: int | None) -> list[WaitlistEntry]:
    """The waitlist (see ``waitlist_names``) as plain facts, read as rows in one query."""
    rows = rows_of(db, _WAITLIST_ENTRIES, {"district_id": district_id})
    return [
        WaitlistEntry(
            referral_id=referral_id,
            pupil=PupilFacts(
                pupil_id=pupil_id,
                name=f"{first_name} {last_name}",
                school_id=school_id,
                school_name=school_name,
                birth_date=birth_date,
                digital_access=digital_access,
            ),
            waiting_since=submitted_at,
        )
        for (
            referral_id,
            digital_access,
            submitted_at,
            pupil_id,
            first_name,
            last_name,
            school_id,
            birth_date,
            school_name,
        ) in rows
    ]


def keep_apart_page_query(district_id: int | None) -> sa.Select[Any]:
    """(pair, first pupil, second pupil) rows of the district, newest first."""
    first, second = aliased(Pupil), aliased(Pupil)
    stmt = (
        sa.select(KeepApartPair, first, second)
        .join(first, first.id == KeepApartPair.pupil_a_id)
        .join(second, second.id == KeepApartPair.pupil_b_id)
        .where(KeepApartPair.district_id == district_id)
        .options(joinedload(first.school), joinedload(second.school))
        .order_by(KeepApartPair.created_at.desc(), KeepApartPair.id.desc())
    )
    # Three entities; pagination takes any select.
    return cast("sa.Select[Any]", stmt)


def pupils_for_keep_apart(db: DbSession, district_id: int | None) -> list[Referral]:
    """Referrals still open in the district (waiting or placed), for choosing a pair."""
    return list(
        db.scalars(
            sa.select(Referral)
            .join(Referral.pupil)
            .where(
                Referral.district_id == district_id,
                Referral.status.in_(
                    [ReferralStatus.SUBMITTED, ReferralStatus.ACCEPTED, ReferralStatus.PLACED]
                ),
            )
            .options(joinedload(Referral.pupil), joinedload(Referral.school))
            .order_by(Pupil.last_name, Pupil.first_name, Referral.id)
        ).unique()
    )


@cache
def _plan_statement() -> sa.Select[Any]:
    """The plan's sessions are scheduling's, which groups may not import (STYLE.md): their
    columns are taken from the Group.sessions relationship once the mappers are configured,
    and the statement built once."""
    sessions = Group.sessions.property.mapper.columns
    return (
        sa.select(
            sessions.id,
            sessions.position,
            sessions.title,
            sessions.starts_at,
            sessions.ends_at,
            sessions.mode,
            sessions.status,
        )
        .where(sessions.group_id == sa.bindparam("group_id"))
        # The order Group.sessions keeps.
        .order_by(sessions.starts_at)
    )


def plan_rows(db: DbSession, group_id: int) -> Sequence[sa.Row[Any]]:
    """The group's sessions as (id, position, title, starts_at, ends_at, mode, status) rows, in
    the order of Group.sessions: what the group page shows of them, without loading objects."""
    return rows_of(db, _plan_statement(), {"group_id": group_id})


def has_digital_sessions(db: DbSession, group: Group, plan: Sequence[Any]) -> bool:
    """Digital sessions in the group's plan (its sessions, or rows of them), or in its template
    while there is no plan yet."""
    if plan:
        return any(s.mode is SessionMode.DIGITAL for s in plan)
    return template_has_digital(db, group.template_id)


_TEMPLATE_HAS_DIGITAL = sa.select(
    sa.exists().where(
        TemplateSession.template_id == sa.bindparam("template_id"),
        TemplateSession.mode == SessionMode.DIGITAL,
    )
)


def template_has_digital(db: DbSession, template_id: int | None) -> bool:
    """Whether the template has a digital session, asked without loading its sessions."""
    if template_id is None:
        return False
    return bool(db.scalar(_TEMPLATE_HAS_DIGITAL, {"template_id": template_id}))


@dataclass(frozen=True)
class Member:
    """A pupil placed in a group, with what the group page shows of them and their referral."""

    membership_id: int
    pupil_id: int
    name: str
    birth_date: date
    school_id: int
    school_name: str
    # Taking part now (see Group.active_memberships); the others have left the group.
    active: bool
    # The referral's needs and shared worry, as a row of its columns.
    referral: Any
    # Rows of the guardians' contact columns, in the order Pupil.guardians keeps.
    guardians: list[Any] = field(default_factory=list)
    # The pupils whom the district's keep-apart pairs name as the second pupil of a pair with
    # this one, in the group or not.
    kept_apart_from: list[int] = field(default_factory=list)


# The keep-apart pairs of the group's district whose first pupil is a member: they come with the
# members' rows rather than in a statement of their own (on PostgreSQL every statement is a
# round trip). A join more costs less to plan than a statement costs.
_PAIR = aliased(KeepApartPair)
_PAIR_OF_PUPIL = sa.and_(
    _PAIR.pupil_a_id == Pupil.id, _PAIR.district_id == sa.bindparam("district_id")
)

# A row per guardian and pair (or one for a pupil without), so that a group's members, their
# guardians and their keep-apart pairs come in one statement, as the eager loads brought them
# before. A pupil is rarely in a pair with another member: the rows seldom multiply.
_MEMBERS = (
    sa.select(
        GroupMembership.id.label("membership_id"),
        Pupil.id.label("pupil_id"),
        Pupil.first_name,
        Pupil.last_name,
        Pupil.birth_date,
        Pupil.school_id,
        School.name.label("school_name"),
        Referral.status,
        Referral.digital_access,
        Referral.travel_needs,
        Referral.other_needs,
        Referral.worry_shared,
        Referral.worry_text,
        Guardian.id.label("guardian_id"),
        Guardian.name,
        Guardian.relation,
        Guardian.phone,
        Guardian.email,
        Guardian.interpreter_needed,
        Guardian.language,
        _PAIR.pupil_b_id.label("kept_apart_from"),
    )
    .join(Pupil, Pupil.id == GroupMembership.pupil_id)
    .join(School, School.id == Pupil.school_id)
    .join(Referral, Referral.id == GroupMembership.referral_id)
    .outerjoin(Guardian, Guardian.pupil_id == Pupil.id)
    .outerjoin(_PAIR, _PAIR_OF_PUPIL)
    .where(GroupMembership.group_id == sa.bindparam("group_id"))
    .order_by(GroupMembership.id, Guardian.id, _PAIR.id)
)


def group_members(db: DbSession, group: Group) -> list[Member]:
    """Every member of the group, active or not, in the order Group.memberships keeps, read as
    rows: the group page shows a few columns of each, not whole pupils and referrals."""
    members: dict[int, Member] = {}
    params = {"group_id": group.id, "district_id": group.district_id}
    for row in rows_of(db, _MEMBERS, params):
        member = members.get(row.membership_id)
        if member is None:
            member = members[row.membership_id] = Member(
                membership_id=row.membership_id,
                pupil_id=row.pupil_id,
                name=f"{row.first_name} {row.last_name}",
                birth_date=row.birth_date,
                school_id=row.school_id,
                school_name=row.school_name,
                active=row.status in ACTIVE_MEMBER_STATUSES,
                referral=row,
            )
        guardians = member.guardians
        # A guardian's rows follow each other, one per pair.
        if row.guardian_id is not None and (
            not guardians or guardians[-1].guardian_id != row.guardian_id
        ):
            guardians.append(row)
        if row.kept_apart_from is not None and row.kept_apart_from not in member.kept_apart_from:
            member.kept_apart_from.append(row.kept_apart_from)
    return list(members.values())


def member_keep_apart_pairs(members: Sequence[Member]) -> list[tuple[int, int]]:
    """The district's keep-apart pairs of a member and another pupil, read with the members:
    all that ``group_warnings`` needs of the district's pairs (it warns about pairs of two
    members)."""
    return [(member.pupil_id, other) for member in members for other in member.kept_apart_from]


def group_facts(
    db: DbSession,
    group: Group,
    members: Sequence[Member],
    plan: Sequence[Any],
    keep_apart: Sequence[tuple[int, int]],
) -> GroupFacts:
    """The group's composition as plain facts, for its active members and its plan."""
    return GroupFacts(
        pupils=[
            PupilFacts(
                pupil_id=member.pupil_id,
                name=member.name,
                school_id=member.school_id,
                school_name=member.school_name,
                birth_date=member.birth_date,
                digital_access=member.referral.digital_access,
            )
            for member in members
            if member.active
        ],
        capacity=group.capacity,
        min_size=group.min_size,
        has_digital_sessions=has_digital_sessions(db, group, plan),
        keep_apart=keep_apart,
    )
