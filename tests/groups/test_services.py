"""Group services: templates, create/edit/status, placing and removing pupils, keep-apart pairs."""

from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from mestring.core.errors import InvalidTransition, StaleEdit
from mestring.groups.enums import GroupStatus, SessionMode
from mestring.groups.models import CourseTemplate, GroupMembership, KeepApartPair
from mestring.groups.services import (
    GroupDetails,
    InvalidGroup,
    TemplatePattern,
    TemplateSessionDetails,
    add_template_session,
    change_group_status,
    copy_course_template,
    create_group,
    create_group_from_proposal,
    delete_template_session,
    load_course_templates,
    move_template_session,
    place_referral,
    read_shipped_templates,
    record_keep_apart,
    remove_member,
    update_course_template,
    update_group,
)
from mestring.referrals.enums import ReferralStatus
from tests import factories as f
from tests.conftest import World
from tests.groups.conftest import NOW, Waitlisted


def details(world: World, template: CourseTemplate, **overrides: object) -> GroupDetails:
    values: dict[str, object] = {
        "name": "Bestum 8–10 år",
        "term_id": world.group.term_id,
        "template_id": template.id,
    }
    values.update(overrides)
    return GroupDetails(**values)  # type: ignore[arg-type]


@pytest.fixture
def planning_group(db_session: OrmSession, world: World, hybrid_template: CourseTemplate):
    return create_group(
        db_session,
        actor=world.coordinator,
        details=details(world, hybrid_template),
        now=NOW,
    )


# --- Course templates ---------------------------------------------------------------------------


def test_load_course_templates_is_idempotent(db_session: OrmSession) -> None:
    first = load_course_templates(db_session)
    second = load_course_templates(db_session)
    names = [t["name"] for t in read_shipped_templates()]
    assert list(first) == names == list(second)
    assert {t.id for t in first.values()} == {t.id for t in second.values()}
    count = db_session.scalar(
        sa.select(sa.func.count(CourseTemplate.id)).where(CourseTemplate.name.in_(names))
    )
    assert count == 3
    hybrid = first["Mestrende barn – hybrid"]
    assert hybrid.district_id is None
    assert [s.position for s in hybrid.sessions] == list(range(1, len(hybrid.sessions) + 1))
    modes = {s.mode for s in hybrid.sessions}
    assert modes == {SessionMode.PHYSICAL, SessionMode.DIGITAL}


def test_copy_belongs_to_the_district_and_can_be_edited(
    db_session: OrmSession, world: World
) -> None:
    shipped = load_course_templates(db_session)["Mestringskatten – gruppe"]
    copy = copy_course_template(db_session, actor=world.coordinator, template=shipped)
    again = copy_course_template(db_session, actor=world.coordinator, template=shipped)
    assert copy.district_id == world.coordinator.district_id
    assert copy.copied_from_id == shipped.id
    assert copy.name == "Copy of Mestringskatten – gruppe"
    assert again.name == "Copy of Mestringskatten – gruppe (2)"
    assert [s.title for s in copy.sessions] == [s.title for s in shipped.sessions]

    pattern = TemplatePattern(
        name="Katten hos oss",
        description="",
        physical_weekday=0,
        second_physical_weekday=2,
        physical_time=time(12, 0),
        digital_weekday=4,
        digital_time=time(17, 30),
        guardian_weekday=1,
        guardian_time=time(19, 0),
    )
    update_course_template(db_session, actor=world.coordinator, template=copy, pattern=pattern)
    assert copy.second_physical_weekday == 2
    assert (copy.name, copy.digital_weekday, copy.digital_time) == (
        "Katten hos oss",
        4,
        time(17, 30),
    )
    with pytest.raises(InvalidGroup) as error:
        update_course_template(db_session, actor=world.coordinator, template=again, pattern=pattern)
    assert error.value.field == "name"


def test_shipped_templates_are_read_only(db_session: OrmSession, world: World) -> None:
    shipped = load_course_templates(db_session)["Mestrende barn – standard"]
    new = TemplateSessionDetails("Ekstra", "", SessionMode.DIGITAL, 60, False)
    with pytest.raises(InvalidGroup):
        add_template_session(db_session, actor=world.coordinator, template=shipped, details=new)


def test_other_districts_copy_is_out_of_reach(
    db_session: OrmSession, world: World, own_template: CourseTemplate
) -> None:
    with pytest.raises(InvalidGroup):
        copy_course_template(db_session, actor=world.coordinator_other, template=own_template)


