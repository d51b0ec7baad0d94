"""Audit events for requests: the acting user and address come from the request."""

from __future__ import annotations

from typing import Any

from flask import g, request
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


def mark_out_of_scope(object_type: str, object_id: int, pupil_id: int | None) -> None:
    """Remember, for the 404 page, that the object exists but lies outside the user's scope."""
    g.out_of_scope = (object_type, object_id, pupil_id)


Attempt = tuple[str, int | None, int | None]


def refused_attempt(code: int) -> Attempt | None:
    """What a signed-in user was refused: any 403, and a 404 for an object outside their scope.

    Gives (object type, object id, pupil id), empty for a 403 of a whole page; None otherwise.
    """
    if not current_user.is_authenticated:
        return None
    out_of_scope: Attempt | None = g.pop("out_of_scope", None)
    if code == 403:
        return out_of_scope or ("", None, None)
    if code == 404:
        return out_of_scope
    return None


def audit_refused(code: int, attempt: Attempt) -> None:
    """Record a refused attempt; the error handler rolls the request back first and commits."""
    object_type, object_id, pupil_id = attempt
    audit_request(
        "access_denied",
        object_type=object_type,
        object_id=object_id,
        pupil_id=pupil_id,
        details={"status": code, "endpoint": request.endpoint or "", "method": request.method},
    )
