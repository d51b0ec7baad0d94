"""The pupil page's groups, read as plain rows, are what the memberships it loaded showed."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import joinedload

from mestring.groups.models import Group, GroupMembership
from mestring.pupils.queries import memberships_of
from tests import factories as f
from tests.conftest import World


def _loaded(db: OrmSession, pupil_id: int) -> list[tuple[object, ...]]:
    """The memberships as the page loaded them before, with the cells it showed."""
    stmt = (
        sa.select(GroupMembership)
        .options(joinedload(GroupMembership.group).joinedload(Group.term))
        .where(GroupMembership.pupil_id == pupil_id)
        .order_by(GroupMembership.placed_at.desc())
    )
    return [
        (m.group.id, m.group.name, m.group.status, m.group.term.name, m.placed_at)
        for m in db.scalars(stmt)
    ]


def test_the_rows_are_the_groups_the_memberships_showed(
    world: World, db_session: OrmSession
) -> None:
    earlier = f.ReferralFactory(pupil=world.pupil, status="completed")
    f.MembershipFactory(
        group=f.GroupFactory(district=world.bestum.district),
        referral=earlier,
        pupil=world.pupil,
        placed_at=datetime(2025, 9, 1, 8, tzinfo=UTC),
    )
    db_session.flush()
    expected = _loaded(db_session, world.pupil.id)
    assert len(expected) == 2
    rows = memberships_of(db_session, world.pupil.id)
    assert [
        (r.group_id, r.group_name, r.group_status, r.term_name, r.placed_at) for r in rows
    ] == expected
    assert memberships_of(db_session, world.smestad_pupil.id) == []
