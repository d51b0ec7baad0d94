"""Referral lists that pages share, with what they show loaded up front."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from math import ceil
from typing import Any, NamedTuple, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from mestring.accounts.enums import Role
from mestring.accounts.models import School, Term, User
from mestring.core.pagination import PER_PAGE, Page
from mestring.db import DbSession, inlined
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.models import Guardian, Pupil, Referral, ReferralStatusChange

# The statuses whose change carries the coordinator's question or reason for the school.
MESSAGE_STATUSES = (ReferralStatus.NEEDS_INFO, ReferralStatus.DECLINED)

AGE_BANDS = {"8-10": (8, 10), "11-13": (11, 13)}

# What every list shows of a referral: the pupil's name and age, and whether a guardian needs
# an interpreter. Built once: options are immutable.
PUPIL_OPTION = joinedload(Referral.pupil).selectinload(Pupil.guardians)
# The school's lists show the coordinator's question or reason, found in the history: only its
# changes to those two statuses are loaded (Referral.coordinator_message).
MESSAGES_OPTION = selectinload(
    Referral.history.and_(ReferralStatusChange.to_status.in_(MESSAGE_STATUSES))
)
# The coordinator's lists join the school for the district anyway: it is loaded from that join.
SCHOOL_FROM_JOIN = contains_eager(Referral.school)


# The columns of a referral list row (`fragments.ReferralLine`), read as plain rows: the list
# shows a few columns of the referral, the pupil and the school, and entities with their
# guardians and history cost more to load than the page costs to write.
#
# A scalar subquery, not EXISTS: for a prepared statement PostgreSQL may answer an EXISTS for
# the whole list by hashing every guardian who needs an interpreter (a scan of the table), where
# this looks up the guardians of the 10 or 25 pupils shown.
_INTERPRETER = sa.func.coalesce(
    sa.select(sa.true())
    .where(Guardian.pupil_id == Referral.pupil_id, Guardian.interpreter_needed.is_(True))
    .limit(1)
    .correlate(Referral)
    .scalar_subquery(),
    sa.false(),
)
# The latest question or reason for the school while the referral waits on it, as
# Referral.coordinator_message finds it in the history.
_MESSAGE = sa.case(
    (
        Referral.status.in_(MESSAGE_STATUSES),
        sa.select(ReferralStatusChange.comment)
        .where(
            ReferralStatusChange.referral_id == Referral.id,
            ReferralStatusChange.to_status == Referral.status,
        )
        .order_by(ReferralStatusChange.created_at.desc(), ReferralStatusChange.id.desc())
        .limit(1)
        .correlate(Referral)
        .scalar_subquery(),
    ),
    else_=sa.null(),
)
_LINE_HEAD = (Referral.id, Pupil.first_name, Pupil.last_name, Pupil.birth_date)
_LINE_TAIL = (
    Referral.status,
    Referral.submitted_at,
    Referral.school_days,
    Referral.teaching_hours,
    Referral.days_documented,
    Referral.days_undocumented,
    Referral.hours_documented,
    Referral.hours_undocumented,
    Referral.digital_access,
    _INTERPRETER.label("needs_interpreter"),
)


class TermDates(Protocol):
    """A term's dates, from a Term or a plain row of `term_rows`."""

    @property
    def starts_on(self) -> date: ...

    @property
    def ends_on(self) -> date: ...


@dataclass(frozen=True)
class ReferralFilters:
    status: ReferralStatus | None = None
    school_id: int | None = None
    term: TermDates | None = None
    age_band: str | None = None
    # The day ages are counted on for the age band: the term's start, or today.
    age_on: date | None = None


def referrals_in_scope(user: User, filters: ReferralFilters | None = None) -> sa.Select[Referral]:
    """The referrals a school or coordinator may list, newest first.

    The coordinator does not see the schools' drafts.
    """
    stmt = _in_scope(sa.select(Referral), user, filters or ReferralFilters(), join_pupil=False)
    if user.role is Role.SCHOOL:
        # The school's lists do not name the school, which is the user's own.
        return stmt.options(PUPIL_OPTION, MESSAGES_OPTION)
    if user.role is Role.COORDINATOR:
        return stmt.join(Referral.school).options(PUPIL_OPTION, SCHOOL_FROM_JOIN)
    return stmt.options(PUPIL_OPTION, joinedload(Referral.school))


