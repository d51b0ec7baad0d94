"""Staffing a group, profiles and unavailability, and the workload per month."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring.accounts.enums import Role, ServiceKind
from mestring.groups.enums import FacilitatorRole, GroupStatus
from mestring.groups.models import FacilitatorAssignment
from mestring.scheduling.models import Unavailability
from tests import factories as f
from tests.conftest import World, sign_in


def assignments(db: OrmSession, world: World) -> list[tuple[int, FacilitatorRole]]:
    return [
        (a.user_id, a.role)
        for a in db.scalars(
            sa.select(FacilitatorAssignment)
            .where(FacilitatorAssignment.group_id == world.group.id)
            .order_by(FacilitatorAssignment.id)
        )
    ]


def warnings_on(client: FlaskClient, world: World) -> str:
    return client.get(f"/groups/{world.group.id}").get_data(as_text=True)


def test_coordinator_staffs_a_group_and_the_warnings_follow(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    school_staff = f.UserFactory(
        role=Role.FACILITATOR,
        district=world.group.district,
        service=f.ServiceFactory(district=world.group.district, kind=ServiceKind.SCHOOL),
        school=world.bestum,
    )
    db_session.commit()
    sign_in(client, world.coordinator)
    page = warnings_on(client, world)
    assert 'data-warning="few_facilitators"' in page
    assert page.count('data-warning="missing_service"') == 2  # school health and school staff

    ranking = client.get(f"/groups/{world.group.id}/facilitators").get_data(as_text=True)
    assert f'data-candidate="{world.facilitator_unassigned.id}"' in ranking
    assert f'data-candidate="{world.facilitator.id}"' not in ranking  # leads it already

    url = f"/groups/{world.group.id}/facilitators"
    response = client.post(url, data={"user": world.facilitator_unassigned.id, "role": "co_lead"})
    assert response.status_code == 302
    page = warnings_on(client, world)
    assert 'data-warning="few_facilitators"' not in page
    assert page.count('data-warning="missing_service"') == 1
    client.post(url, data={"user": school_staff.id, "role": "co_lead"})
    page = warnings_on(client, world)
    assert 'data-warning="missing_service"' not in page
    assert [user_id for user_id, _role in assignments(db_session, world)] == [
        world.facilitator.id,
        world.facilitator_unassigned.id,
        school_staff.id,
    ]
    # The newly assigned facilitator now sees the group.
    client.post("/logout")
    sign_in(client, world.facilitator_unassigned)
    assert client.get(f"/groups/{world.group.id}").status_code == 200


def test_one_lead_and_no_outsiders(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    world.group.facilitators[0].role = FacilitatorRole.LEAD
    outsider = f.UserFactory(
        role=Role.FACILITATOR,
        district=world.coordinator_other.district,
        service=f.ServiceFactory(district=world.coordinator_other.district),
    )
    db_session.commit()
    sign_in(client, world.coordinator)
    url = f"/groups/{world.group.id}/facilitators"
    second_lead = client.post(url, data={"user": world.facilitator_unassigned.id, "role": "lead"})
    assert second_lead.status_code == 400
    assert world.facilitator.name in second_lead.get_data(as_text=True)
    assert client.post(url, data={"user": outsider.id, "role": "co_lead"}).status_code == 400
    assert client.post(url, data={"user": world.school.id, "role": "co_lead"}).status_code == 400
    assert assignments(db_session, world) == [(world.facilitator.id, FacilitatorRole.LEAD)]


def test_removing_a_facilitator(client: FlaskClient, world: World, db_session: OrmSession) -> None:
    assignment_id = world.group.facilitators[0].id
    db_session.commit()
    sign_in(client, world.coordinator_other)
    url = f"/groups/{world.group.id}/facilitators/{assignment_id}/remove"
    assert client.post(url).status_code == 404
    client.post("/logout")
    sign_in(client, world.coordinator)
    assert client.post(url).status_code == 302
    assert assignments(db_session, world) == []


def test_a_finished_group_cannot_be_staffed(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    world.group.status = GroupStatus.FINISHED
    db_session.commit()
    sign_in(client, world.coordinator)
    url = f"/groups/{world.group.id}/facilitators"
    response = client.post(url, data={"user": world.facilitator_unassigned.id, "role": "co_lead"})
    assert response.status_code == 400
    assert len(assignments(db_session, world)) == 1


# --- Profiles and unavailability -----------------------------------------------------------------


def periods(db: OrmSession, user_id: int) -> list[tuple[date, date]]:
    return [
        (u.starts_on, u.ends_on)
        for u in db.scalars(sa.select(Unavailability).where(Unavailability.user_id == user_id))
    ]


def test_a_facilitator_enters_their_own_unavailability_and_sees_what_it_blocks(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    """The world's session is on 2 February 2027: a course that day makes it a conflict."""
    db_session.commit()
    sign_in(client, world.facilitator)
    assert (
        client.get("/facilitators/me").headers["Location"]
        == f"/facilitators/{world.facilitator.id}"
    )
    url = f"/facilitators/{world.facilitator.id}/unavailability"
    data = {"starts_on": "2027-02-01", "ends_on": "2027-02-03", "reason": "course", "note": "Kurs"}
    response = client.post(url, data=data, follow_redirects=True)
    assert response.status_code == 200
    assert periods(db_session, world.facilitator.id) == [(date(2027, 2, 1), date(2027, 2, 3))]
    html = response.get_data(as_text=True)
    assert f'href="/sessions/{world.session.id}"' in html  # the session that needs cover
    session_page = client.get(f"/sessions/{world.session.id}").get_data(as_text=True)
    assert 'data-conflict="facilitator_unavailable"' in session_page

    bad = client.post(url, data={**data, "ends_on": "2027-01-01"})
    assert bad.status_code == 400
    assert len(periods(db_session, world.facilitator.id)) == 1


