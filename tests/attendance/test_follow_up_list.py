"""The coordinator's follow-up list: every flagged active member of the district's running
groups, by group and pupil name, as each group's own attendance page flags them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from mestring.attendance.enums import AttendanceStatus
from mestring.attendance.models import Attendance
from mestring.attendance.queries import district_flags, group_attendance
from mestring.groups.enums import GroupStatus
from mestring.groups.models import Group
from mestring.referrals.enums import ReferralStatus
from mestring.scheduling.models import Session
from tests import factories as f
from tests.attendance.conftest import add_pupil, past_sessions
from tests.conftest import World

STATUSES = {"P": AttendanceStatus.PRESENT, "A": AttendanceStatus.ABSENT}


def _mark(db: OrmSession, sessions: list[Session], pupil_id: int, letters: str) -> None:
    for session, letter in zip(sessions, letters, strict=True):
        if letter != "-":
            db.add(Attendance(session=session, pupil_id=pupil_id, status=STATUSES[letter]))


def _running_group(world: World, name: str) -> Group:
    return f.GroupFactory(district=world.group.district, status=GroupStatus.RUNNING, name=name)


def test_the_list_is_each_running_groups_flagged_pupils_by_name(
    world: World, db_session: OrmSession, count_queries: Any
) -> None:
    world.group.status = GroupStatus.RUNNING
    world.group.name = "B-gruppen"
    b_sessions = past_sessions(world.group, 4)
    _mark(db_session, b_sessions, world.pupil.id, "PAAP")
    zara = add_pupil(world.group, "Zara")
    _mark(db_session, b_sessions, zara.pupil_id, "AAPP")
    ada = add_pupil(world.group, "Ada")
    _mark(db_session, b_sessions, ada.pupil_id, "PPPP")
    a_group = _running_group(world, "A-gruppen")
    a_sessions = past_sessions(a_group, 3)
    for first_name, letters in [("Kari", "A-A"), ("Ola", "PPA"), ("Per", "AAP")]:
        member = add_pupil(a_group, first_name)
        _mark(db_session, a_sessions, member.pupil_id, letters)
    leaver = add_pupil(a_group, "Borte", status=ReferralStatus.WITHDRAWN)
    _mark(db_session, a_sessions, leaver.pupil_id, "AAA")
    _running_group(world, "Tom gruppe")
    db_session.flush()

    with count_queries() as queries:
        flagged = district_flags(db_session, world.group.district_id)
    assert len(queries) == 1

    expected = []
    for group in db_session.scalars(sa.select(Group).order_by(Group.name)):
        for member, summary in group_attendance(db_session, group).flagged:
            pupil = member.pupil
            expected.append((group.id, group.name, pupil.id, pupil.full_name, summary))
    expected.sort(key=lambda row: (row[1], row[3]))
    assert [
        (item.group.id, item.group.name, item.pupil.id, item.pupil.full_name, item.summary)
        for item in flagged
    ] == expected
    assert [item.pupil.first_name for item in flagged] == [
        "Kari",
        "Ola",
        "Per",
        world.pupil.first_name,
        "Zara",
    ]


def test_no_running_group_runs_one_statement(
    world: World, db_session: OrmSession, count_queries: Any
) -> None:
    with count_queries() as queries:
        assert district_flags(db_session, world.group.district_id) == []
    assert len(queries) == 1