def _line_columns(user: User) -> tuple[Any, ...]:
    """The columns of `fragments.ReferralLine`: the school's name for the coordinator's list,
    the coordinator's message for the school's."""
    coordinator = user.role is Role.COORDINATOR
    return (
        *_LINE_HEAD,
        School.name if coordinator else sa.null(),
        *_LINE_TAIL,
        sa.null() if coordinator else _MESSAGE,
    )


def referral_lines_in_scope(user: User, filters: ReferralFilters) -> sa.Select[Any]:
    """The referrals of `referrals_in_scope` as plain rows for `fragments.ReferralLine`."""
    stmt = _in_scope(
        sa.select(*_line_columns(user)).select_from(Referral), user, filters, join_pupil=True
    )
    return stmt.join(Referral.school) if user.role is Role.COORDINATOR else stmt


def referral_lines_page(
    db: DbSession, user: User, filters: ReferralFilters, number: int, *, per_page: int = PER_PAGE
) -> Page[Any]:
    """The page ``number`` of `referral_lines_in_scope`, as `paginate` pages it (a number out
    of range gives the nearest page), in two statements as well. Counting and choosing the
    page read only the referrals in scope; the lines' columns (the pupil, the interpreter, the
    message) are read for the page's referrals alone rather than for every referral in scope
    before the database sorts them."""
    in_scope = _in_scope(sa.select(Referral.id), user, filters, join_pupil=False)
    total = db.scalar(sa.select(sa.func.count()).select_from(in_scope.order_by(None).subquery()))
    total = total or 0
    number = min(max(1, number), max(1, ceil(total / per_page)))
    # The page's bounds are written into the statement, as the status is (see `inlined`).
    shown = in_scope.limit(inlined(per_page)).offset(inlined((number - 1) * per_page))
    stmt = _lines_of(user, shown)
    return Page(items=list(db.execute(stmt)), page=number, per_page=per_page, total=total)


def first_referral_lines(user: User, filters: ReferralFilters, limit: int) -> sa.Select[Any]:
    """The first ``limit`` lines of `referral_lines_in_scope`, their columns read for those
    referrals alone (see `referral_lines_page`)."""
    return _lines_of(
        user, _in_scope(sa.select(Referral.id), user, filters, join_pupil=False).limit(limit)
    )


def _lines_of(user: User, shown: sa.Select[Any]) -> sa.Select[Any]:
    """The lines of the referrals whose ids ``shown`` selects, newest first."""
    stmt = (
        sa.select(*_line_columns(user))
        .select_from(Referral)
        .join(Referral.pupil)
        .where(Referral.id.in_(sa.select(shown.subquery().c.id)))
        .order_by(Referral.created_at.desc(), Referral.id.desc())
    )
    if user.role is Role.COORDINATOR:
        stmt = stmt.join(Referral.school)
    return stmt


# Written into the statement (see `inlined`): bound, the coordinator's list was planned again on
# every request.
_DRAFT = inlined(ReferralStatus.DRAFT, Referral.status.type)


def _in_scope(
    stmt: sa.Select[Any], user: User, filters: ReferralFilters, *, join_pupil: bool
) -> sa.Select[Any]:
    """``stmt`` limited to the user's referrals and the filters, newest first; the pupil is
    joined when asked or when the age band needs it."""
    if user.role is Role.SCHOOL:
        stmt = stmt.where(Referral.school_id == user.school_id)
    elif user.role is Role.COORDINATOR:
        stmt = stmt.where(Referral.district_id == user.district_id, Referral.status != _DRAFT)
    else:
        stmt = stmt.where(sa.false())
    if filters.status is not None:
        stmt = stmt.where(Referral.status == filters.status)
    if filters.school_id is not None:
        stmt = stmt.where(Referral.school_id == filters.school_id)
    if filters.term is not None:
        term = filters.term
        stmt = stmt.where(
            sa.or_(
                Referral.planned_start.between(term.starts_on, term.ends_on),
                Referral.planned_start.is_(None),
            )
        )
    band = AGE_BANDS.get(filters.age_band or "")
    on = filters.age_on
    if join_pupil or (band is not None and on is not None):
        stmt = stmt.join(Referral.pupil)
    if band is not None and on is not None:
        youngest, oldest = band
        born_after = on.replace(year=on.year - oldest - 1)
        born_by = on.replace(year=on.year - youngest)
        stmt = stmt.where(Pupil.birth_date > born_after, Pupil.birth_date <= born_by)
    return stmt.order_by(Referral.created_at.desc(), Referral.id.desc())


