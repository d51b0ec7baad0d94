"""Lists for the administrator."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from mestring.accounts.models import User


def all_users() -> sa.Select[User]:
    return (
        sa.select(User)
        .options(joinedload(User.district), joinedload(User.school), joinedload(User.service))
        .order_by(User.name, User.id)
    )
