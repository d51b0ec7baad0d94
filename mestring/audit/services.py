"""Writing audit events, in the same transaction as what they record."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa

from mestring.accounts.models import User
from mestring.audit.models import AuditEvent
from mestring.db import DbSession

# A plain insert into the table, run at once: an event is never read back or changed, so it
# needs none of the unit of work's bookkeeping, and a table statement does not flush the
# session's pending changes before its time.
_EVENTS = cast(sa.Table, AuditEvent.__table__)
_INSERT_EVENT = _EVENTS.insert().returning(_EVENTS.c.id)


def record_event(
    db: DbSession,
    *,
    actor: User | None,
    action: str,
    now: datetime,
    object_type: str = "",
    object_id: int | None = None,
    pupil_id: int | None = None,
    ip_address: str = "",
    details: dict[str, Any] | None = None,
) -> int:
    """Insert the event; gives its id."""
    return db.execute(
        _INSERT_EVENT,
        {
            "created_at": now,
            "actor_id": actor.id if actor else None,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "pupil_id": pupil_id,
            "ip_address": ip_address[:45],
            "details": details or {},
        },
    ).scalar_one()
