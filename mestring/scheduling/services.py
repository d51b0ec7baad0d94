"""Changes to sessions with their history, calendar feed links, and the shipped school holidays."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import Any

import sqlalchemy as sa

from mestring.accounts.models import District, User
from mestring.core import localized
from mestring.core.errors import DomainError, StaleEdit
from mestring.core.time import to_oslo
from mestring.core.translations import lazy_gettext as _l
from mestring.core.translations import ngettext
from mestring.db import DbSession
from mestring.groups.enums import SessionMode
from mestring.groups.models import Venue
from mestring.scheduling.conflicts import ProposedSession, SchedulingConflict, find_conflicts
from mestring.scheduling.enums import ClosedPeriodKind, SessionStatus
from mestring.scheduling.models import ClosedPeriod, Session, SessionChange

# --- Changing a session ---------------------------------------------------------------------


def _check_version(session: Session, version: int) -> None:
    if session.version_id != version:
        raise StaleEdit(
            str(_l("Someone else changed the session after you opened it. Check and try again."))
        )


def _check_open(session: Session) -> None:
    if session.status is SessionStatus.CANCELLED:
        raise DomainError(str(_l("The session is cancelled.")))
    if session.status is SessionStatus.HELD:
        raise DomainError(str(_l("The session has been held and cannot be changed.")))


def reschedule_session(
    db: DbSession,
    *,
    actor: User,
    session: Session,
    version: int,
    starts_at: datetime,
    ends_at: datetime,
    mode: SessionMode,
    venue: Venue | None,
    video_link: str,
    accept_conflicts: bool,
    now: datetime,
) -> SessionChange | None:
    """Move a session and/or switch it between physical and digital; the change is recorded.

    Raises ``SchedulingConflict`` when the new time or place conflicts and ``accept_conflicts``
    is false; returns None when nothing changed.
    """
    _check_version(session, version)
    _check_open(session)
    if ends_at <= starts_at:
        raise DomainError(str(_l("The session must end after it starts.")))
    if to_oslo(ends_at).date() != to_oslo(starts_at).date():
        raise DomainError(str(_l("The session must end on the day it starts.")))
    if venue is not None and venue.district_id != session.group.district_id:
        raise DomainError(str(_l("Choose a room in the group's district.")))
    physical = mode is SessionMode.PHYSICAL
    new_venue = venue if physical else None
    new_link = "" if physical else video_link

    changes: dict[str, Any] = {}
    summary: list[str] = []
    if (starts_at, ends_at) != (session.starts_at, session.ends_at):
        changes["starts_at"] = [session.starts_at.isoformat(), starts_at.isoformat()]
        changes["ends_at"] = [session.ends_at.isoformat(), ends_at.isoformat()]
        summary.append(
            str(
                _l(
                    "Moved from %(old)s to %(new)s.",
                    old=localized.moment(session.starts_at),
                    new=localized.moment(starts_at),
                )
            )
        )
    if mode is not session.mode:
        changes["mode"] = [session.mode.value, mode.value]
        summary.append(
            str(_l("Switched to digital.") if not physical else _l("Switched to physical."))
        )
    if (new_venue.id if new_venue else None) != session.venue_id:
        changes["venue"] = [session.venue.name if session.venue else None, _name(new_venue)]
        if physical:
            summary.append(str(_l("Room: %(room)s.", room=_name(new_venue) or "–")))
    if new_link != session.video_link:
        changes["video_link"] = [session.video_link, new_link]
        if not physical:
            summary.append(str(_l("New video link.")))
    if not changes:
        return None

    proposed = ProposedSession.of(session).changed(
        starts_at=starts_at,
        ends_at=ends_at,
        mode=mode,
        venue_id=new_venue.id if new_venue else None,
    )
    conflicts = find_conflicts(db, proposed)
    if conflicts and not accept_conflicts:
        raise SchedulingConflict(conflicts)
    if conflicts:
        changes["accepted_conflicts"] = [c.message for c in conflicts]
        summary.append(
            ngettext(
                "Saved despite %(num)s conflict.",
                "Saved despite %(num)s conflicts.",
                len(conflicts),
            )
        )

    session.starts_at, session.ends_at = starts_at, ends_at
    session.mode = mode
    session.venue = new_venue
    session.video_link = new_link
    return _record(db, actor=actor, session=session, summary=summary, changes=changes, now=now)


def cancel_session(
    db: DbSession, *, actor: User, session: Session, version: int, reason: str, now: datetime
) -> SessionChange:
    _check_version(session, version)
    _check_open(session)
    reason = reason.strip()
    if not reason:
        raise DomainError(str(_l("Give the reason for cancelling.")))
    changes = {"status": [session.status.value, SessionStatus.CANCELLED.value], "reason": reason}
    session.status = SessionStatus.CANCELLED
    summary = [str(_l("Cancelled: %(reason)s", reason=reason))]
    return _record(db, actor=actor, session=session, summary=summary, changes=changes, now=now)


def _name(venue: Venue | None) -> str | None:
    return venue.name if venue else None


def _record(
    db: DbSession,
    *,
    actor: User,
    session: Session,
    summary: list[str],
    changes: dict[str, Any],
    now: datetime,
) -> SessionChange:
    text = " ".join(summary)
    change = SessionChange(
        session=session,
        actor=actor,
        created_at=now,
        summary=text if len(text) <= 200 else text[:199] + "…",
        changes=changes,
    )
    db.add(change)
    db.flush()
    return change


# --- Calendar feed links --------------------------------------------------------------------


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token(db: DbSession, *, user: User) -> str:
    """Make a new secret feed token for ``user``; the old link stops working.

    Only the SHA-256 of the token is stored: the token itself is shown once.
    """
    token = secrets.token_urlsafe(32)
    user.calendar_token = hash_feed_token(token)
    db.flush()
    return token


def revoke_feed_token(db: DbSession, *, user: User) -> None:
    user.calendar_token = None
    db.flush()


def user_by_feed_token(db: DbSession, token: str) -> User | None:
    if not token or len(token) > 200:
        return None
    return db.scalar(
        sa.select(User).where(User.calendar_token == hash_feed_token(token), User.active)
    )


# --- Closed periods -------------------------------------------------------------------------


@dataclass(frozen=True)
class ShippedPeriod:
    kind: ClosedPeriodKind
    name: str
    starts_on: date
    ends_on: date


def read_school_holidays() -> list[ShippedPeriod]:
    """Oslo's school holidays as shipped in mestring/data/oslo_school_holidays.json."""
    data = json.loads(
        resources.files("mestring").joinpath("data", "oslo_school_holidays.json").read_text("utf-8")
    )
    return [
        ShippedPeriod(
            kind=ClosedPeriodKind(entry["kind"]),
            name=entry["name"],
            starts_on=date.fromisoformat(entry["starts_on"]),
            ends_on=date.fromisoformat(entry["ends_on"]),
        )
        for year in data["school_years"]
        for entry in year["periods"]
    ]


