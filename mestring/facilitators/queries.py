"""Facilitator lists, profiles and the workload per month of a term, with their eager loads."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any, NamedTuple, cast

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, load_only

from mestring.accounts.enums import Role
from mestring.accounts.models import Service, Term, User
from mestring.core.pagination import PER_PAGE, Page, paginate
from mestring.core.time import oslo_to_utc
from mestring.db import DbSession
from mestring.groups.enums import FacilitatorRole
from mestring.groups.models import FacilitatorAssignment, Group
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session, Unavailability
from mestring.scheduling.queries import led_session_times, sessions_led_by

# What the workload list shows of a facilitator: the name (marked when inactive) and the kind of
# service. The other columns of users are left unread: loading a page of whole users and their
# services cost more than the statement takes to run.
WITH_SERVICE = (
    load_only(User.name, User.active, User.service_id),
    joinedload(User.service).load_only(Service.kind),
)


def facilitators_of(district_id: int | None) -> sa.Select[User]:
    """The district's facilitators (active first), by name, with the service the list shows."""
    return (
        sa.select(User)
        .where(User.role == Role.FACILITATOR, User.district_id == district_id)
        .options(*WITH_SERVICE)
        .order_by(User.active.desc(), User.name, User.id)
    )


# One page of the list with the length of the whole list beside each row, in one statement: a
# separate count is a round trip more. Built once with the district and the offset bound.
_FACILITATOR_PAGE = (
    sa.select(User, sa.func.count().over().label("total"))
    .where(User.role == Role.FACILITATOR, User.district_id == sa.bindparam("district_id"))
    .options(*WITH_SERVICE)
    .order_by(User.active.desc(), User.name, User.id)
    .limit(PER_PAGE)
    .offset(sa.bindparam("offset"))
)


def facilitator_page(db: DbSession, district_id: int | None, page: int) -> Page[User]:
    """The page of ``facilitators_of`` that ``paginate`` gives, usually in one statement. A page
    past the last finds no rows, and so not the list's length either: it is paginated again."""
    page = max(1, page)
    rows = db.execute(
        _FACILITATOR_PAGE, {"district_id": district_id, "offset": (page - 1) * PER_PAGE}
    ).all()
    if rows:
        return Page(
            items=[user for user, _total in rows], page=page, per_page=PER_PAGE, total=rows[0].total
        )
    if page == 1:
        return Page(items=[], page=1, per_page=PER_PAGE, total=0)
    return paginate(db, facilitators_of(district_id), page)


def current_term(terms: Sequence[Term], today: date) -> Term | None:
    """The term running today, else the next one, else the newest."""
    running = [t for t in terms if t.starts_on <= today <= t.ends_on]
    if running:
        return running[0]
    coming = [t for t in terms if t.starts_on > today]
    if coming:
        return min(coming, key=lambda t: t.starts_on)
    return max(terms, key=lambda t: t.starts_on) if terms else None


def months_of(term: Term) -> list[date]:
    """The first day of every month the term touches."""
    months, month = [], term.starts_on.replace(day=1)
    while month <= term.ends_on:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


class LedGroup(NamedTuple):
    """A group of the term a facilitator is assigned to, as the workload list names it."""

    group_id: int
    name: str
    role: FacilitatorRole


@dataclass(frozen=True)
class Workload:
    user: User
    assignments: list[LedGroup]
    per_month: list[int]

    @property
    def total(self) -> int:
        return sum(self.per_month)


# The workload list's statements, built once with the users, term and window bound: building
# the union of ``led_session_times`` costs more than running it. The bound parameters stand for
# the ids and instants its arguments take.
_USER_IDS: Any = sa.bindparam("user_ids", expanding=True)
_GROUPS_IN_TERM = (
    sa.select(
        FacilitatorAssignment.user_id,
        FacilitatorAssignment.group_id,
        Group.name,
        FacilitatorAssignment.role,
    )
    .join(FacilitatorAssignment.group)
    .where(FacilitatorAssignment.user_id.in_(_USER_IDS), Group.term_id == sa.bindparam("term_id"))
    .order_by(Group.name)
)
_LED_SESSION_TIMES = led_session_times(
    _USER_IDS, cast(datetime, sa.bindparam("start")), cast(datetime, sa.bindparam("end"))
)


