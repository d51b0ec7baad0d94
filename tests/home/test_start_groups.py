"""The coordinator's start page lists the district's first groups as the group list does."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session as OrmSession

from mestring.groups.list_fragments import GroupLine
from mestring.groups.queries import groups_in_scope
from mestring.home.queries import district_groups
from mestring.referrals.enums import ReferralStatus
from tests import factories as f
from tests.conftest import World


def test_the_first_groups_are_the_group_lists_first_with_their_pupils_counted(
    world: World, db_session: OrmSession
) -> None:
    district = world.group.district
    terms = [
        f.TermFactory(district=district, starts_on=date(2027, month, 4), ends_on=date(2027, 6, 18))
        for month in (1, 3, 2)
    ]
    for index, term in enumerate(terms * 2):
        group = f.GroupFactory(district=district, term=term, name=f"Gruppe {5 - index}")
        for status in [ReferralStatus.PLACED, ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN][
            : index % 4
        ]:
            f.MembershipFactory(group=group, referral__status=status)
    f.GroupFactory(term=f.TermFactory(starts_on=date(2028, 1, 3), ends_on=date(2028, 6, 16)))
    db_session.flush()

    listed = [
        GroupLine._make(row) for row in db_session.execute(groups_in_scope(world.coordinator))
    ]
    assert len(listed) == 7  # the world's group and the six above
    for limit in (1, 4, 10):
        first = district_groups(db_session, district.id, limit)
        assert [GroupLine._make(row) for row in first] == listed[:limit]
    counts = {line.name: line.member_count for line in listed}
    assert [counts[f"Gruppe {5 - index}"] for index in range(6)] == [0, 1, 2, 2, 0, 1]