def test_add_move_and_delete_sessions_keep_positions_in_order(
    db_session: OrmSession, world: World, own_template: CourseTemplate
) -> None:
    actor = world.coordinator
    added = add_template_session(
        db_session,
        actor=actor,
        template=own_template,
        details=TemplateSessionDetails("Foreldremøte", "Om kurset", SessionMode.DIGITAL, 60, True),
    )
    assert added.position == 4
    move_template_session(db_session, actor=actor, session=added, up=True)
    db_session.expire(own_template, ["sessions"])
    assert [s.title for s in own_template.sessions] == [
        "Samling 1",
        "Samling 2",
        "Foreldremøte",
        "Samling 3",
    ]
    first = own_template.sessions[0]
    move_template_session(db_session, actor=actor, session=first, up=True)  # at the top: no-op
    delete_template_session(db_session, actor=actor, session=own_template.sessions[1])
    db_session.expire(own_template, ["sessions"])
    assert [(s.position, s.title) for s in own_template.sessions] == [
        (1, "Samling 1"),
        (2, "Foreldremøte"),
        (3, "Samling 3"),
    ]


# --- Groups -------------------------------------------------------------------------------------


def test_create_group_with_defaults_and_a_new_venue(
    db_session: OrmSession, world: World, hybrid_template: CourseTemplate
) -> None:
    group = create_group(
        db_session,
        actor=world.coordinator,
        details=details(
            world,
            hybrid_template,
            new_venue_name="Bestum skole, grupperom",
            new_venue_address="Bestumveien 29",
            video_link="https://meet.example.no/abc",
            starts_on=date(2027, 1, 11),
        ),
        now=NOW,
    )
    assert (group.status, group.capacity, group.min_size) == (GroupStatus.PLANNING, 8, 4)
    assert group.district_id == world.coordinator.district_id
    assert group.venue is not None and group.venue.address == "Bestumveien 29"
    assert group.video_link == "https://meet.example.no/abc"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_on": date(2026, 12, 1)}, "starts_on"),
        ({"min_size": 9}, "min_size"),
        ({"age_min": 11, "age_max": 10}, "age_max"),
        ({"new_venue_name": "Rom uten adresse"}, "new_venue_address"),
    ],
)
def test_create_group_refuses_bad_details(
    db_session: OrmSession,
    world: World,
    hybrid_template: CourseTemplate,
    overrides: dict[str, object],
    field: str,
) -> None:
    with pytest.raises(InvalidGroup) as error:
        create_group(
            db_session,
            actor=world.coordinator,
            details=details(world, hybrid_template, **overrides),
            now=NOW,
        )
    assert error.value.field == field


def test_create_group_refuses_a_term_of_another_district(
    db_session: OrmSession, world: World, hybrid_template: CourseTemplate
) -> None:
    foreign_term = f.TermFactory(district=world.other_school.district)
    with pytest.raises(InvalidGroup) as error:
        create_group(
            db_session,
            actor=world.coordinator,
            details=details(world, hybrid_template, term_id=foreign_term.id),
            now=NOW,
        )
    assert error.value.field == "term_id"


def test_update_group_detects_a_stale_version(
    db_session: OrmSession, world: World, hybrid_template: CourseTemplate
) -> None:
    group = world.group
    opened = group.version_id
    update_group(
        db_session,
        actor=world.coordinator,
        group=group,
        details=details(world, hybrid_template),
        version=opened,
    )
    assert group.name == "Bestum 8–10 år"
    assert group.version_id == opened + 1
    with pytest.raises(StaleEdit):
        update_group(
            db_session,
            actor=world.coordinator,
            group=group,
            details=details(world, hybrid_template, name="Annet navn"),
            version=opened,
        )
    assert group.name == "Bestum 8–10 år"


# --- Placing and removing -----------------------------------------------------------------------


