"""Staffing a group: the ranked candidates, assigning a facilitator and removing one.

Services take the session, the acting user and the time explicitly, flush, and raise domain
errors; the caller commits once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from mestring.accounts.enums import Role, ServiceKind
from mestring.accounts.models import User
from mestring.core.errors import DomainError
from mestring.core.time import OSLO, oslo_to_utc
from mestring.core.translations import lazy_gettext as _l
from mestring.db import DbSession
from mestring.facilitators.permissions import can_staff_group
from mestring.facilitators.ranking import CandidateFacts, RankedCandidate, rank_candidates
from mestring.groups.enums import FacilitatorRole
from mestring.groups.models import FacilitatorAssignment, Group
from mestring.groups.services import EDITABLE_STATUSES
from mestring.groups.warnings import missing_services
from mestring.scheduling.conflicts import Conflict, ProposedSession, conflicts_by_session
from mestring.scheduling.enums import ConflictKind, SessionStatus
from mestring.scheduling.models import Session
from mestring.scheduling.queries import led_session_times

MIDNIGHT = time(0, 0)
# Conflicts that belong to the person, not to the session's time or room.
PERSONAL_CONFLICTS = frozenset(
    {ConflictKind.FACILITATOR_BUSY, ConflictKind.FACILITATOR_UNAVAILABLE}
)


class InvalidAssignment(DomainError):
    """A rule about who leads a group was broken; ``field`` names the form field, if one."""

    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(str(message))
        self.field = field


@dataclass(frozen=True)
class Ranking:
    candidates: list[RankedCandidate]
    missing: list[ServiceKind]
    session_count: int
    in_term: bool


def coming_sessions(group: Group, now: datetime) -> list[Session]:
    """The group's planned sessions that have not ended (``group.sessions`` loaded)."""
    return [s for s in group.sessions if s.status is SessionStatus.PLANNED and s.ends_at > now]


def candidates_for(db: DbSession, group: Group) -> list[User]:
    """Active facilitators of the group's district who do not lead it yet, by name."""
    assigned = [a.user_id for a in group.facilitators]
    return list(
        db.scalars(
            sa.select(User)
            .where(
                User.role == Role.FACILITATOR,
                User.district_id == group.district_id,
                User.active,
                User.id.not_in(assigned),
            )
            .options(joinedload(User.service))
            .order_by(User.name, User.id)
        )
    )


def _week(moment: datetime) -> tuple[int, int]:
    year, week, _day = moment.astimezone(OSLO).isocalendar()
    return year, week


def rank_for_group(db: DbSession, *, group: Group, now: datetime) -> Ranking:
    """The ranked candidates for the group, with a fixed number of queries.

    ``group.sessions``, ``group.facilitators`` (with users and services) and ``group.term``
    must be loaded.
    """
    users = candidates_for(db, group)
    sessions = coming_sessions(group, now)
    proposals = [
        ProposedSession(
            session_id=session.id,
            district_id=group.district_id,
            title=session.title,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            venue_id=None,
            facilitator_ids=frozenset({user.id}),
        )
        for user in users
        for session in sessions
    ]
    found = conflicts_by_session(db, proposals) if proposals else []
    conflicts: dict[int, list[Conflict]] = {user.id: [] for user in users}
    for proposal, session_conflicts in zip(proposals, found, strict=True):
        (user_id,) = proposal.facilitator_ids
        conflicts[user_id] += [c for c in session_conflicts if c.kind in PERSONAL_CONFLICTS]

    in_term = not sessions
    if sessions:
        weeks = {_week(s.starts_at) for s in sessions}
        first = min(s.starts_at for s in sessions).astimezone(OSLO).date()
        last = max(s.starts_at for s in sessions).astimezone(OSLO).date()
        start = oslo_to_utc(first - timedelta(days=first.weekday()), MIDNIGHT)
        end = oslo_to_utc(last + timedelta(days=7 - last.weekday()), MIDNIGHT)
    else:
        weeks = set()
        start = oslo_to_utc(group.term.starts_on, MIDNIGHT)
        end = oslo_to_utc(group.term.ends_on + timedelta(days=1), MIDNIGHT)
    load: Counter[int] = Counter()
    if users:
        rows = db.execute(led_session_times([u.id for u in users], start, end))
        for row in rows:
            if row.group_id != group.id and (in_term or _week(row.starts_at) in weeks):
                load[row.user_id] += 1

    missing = missing_services(
        [a.user.service.kind if a.user.service else None for a in group.facilitators]
    )
    facts = [
        CandidateFacts(
            user_id=user.id,
            name=user.name,
            service=user.service.kind if user.service else None,
            conflicts=tuple(conflicts[user.id]),
            load=load[user.id],
        )
        for user in users
    ]
    return Ranking(
        candidates=rank_candidates(facts, missing, session_count=len(sessions), in_term=in_term),
        missing=missing,
        session_count=len(sessions),
        in_term=in_term,
    )


def _check_staffing(actor: User, group: Group) -> None:
    if not can_staff_group(actor, group):
        raise InvalidAssignment(_l("You may not change this."))
    if group.status not in EDITABLE_STATUSES:
        raise InvalidAssignment(_l("A finished or cancelled group cannot be changed."))


def assign_facilitator(
    db: DbSession,
    *,
    actor: User,
    group: Group,
    facilitator: User,
    role: FacilitatorRole,
    now: datetime,
) -> FacilitatorAssignment:
    """Make ``facilitator`` lead the group; a group has one lead at most."""
    _check_staffing(actor, group)
    if (
        facilitator.role is not Role.FACILITATOR
        or not facilitator.active
        or facilitator.district_id != group.district_id
    ):
        raise InvalidAssignment(_l("Choose a facilitator of the group’s district."), "user")
    if any(a.user_id == facilitator.id for a in group.facilitators):
        raise InvalidAssignment(
            _l("%(name)s leads the group already.", name=facilitator.name), "user"
        )
    lead = next((a for a in group.facilitators if a.role is FacilitatorRole.LEAD), None)
    if role is FacilitatorRole.LEAD and lead is not None:
        raise InvalidAssignment(
            _l(
                "%(name)s is the lead already. Assign a co-lead, or remove the lead first.",
                name=lead.user.name,
            ),
            "role",
        )
    assignment = FacilitatorAssignment(user=facilitator, role=role)
    group.facilitators.append(assignment)
    db.flush()
    return assignment


def unassign_facilitator(
    db: DbSession, *, actor: User, assignment: FacilitatorAssignment, now: datetime
) -> None:
    """The facilitator no longer leads the group; substitutes already arranged stay."""
    group = assignment.group
    _check_staffing(actor, group)
    group.facilitators.remove(assignment)
    db.flush()


def assignment_choices(ranking: Ranking) -> Sequence[tuple[int, str]]:
    return [(c.facts.user_id, c.facts.name) for c in ranking.candidates]