def test_the_coordinator_enters_it_for_them_and_others_cannot(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    db_session.commit()
    url = f"/facilitators/{world.facilitator.id}/unavailability"
    data = {"starts_on": "2027-03-01", "ends_on": "2027-03-01", "reason": "sick"}
    for outsider in (world.facilitator_unassigned, world.coordinator_other):
        sign_in(client, outsider)
        assert client.get(f"/facilitators/{world.facilitator.id}").status_code == 404
        assert client.post(url, data=data).status_code == 404
        client.post("/logout")
    assert periods(db_session, world.facilitator.id) == []
    sign_in(client, world.coordinator)
    assert client.post(url, data=data).status_code == 302
    assert periods(db_session, world.facilitator.id) == [(date(2027, 3, 1), date(2027, 3, 1))]
    item_id = db_session.scalars(sa.select(Unavailability.id)).one()
    delete = f"/facilitators/{world.facilitator.id}/unavailability/{item_id}/delete"
    assert client.post(delete).status_code == 302
    assert periods(db_session, world.facilitator.id) == []


def test_a_coordinator_or_school_user_has_no_profile_page(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    sign_in(client, world.coordinator)
    assert client.get(f"/facilitators/{world.coordinator.id}").status_code == 404
    assert client.get(f"/facilitators/{world.school.id}").status_code == 404


# --- Workload ------------------------------------------------------------------------------------


def test_workload_counts_sessions_per_month_of_the_term(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    """The world's term runs January–June 2027; its session is in February."""
    group = world.group
    for day in (datetime(2027, 1, 12, 12, tzinfo=UTC), datetime(2027, 2, 9, 12, tzinfo=UTC)):
        f.SessionFactory(group=group, starts_at=day)
    other_term = f.GroupFactory(district=group.district)
    f.AssignmentFactory(group=other_term, user=world.facilitator)
    f.SessionFactory(group=other_term, starts_at=datetime(2026, 9, 1, 12, tzinfo=UTC))
    db_session.commit()
    sign_in(client, world.coordinator)
    html = client.get(f"/facilitators/?term={group.term_id}").get_data(as_text=True)
    assert group.name in html and other_term.name not in html
    row = html[html.index(world.facilitator.name) :]
    row = row[: row.index("</tr>")]
    cells = [c.split("<")[0].strip() for c in row.split('mestring-numeric">')[1:]]
    # January, February, March ... June, then the total.
    assert cells == ["1", "2", "0", "0", "0", "0", "3"]


def test_workload_counts_a_session_in_its_oslo_month(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    """A session at 23:30 UTC on 31 January starts on 1 February in Oslo: it is February's."""
    group = world.group
    f.SessionFactory(group=group, starts_at=datetime(2027, 1, 31, 23, 30, tzinfo=UTC))
    db_session.commit()
    sign_in(client, world.coordinator)
    html = client.get(f"/facilitators/?term={group.term_id}").get_data(as_text=True)
    row = html[html.index(world.facilitator.name) :]
    row = row[: row.index("</tr>")]
    cells = [c.split("<")[0].strip() for c in row.split('mestring-numeric">')[1:]]
    # The world's own session is in February too.
    assert cells == ["0", "2", "0", "0", "0", "0", "2"]
