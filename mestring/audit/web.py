"""Audit events for requests: the acting user and address come from the request."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user

from mestring.audit.services import record_event
from mestring.core.time import now_utc
from mestring.extensions import db


def audit_request(
    action: str,
    *,
    object_type: str = "",
    object_id: int | None = None,
    pupil_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Add an audit event to the current transaction; the view commits it."""
    actor = current_user._get_current_object() if current_user.is_authenticated else None
    record_event(
        db.session,
        actor=actor,
        action=action,
        now=now_utc(),
        object_type=object_type,
        object_id=object_id,
        pupil_id=pupil_id,
        ip_address=request.remote_addr or "",
        details=details,
    )
