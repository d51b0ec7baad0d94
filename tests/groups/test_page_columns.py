"""The "page" columns of a group (its term's name and start, its template's name, its venue's
name and address) read with the group's row: what the joined objects gave."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import undefer_group

from mestring.groups.models import Group
from tests import factories as f
from tests.conftest import World
from tests.statements import counting


@pytest.mark.parametrize("with_venue", [True, False])
def test_the_page_columns_are_the_terms_templates_and_venues(
    db_session: OrmSession, world: World, with_venue: bool
) -> None:
    group = f.GroupFactory(
        district=world.group.district,
        venue=f.VenueFactory(district=world.group.district, name='Rom "A" & B')
        if with_venue
        else None,
    )
    db_session.flush()
    expected = (
        group.term.name,
        group.term.starts_on,
        group.template.name,
        group.venue.name if group.venue else None,
        group.venue.address if group.venue else None,
    )
    group_id = group.id
    db_session.expire_all()

    with counting(db_session) as statements:
        loaded = db_session.scalars(
            sa.select(Group).where(Group.id == group_id).options(undefer_group("page"))
        ).one()
        columns = (
            loaded.term_name,
            loaded.term_starts_on,
            loaded.template_name,
            loaded.venue_name,
            loaded.venue_address,
        )

    assert columns == expected
    assert len(statements) == 1


def test_the_page_columns_are_left_unread_elsewhere(db_session: OrmSession, world: World) -> None:
    group_id = world.group.id
    db_session.expire_all()
    with counting(db_session) as statements:
        db_session.get(Group, group_id)
    assert "terms" not in statements[0] and "venues" not in statements[0]