def test_place_and_remove_keep_the_referrals_history(
    db_session: OrmSession, world: World, waitlisted: Waitlisted, planning_group
) -> None:
    referral = waitlisted(world.bestum)
    membership = place_referral(
        db_session, actor=world.coordinator, group=planning_group, referral=referral, now=NOW
    )
    assert referral.status is ReferralStatus.PLACED
    assert (
        membership.pupil_id == referral.pupil_id and membership.placed_by_id == world.coordinator.id
    )
    placed = referral.history[-1]
    assert (placed.from_status, placed.to_status) == (
        ReferralStatus.ACCEPTED,
        ReferralStatus.PLACED,
    )
    assert placed.comment.startswith(f"Placed in the group {planning_group.name}")

    with pytest.raises(InvalidTransition):
        remove_member(
            db_session, actor=world.coordinator, membership=membership, comment="", now=NOW
        )
    remove_member(
        db_session,
        actor=world.coordinator,
        membership=membership,
        comment="Foresatte ønsker å vente til høsten.",
        now=NOW,
    )
    assert referral.status is ReferralStatus.ACCEPTED
    assert planning_group.memberships == []
    assert (
        db_session.scalar(
            sa.select(GroupMembership).where(GroupMembership.referral_id == referral.id)
        )
        is None
    )
    back = referral.history[-1]
    assert (back.from_status, back.to_status, back.comment) == (
        ReferralStatus.PLACED,
        ReferralStatus.ACCEPTED,
        "Foresatte ønsker å vente til høsten.",
    )
    # Back on the waitlist, the pupil can be placed again.
    place_referral(
        db_session, actor=world.coordinator, group=planning_group, referral=referral, now=NOW
    )
    assert referral.status is ReferralStatus.PLACED


def test_only_waitlisted_referrals_of_the_district_can_be_placed(
    db_session: OrmSession, world: World, waitlisted: Waitlisted, planning_group
) -> None:
    coordinator = world.coordinator
    with pytest.raises(InvalidGroup, match="not on the waitlist"):
        place_referral(
            db_session,
            actor=coordinator,
            group=planning_group,
            referral=world.smestad_referral,
            now=NOW,
        )
    foreign = waitlisted(world.other_school)
    with pytest.raises(InvalidGroup, match="not in the group's district"):
        place_referral(
            db_session, actor=coordinator, group=planning_group, referral=foreign, now=NOW
        )
    assert foreign.status is ReferralStatus.ACCEPTED


def test_a_full_group_takes_no_more_pupils(
    db_session: OrmSession, world: World, waitlisted: Waitlisted, planning_group
) -> None:
    planning_group.capacity = 4
    for _ in range(4):
        place_referral(
            db_session,
            actor=world.coordinator,
            group=planning_group,
            referral=waitlisted(world.bestum),
            now=NOW,
        )
    extra = waitlisted(world.bestum)
    with pytest.raises(InvalidGroup, match="full"):
        place_referral(
            db_session, actor=world.coordinator, group=planning_group, referral=extra, now=NOW
        )
    assert extra.status is ReferralStatus.ACCEPTED


def test_another_districts_coordinator_cannot_place(
    db_session: OrmSession, world: World, waitlisted: Waitlisted, planning_group
) -> None:
    with pytest.raises(InvalidGroup):
        place_referral(
            db_session,
            actor=world.coordinator_other,
            group=planning_group,
            referral=waitlisted(world.bestum),
            now=NOW,
        )


# --- Status ---------------------------------------------------------------------------------------


def test_start_needs_the_minimum_then_finish(
    db_session: OrmSession, world: World, waitlisted: Waitlisted, planning_group
) -> None:
    actor = world.coordinator
    for _ in range(3):
        place_referral(
            db_session,
            actor=actor,
            group=planning_group,
            referral=waitlisted(world.bestum),
            now=NOW,
        )
    with pytest.raises(InvalidTransition, match="at least 4"):
        change_group_status(
            db_session,
            actor=actor,
            group=planning_group,
            target=GroupStatus.RUNNING,
            version=planning_group.version_id,
            now=NOW,
        )
    place_referral(
        db_session, actor=actor, group=planning_group, referral=waitlisted(world.bestum), now=NOW
    )
    change_group_status(
        db_session,
        actor=actor,
        group=planning_group,
        target=GroupStatus.RUNNING,
        version=planning_group.version_id,
        now=NOW,
    )
    assert planning_group.status is GroupStatus.RUNNING
    with pytest.raises(InvalidTransition):
        change_group_status(
            db_session,
            actor=actor,
            group=planning_group,
            target=GroupStatus.PLANNING,
            version=planning_group.version_id,
            now=NOW,
        )
    change_group_status(
        db_session,
        actor=actor,
        group=planning_group,
        target=GroupStatus.FINISHED,
        version=planning_group.version_id,
        now=NOW,
    )
    assert planning_group.status is GroupStatus.FINISHED
    with pytest.raises(InvalidGroup):
        place_referral(
            db_session,
            actor=actor,
            group=planning_group,
            referral=waitlisted(world.bestum),
            now=NOW,
        )