def load_school_holidays(db: DbSession, *, district: District) -> int:
    """Add the shipped school holidays the district lacks (same kind and dates); idempotent.

    Returns how many were added.
    """
    existing = {
        (kind, starts_on, ends_on)
        for kind, starts_on, ends_on in db.execute(
            sa.select(ClosedPeriod.kind, ClosedPeriod.starts_on, ClosedPeriod.ends_on).where(
                ClosedPeriod.district_id == district.id
            )
        )
    }
    added = [
        ClosedPeriod(
            district_id=district.id,
            kind=period.kind,
            name=period.name,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
        )
        for period in read_school_holidays()
        if (period.kind, period.starts_on, period.ends_on) not in existing
    ]
    db.add_all(added)
    db.flush()
    return len(added)


def save_closed_period(
    db: DbSession,
    *,
    period: ClosedPeriod,
    district_id: int,
    kind: ClosedPeriodKind,
    name: str,
    starts_on: date,
    ends_on: date,
) -> ClosedPeriod:
    if ends_on < starts_on:
        raise DomainError(str(_l("The last day cannot be before the first.")))
    period.district_id = district_id
    period.kind = kind
    period.name = name
    period.starts_on = starts_on
    period.ends_on = ends_on
    db.add(period)
    db.flush()
    return period


def delete_closed_period(db: DbSession, *, period: ClosedPeriod) -> None:
    db.delete(period)
    db.flush()
