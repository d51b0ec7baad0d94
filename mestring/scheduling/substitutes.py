"""A substitute for one session: a facilitator who leads it in place of an assigned one.

Setting one is a session change like any other: the conflicts it would cause (the substitute
busy elsewhere or unavailable) are shown before saving, and the change is kept in the session's
history. The session's version goes up so that calendar feeds pick up the new facilitator.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.core.errors import DomainError, StaleEdit
from mestring.core.translations import lazy_gettext as _l
from mestring.core.translations import ngettext
from mestring.db import DbSession
from mestring.scheduling.conflicts import (
    Conflict,
    ProposedSession,
    SchedulingConflict,
    facilitator_ids,
    find_conflicts,
)
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session, SessionChange, SessionSubstitute
from mestring.scheduling.permissions import can_set_substitute


def _check(actor: User, session: Session, version: int) -> None:
    if not can_set_substitute(actor, session):
        raise DomainError(str(_l("You may not change this.")))
    if session.version_id != version:
        raise StaleEdit(
            str(_l("Someone else changed the session after you opened it. Check and try again."))
        )
    if session.status is not SessionStatus.PLANNED:
        raise DomainError(str(_l("Only planned sessions can be changed.")))


def substitute_conflicts(
    db: DbSession, session: Session, replaced: User, substitute: User
) -> list[Conflict]:
    """The conflicts the session would have with ``substitute`` leading in place of
    ``replaced`` that it does not have now."""
    before = find_conflicts(db, session)
    proposed = ProposedSession.of(session)
    leaders = (facilitator_ids(session) - {replaced.id}) | {substitute.id}
    after = find_conflicts(
        db,
        ProposedSession(
            session_id=proposed.session_id,
            district_id=proposed.district_id,
            title=proposed.title,
            starts_at=proposed.starts_at,
            ends_at=proposed.ends_at,
            venue_id=proposed.venue_id,
            facilitator_ids=frozenset(leaders),
        ),
    )
    return [conflict for conflict in after if conflict not in before]


def set_substitute(
    db: DbSession,
    *,
    actor: User,
    session: Session,
    version: int,
    replaced: User,
    substitute: User,
    accept_conflicts: bool,
    now: datetime,
) -> SessionSubstitute:
    """``substitute`` leads the session in place of ``replaced`` (an assigned facilitator).

    Raises ``SchedulingConflict`` when the substitute is busy or unavailable then and
    ``accept_conflicts`` is false.
    """
    _check(actor, session, version)
    assigned = {a.user_id for a in session.group.facilitators}
    already_replaced = {s.replaced_id for s in session.substitutes}
    if replaced.id not in assigned or replaced.id in already_replaced:
        raise DomainError(str(_l("Choose an assigned facilitator who has no substitute yet.")))
    if (
        substitute.role is not Role.FACILITATOR
        or not substitute.active
        or substitute.district_id != session.group.district_id
    ):
        raise DomainError(str(_l("Choose a facilitator of the group’s district.")))
    if substitute.id in facilitator_ids(session):
        raise DomainError(str(_l("%(name)s leads the session already.", name=substitute.name)))
    conflicts = substitute_conflicts(db, session, replaced, substitute)
    if conflicts and not accept_conflicts:
        raise SchedulingConflict(conflicts)
    summary = str(
        _l(
            "Substitute: %(substitute)s in place of %(replaced)s.",
            substitute=substitute.name,
            replaced=replaced.name,
        )
    )
    changes: dict[str, object] = {"substitute": [replaced.name, substitute.name]}
    if conflicts:
        changes["accepted_conflicts"] = [c.message for c in conflicts]
        summary += " " + ngettext(
            "Saved despite %(num)s conflict.", "Saved despite %(num)s conflicts.", len(conflicts)
        )
    row = SessionSubstitute(replaced=replaced, substitute=substitute)
    session.substitutes.append(row)
    _record(db, actor=actor, session=session, summary=summary, changes=changes, now=now)
    return row


def remove_substitute(
    db: DbSession,
    *,
    actor: User,
    session: Session,
    version: int,
    row: SessionSubstitute,
    now: datetime,
) -> None:
    """The assigned facilitator leads the session again."""
    _check(actor, session, version)
    if row.session_id != session.id:
        raise DomainError(str(_l("You may not change this.")))
    summary = str(
        _l(
            "No substitute: %(replaced)s leads again instead of %(substitute)s.",
            replaced=row.replaced.name,
            substitute=row.substitute.name,
        )
    )
    changes: dict[str, object] = {"substitute": [row.substitute.name, None]}
    session.substitutes.remove(row)
    _record(db, actor=actor, session=session, summary=summary, changes=changes, now=now)


def _record(
    db: DbSession,
    *,
    actor: User,
    session: Session,
    summary: str,
    changes: dict[str, object],
    now: datetime,
) -> None:
    # Who leads is part of the calendar event: a new version makes feeds send an update.
    flag_modified(session, "title")
    db.add(
        SessionChange(
            session=session,
            actor=actor,
            created_at=now,
            summary=summary if len(summary) <= 200 else summary[:199] + "…",
            changes=changes,
        )
    )
    try:
        db.flush()
    except StaleDataError as error:
        raise StaleEdit(
            str(_l("Someone else changed the session after you opened it. Check and try again."))
        ) from error