@cache
def _led_per_month(months: int) -> sa.Select[int, int, int]:
    """(user id, month index, sessions) for ``_LED_SESSION_TIMES``, the month found by the
    bound instants "month_1" ... each month after the first begins at: counting in SQL reads a
    row per user and month instead of one per session. Built once per number of months."""
    led = _LED_SESSION_TIMES.subquery()
    month = sa.case(
        *((led.c.starts_at < sa.bindparam(f"month_{i}"), i - 1) for i in range(1, months)),
        else_=months - 1,
    )
    # Grouped by the named column, not the expression: PostgreSQL does not see the expression's
    # bound parameters in GROUP BY as the same as those in the SELECT list.
    in_month = sa.select(led.c.user_id, month.label("month")).subquery()
    return sa.select(in_month.c.user_id, in_month.c.month, sa.func.count()).group_by(
        in_month.c.user_id, in_month.c.month
    )


_NO_NUMBER = sa.cast(sa.null(), sa.Integer)
_NO_TEXT = sa.cast(sa.null(), sa.String)


@cache
def _workload_rows(months: int) -> sa.CompoundSelect[Any]:
    """``_GROUPS_IN_TERM`` and ``_led_per_month`` in one statement (each is a round trip), as
    (user id, group id, group name, role, month index, sessions) rows: a group row has no month,
    a month row no group. Group rows come by group name, as ``_GROUPS_IN_TERM`` orders them."""
    per_month = _led_per_month(months).subquery()
    groups = _GROUPS_IN_TERM.order_by(None).add_columns(
        _NO_NUMBER.label("month"), _NO_NUMBER.label("sessions")
    )
    counts = sa.select(per_month.c.user_id, _NO_NUMBER, _NO_TEXT, _NO_TEXT, *list(per_month.c)[1:])
    return sa.union_all(groups, counts).order_by(sa.literal_column("name"))


def workload(db: DbSession, users: Sequence[User], term: Term) -> list[Workload]:
    """Each user's groups in the term and the sessions they lead per month of it."""
    ids = [u.id for u in users]
    months = months_of(term)
    assignments: dict[int, list[LedGroup]] = defaultdict(list)
    counts: Counter[tuple[int, int]] = Counter()
    if ids:
        window = {
            "user_ids": ids,
            "term_id": term.id,
            "start": oslo_to_utc(term.starts_on, time(0, 0)),
            "end": oslo_to_utc(term.ends_on + timedelta(days=1), time(0, 0)),
            # The UTC instant each month begins in Oslo.
            **{f"month_{i}": oslo_to_utc(month, time(0, 0)) for i, month in enumerate(months)},
        }
        # Plain rows run on the session's connection: the ORM's row handling would cost more
        # than the query, and nothing it reads can be waiting to be flushed.
        rows = db.connection().execute(_workload_rows(len(months)), window).all()
        for user_id, group_id, name, role, index, sessions in rows:
            if group_id is None:
                counts[(user_id, index)] = sessions
            else:
                assignments[user_id].append(LedGroup(group_id, name, role))
    return [
        Workload(
            user=user,
            assignments=assignments[user.id],
            per_month=[counts[(user.id, index)] for index in range(len(months))],
        )
        for user in users
    ]


def groups_led_by(db: DbSession, user: User) -> list[FacilitatorAssignment]:
    """Every group the user is assigned to, newest term first."""
    return list(
        db.scalars(
            sa.select(FacilitatorAssignment)
            .join(FacilitatorAssignment.group)
            .join(Group.term)
            .where(FacilitatorAssignment.user_id == user.id)
            .options(contains_eager(FacilitatorAssignment.group).contains_eager(Group.term))
            .order_by(Term.starts_on.desc(), Group.name)
        )
    )


def coming_unavailability(db: DbSession, user: User, today: date) -> list[Unavailability]:
    return list(
        db.scalars(
            sa.select(Unavailability)
            .where(Unavailability.user_id == user.id, Unavailability.ends_on >= today)
            .order_by(Unavailability.starts_on, Unavailability.id)
        )
    )


def sessions_while_unavailable(
    db: DbSession, user: User, periods: Sequence[Unavailability], now: datetime
) -> list[Session]:
    """Coming sessions the user leads on a day they are unavailable: they need cover. With the
    group that the profile names; not the venue, which it does not show."""
    if not periods:
        return []
    during = [
        sa.and_(
            Session.starts_at < oslo_to_utc(p.ends_on + timedelta(days=1), time(0, 0)),
            Session.ends_at > oslo_to_utc(p.starts_on, time(0, 0)),
        )
        for p in periods
    ]
    return list(
        db.scalars(
            sa.select(Session)
            .where(
                sessions_led_by(user),
                Session.status == SessionStatus.PLANNED,
                Session.ends_at > now,
                sa.or_(*during),
            )
            .options(joinedload(Session.group))
            .order_by(Session.starts_at)
        )
    )