# The coordinator's start page shows the queue on every visit: built once, with the district
# and the length bound, as `referral_lines_in_scope` builds it for a coordinator.
_TRIAGE_QUEUE = (
    sa.select(*_LINE_HEAD, School.name, *_LINE_TAIL, sa.null())
    .select_from(Referral)
    .join(Referral.school)
    .join(Referral.pupil)
    .where(
        Referral.district_id == sa.bindparam("district_id"),
        Referral.status == ReferralStatus.SUBMITTED,
    )
    .order_by(Referral.submitted_at.asc(), Referral.id.asc())
    .limit(sa.bindparam("limit", type_=sa.Integer))
)


def triage_queue(
    db: DbSession, district_id: int | None, limit: int
) -> Sequence[sa.Row[*tuple[Any, ...]]]:
    """The district's first ``limit`` submitted referrals, oldest first, as plain rows for
    `fragments.ReferralLine` (with the school's name)."""
    # Plain columns run on the session's connection: the ORM's row handling would cost more
    # than the query, and nothing the list reads can be waiting to be flushed.
    params = {"district_id": district_id, "limit": limit}
    return db.connection().execute(_TRIAGE_QUEUE, params).all()


# The district's terms as plain rows, newest first, built once.
_TERM_ROWS = (
    sa.select(Term.id, Term.name, Term.starts_on, Term.ends_on)
    .where(Term.district_id == sa.bindparam("district_id"))
    .order_by(Term.starts_on.desc())
)
# The referral list's filters, the district's schools (by name) and its terms (newest first),
# in one statement: (kind, id, name, starts_on, ends_on, school_name) rows, the schools first.
_SCHOOL_ROW, _TERM_ROW = 0, 1
_FILTER_ROWS: sa.CompoundSelect[*tuple[Any, ...]] = sa.union_all(
    sa.select(
        sa.literal_column(str(_SCHOOL_ROW), sa.Integer).label("kind"),
        School.id.label("id"),
        School.name.label("name"),
        sa.cast(sa.null(), sa.Date).label("starts_on"),
        sa.cast(sa.null(), sa.Date).label("ends_on"),
        School.name.label("school_name"),
    ).where(School.district_id == sa.bindparam("district_id")),
    sa.select(
        sa.literal_column(str(_TERM_ROW), sa.Integer),
        Term.id,
        Term.name,
        Term.starts_on,
        Term.ends_on,
        sa.null(),
    ).where(Term.district_id == sa.bindparam("district_id")),
).order_by(
    sa.literal_column("kind"),
    sa.literal_column("school_name"),
    sa.literal_column("starts_on").desc(),
)


class TermRow(NamedTuple):
    id: int
    name: str
    starts_on: date
    ends_on: date


class SchoolRow(NamedTuple):
    id: int
    name: str


def term_rows(db: DbSession, district_id: int | None) -> list[sa.Row[Any]]:
    """The district's terms as plain rows: id, name, starts_on, ends_on."""
    return list(db.execute(_TERM_ROWS, {"district_id": district_id}))


def filter_rows(db: DbSession, district_id: int | None) -> tuple[list[SchoolRow], list[TermRow]]:
    """The district's schools (by name) and terms (newest first), as the referral list's
    filters offer them."""
    schools: list[SchoolRow] = []
    terms: list[TermRow] = []
    for kind, ident, name, starts_on, ends_on, _school_name in db.execute(
        _FILTER_ROWS, {"district_id": district_id}
    ):
        if kind == _SCHOOL_ROW:
            schools.append(SchoolRow(ident, name))
        else:
            terms.append(TermRow(ident, name, starts_on, ends_on))
    return schools, terms
