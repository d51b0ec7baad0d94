"""Facilitator lists, profiles and the workload per month of a term, with their eager loads."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from mestring.accounts.enums import Role
from mestring.accounts.models import Term, User
from mestring.core.time import oslo_to_utc
from mestring.db import DbSession
from mestring.groups.models import FacilitatorAssignment, Group
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session, Unavailability
from mestring.scheduling.queries import led_session_times, sessions_led_by

# The service the workload list shows beside each name.
WITH_SERVICE = joinedload(User.service)


def facilitators_of(district_id: int | None) -> sa.Select[User]:
    """The district's facilitators (active first), by name, with the service the list shows."""
    return (
        sa.select(User)
        .where(User.role == Role.FACILITATOR, User.district_id == district_id)
        .options(WITH_SERVICE)
        .order_by(User.active.desc(), User.name, User.id)
    )


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


@dataclass(frozen=True)
class Workload:
    user: User
    assignments: list[FacilitatorAssignment]
    per_month: list[int]

    @property
    def total(self) -> int:
        return sum(self.per_month)


def workload(db: DbSession, users: Sequence[User], term: Term) -> list[Workload]:
    """Each user's groups in the term and the sessions they lead per month of it."""
    ids = [u.id for u in users]
    months = months_of(term)
    # The UTC instant each month begins in Oslo: a session's month is found by bisection.
    month_starts = [oslo_to_utc(month, time(0, 0)) for month in months]
    assignments: dict[int, list[FacilitatorAssignment]] = defaultdict(list)
    counts: Counter[tuple[int, int]] = Counter()
    if ids:
        for assignment in db.scalars(
            sa.select(FacilitatorAssignment)
            .join(FacilitatorAssignment.group)
            .where(FacilitatorAssignment.user_id.in_(ids), Group.term_id == term.id)
            .options(contains_eager(FacilitatorAssignment.group))
            .order_by(Group.name)
        ):
            assignments[assignment.user_id].append(assignment)
        start = oslo_to_utc(term.starts_on, time(0, 0))
        end = oslo_to_utc(term.ends_on + timedelta(days=1), time(0, 0))
        counts.update(
            (row.user_id, bisect_right(month_starts, row.starts_at) - 1)
            for row in db.execute(led_session_times(ids, start, end))
        )
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
