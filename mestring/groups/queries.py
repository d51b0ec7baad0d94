"""Group lists that pages share."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from mestring.accounts.enums import Role
from mestring.accounts.models import User
from mestring.groups.models import FacilitatorAssignment, Group, GroupMembership, Term

member_count = (
    sa.select(sa.func.count(GroupMembership.id))
    .where(GroupMembership.group_id == Group.id)
    .correlate(Group)
    .scalar_subquery()
    .label("member_count")
)


def groups_in_scope(user: User) -> sa.Select[Any]:
    """(group, member count) rows a coordinator or facilitator may list, newest term first."""
    stmt = (
        sa.select(Group, member_count)
        .join(Group.term)
        .options(joinedload(Group.term), joinedload(Group.template), joinedload(Group.venue))
    )
    if user.role is Role.COORDINATOR:
        stmt = stmt.where(Group.district_id == user.district_id)
    elif user.role is Role.FACILITATOR:
        assigned = sa.select(FacilitatorAssignment.group_id).where(
            FacilitatorAssignment.user_id == user.id
        )
        stmt = stmt.where(Group.id.in_(assigned))
    else:
        stmt = stmt.where(sa.false())
    return stmt.order_by(Term.starts_on.desc(), Group.name)