def test_cancelling_returns_the_pupils_to_the_waitlist(
    db_session: OrmSession, world: World, waitlisted: Waitlisted, planning_group
) -> None:
    referrals = [waitlisted(world.bestum) for _ in range(2)]
    for referral in referrals:
        place_referral(
            db_session, actor=world.coordinator, group=planning_group, referral=referral, now=NOW
        )
    change_group_status(
        db_session,
        actor=world.coordinator,
        group=planning_group,
        target=GroupStatus.CANCELLED,
        version=planning_group.version_id,
        now=NOW,
    )
    assert planning_group.status is GroupStatus.CANCELLED
    assert planning_group.memberships == []
    for referral in referrals:
        assert referral.status is ReferralStatus.ACCEPTED
        assert referral.history[-1].comment == f"The group {planning_group.name} was cancelled."


def test_status_change_with_an_old_version_is_stale(
    db_session: OrmSession, world: World, planning_group
) -> None:
    with pytest.raises(StaleEdit):
        change_group_status(
            db_session,
            actor=world.coordinator,
            group=planning_group,
            target=GroupStatus.CANCELLED,
            version=planning_group.version_id - 1,
            now=NOW,
        )
    assert planning_group.status is GroupStatus.PLANNING


def test_group_from_a_proposal_places_everyone_or_nobody(
    db_session: OrmSession, world: World, waitlisted: Waitlisted, hybrid_template
) -> None:
    referrals = [waitlisted(world.bestum) for _ in range(3)]
    with pytest.raises(InvalidGroup, match="capacity"):
        create_group_from_proposal(
            db_session,
            actor=world.coordinator,
            details=details(world, hybrid_template, capacity=2, min_size=2),
            referrals=referrals,
            now=NOW,
        )
    group = create_group_from_proposal(
        db_session,
        actor=world.coordinator,
        details=details(world, hybrid_template),
        referrals=referrals,
        now=NOW,
    )
    assert sorted(m.referral_id for m in group.memberships) == sorted(r.id for r in referrals)
    assert {r.status for r in referrals} == {ReferralStatus.PLACED}


# --- Keep-apart pairs -----------------------------------------------------------------------------


def test_keep_apart_pairs_are_stored_in_order_once(db_session: OrmSession, world: World) -> None:
    high_first = sorted((world.pupil, world.smestad_pupil), key=lambda p: -p.id)
    pair = record_keep_apart(
        db_session,
        actor=world.coordinator,
        first=high_first[0],
        second=high_first[1],
        note="Konflikt",
        now=NOW,
    )
    assert pair.pupil_a_id < pair.pupil_b_id
    assert pair.district_id == world.coordinator.district_id
    with pytest.raises(InvalidGroup, match="already"):
        record_keep_apart(
            db_session,
            actor=world.coordinator,
            first=high_first[1],
            second=high_first[0],
            note="",
            now=NOW,
        )
    with pytest.raises(InvalidGroup):
        record_keep_apart(
            db_session,
            actor=world.coordinator,
            first=world.pupil,
            second=world.other_pupil,
            note="",
            now=NOW,
        )
    assert db_session.scalar(sa.select(sa.func.count(KeepApartPair.id))) == 1


def test_templates_command_loads_the_shipped_templates(app, db_session: OrmSession) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["mestring", "templates"])
    second = runner.invoke(args=["mestring", "templates"])
    assert first.exit_code == second.exit_code == 0, first.output
    assert "Mestrende barn – hybrid: 21 sessions" in first.output
    assert first.output == second.output
    shipped = db_session.scalar(
        sa.select(sa.func.count(CourseTemplate.id)).where(CourseTemplate.district_id.is_(None))
    )
    assert shipped == 3


def test_pupils_who_left_free_their_place_and_are_not_counted(
    db_session: OrmSession, world: World
) -> None:
    group = world.group
    group.min_size, group.capacity = 1, 2
    left = f.MembershipFactory(
        group=group, referral=f.ReferralFactory(pupil=f.PupilFactory(school=world.bestum))
    )
    left.referral.status = ReferralStatus.WITHDRAWN
    assert [m.referral for m in group.active_memberships] == [world.referral]
    place_referral(
        db_session,
        actor=world.coordinator,
        group=group,
        referral=f.ReferralFactory(
            pupil=f.PupilFactory(school=world.bestum), status=ReferralStatus.ACCEPTED
        ),
        now=NOW,
    )
    assert len(group.active_memberships) == 2 == group.capacity
    # The withdrawn pupil neither fills the group nor blocks cancelling it.
    change_group_status(
        db_session,
        actor=world.coordinator,
        group=group,
        target=GroupStatus.CANCELLED,
        version=group.version_id,
        now=NOW,
    )
    assert world.referral.status is ReferralStatus.ACCEPTED
    assert left.referral.status is ReferralStatus.WITHDRAWN
