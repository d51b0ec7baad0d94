"""Who may manage which accounts and read the audit log."""

from __future__ import annotations

from mestring.accounts.enums import Role
from mestring.accounts.models import User


def can_manage_user(actor: User, user: User) -> bool:
    """Administrators manage every account; one bound to a district, that district's only."""
    if actor.role is not Role.ADMIN:
        return False
    return actor.district_id is None or user.district_id == actor.district_id


def can_read_audit_log(actor: User) -> bool:
    return actor.role is Role.ADMIN
