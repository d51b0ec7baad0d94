"""Writing audit events, in the same transaction as what they record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mestring.accounts.models import User
from mestring.audit.models import AuditEvent
from mestring.db import DbSession


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
) -> AuditEvent:
    event = AuditEvent(
        created_at=now,
        actor_id=actor.id if actor else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        pupil_id=pupil_id,
        ip_address=ip_address[:45],
        details=details or {},
    )
    db.add(event)
    return event
