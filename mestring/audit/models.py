"""Audit events: who did what, when, to which object and which pupil."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mestring.core.time import now_utc
from mestring.db import Base, UTCDateTime, fk


class AuditEvent(Base):
    __tablename__ = "audit_events"
    # The audit log's searches (by pupil, actor or action), newest first.
    __table_args__ = (
        sa.Index("ix_audit_events_pupil_created", "pupil_id", "created_at"),
        sa.Index("ix_audit_events_actor_created", "actor_id", "created_at"),
        sa.Index("ix_audit_events_action_created", "action", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    actor_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(40), default="")
    object_id: Mapped[int | None]
    # No foreign key: the event must outlive anything it mentions.
    pupil_id: Mapped[int | None]
    ip_address: Mapped[str] = mapped_column(sa.String(45), default="")
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
