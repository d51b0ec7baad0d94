"""The attendance form, its refusals and scope; the group's attendance page and the flags on it
and on the coordinator's start page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring.attendance.enums import AttendanceStatus
from mestring.attendance.models import Attendance
from mestring.core.time import now_utc
from mestring.groups.enums import GroupStatus
from mestring.groups.models import Group
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session, SessionSubstitute
from tests.attendance.conftest import FIRST, add_pupil, past_sessions
from tests.conftest import World, sign_in


def radio(html: str, option_id: str) -> str:
    """The <input> element with the id."""
    found = re.search(rf'<input[^>]*id="{option_id}"[^>]*>', html)
    assert found, option_id
    return found.group(0)


def selects(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


def marks(db: OrmSession, session: Session) -> list[tuple[int, AttendanceStatus]]:
    return [
        (row.pupil_id, row.status)
        for row in db.scalars(
            sa.select(Attendance)
            .where(Attendance.session_id == session.id)
            .order_by(Attendance.pupil_id)
        )
    ]


def test_the_form_has_one_row_per_pupil_and_saving_twice_keeps_one_mark_each(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    (session,) = past_sessions(world.group, 1)
    other = add_pupil(world.group, "Nora")
    db_session.commit()
    sign_in(client, world.facilitator)
    url = f"/sessions/{session.id}/attendance"

    html = client.get(url).get_data(as_text=True)
    for pupil_id in (world.pupil.id, other.pupil_id):
        for index, status in enumerate(("present", "absent", "excused")):
            assert f'value="{status}"' in radio(html, f"status_{pupil_id}-{index}")
    assert world.pupil.full_name in html and other.pupil.full_name in html
    assert 'name="note"' in html

    data = {
        f"status_{world.pupil.id}": "present",
        f"status_{other.pupil_id}": "absent",
        "note": "Rolig økt.",
    }
    first = client.post(url, data=data)
    assert first.status_code == 302 and first.headers["Location"] == url
    second = client.post(url, data={**data, f"status_{other.pupil_id}": "excused"})
    assert second.status_code == 302
    assert marks(db_session, session) == sorted(
        [(world.pupil.id, AttendanceStatus.PRESENT), (other.pupil_id, AttendanceStatus.EXCUSED)]
    )
    db_session.refresh(session)
    assert session.status is SessionStatus.HELD and session.note == "Rolig økt."
    # The saved marks are shown checked when the form is opened again.
    html = client.get(url).get_data(as_text=True)
    assert "checked" in radio(html, f"status_{other.pupil_id}-2")
    assert "checked" not in radio(html, f"status_{other.pupil_id}-1")


def test_a_missing_mark_is_a_field_error_and_nothing_is_saved(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    (session,) = past_sessions(world.group, 1)
    other = add_pupil(world.group, "Nora")
    db_session.commit()
    sign_in(client, world.facilitator)
    response = client.post(
        f"/sessions/{session.id}/attendance",
        data={f"status_{world.pupil.id}": "present", f"status_{other.pupil_id}": "late"},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "mestring-error-summary" in html
    assert f'href="#status_{other.pupil_id}-0"' in html
    assert marks(db_session, session) == []


def test_future_and_cancelled_sessions_are_refused(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    (future,) = past_sessions(world.group, 1, start=now_utc() + timedelta(days=3))
    (cancelled,) = past_sessions(world.group, 1)
    cancelled.status = SessionStatus.CANCELLED
    db_session.commit()
    sign_in(client, world.facilitator)
    data = {f"status_{world.pupil.id}": "present"}
    for session in (future, cancelled):
        page = client.get(f"/sessions/{session.id}/attendance")
        assert page.status_code == 200
        assert f'name="status_{world.pupil.id}"' not in page.get_data(as_text=True)
        assert client.post(f"/sessions/{session.id}/attendance", data=data).status_code == 409
        assert marks(db_session, session) == []


def test_a_facilitator_of_another_group_gets_404_for_its_attendance_and_notes(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    (session,) = past_sessions(world.group, 1)
    session.note = "Hemmelig notat om gruppa."
    session.status = SessionStatus.HELD
    db_session.commit()
    sign_in(client, world.facilitator_unassigned)
    for url in (
        f"/sessions/{session.id}/attendance",
        f"/groups/{world.group.id}/attendance",
        f"/sessions/{session.id}",
        f"/groups/{world.group.id}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Hemmelig notat" not in response.get_data(as_text=True)
    post = client.post(
        f"/sessions/{session.id}/attendance", data={f"status_{world.pupil.id}": "absent"}
    )
    assert post.status_code == 404
    assert marks(db_session, session) == []
    client.post("/logout")
    sign_in(client, world.facilitator)
    for url in (f"/sessions/{session.id}", f"/groups/{world.group.id}/attendance"):
        assert "Hemmelig notat" in client.get(url).get_data(as_text=True), url


def test_a_replaced_facilitator_sees_the_marks_but_cannot_change_them(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    (session,) = past_sessions(world.group, 1)
    session.substitutes.append(
        SessionSubstitute(replaced=world.facilitator, substitute=world.facilitator_unassigned)
    )
    db_session.commit()
    sign_in(client, world.facilitator)
    url = f"/sessions/{session.id}/attendance"
    assert 'type="radio"' not in client.get(url).get_data(as_text=True)
    assert client.post(url, data={f"status_{world.pupil.id}": "present"}).status_code == 403
    client.post("/logout")
    sign_in(client, world.facilitator_unassigned)
    assert client.post(url, data={f"status_{world.pupil.id}": "present"}).status_code == 302
    assert marks(db_session, session) == [(world.pupil.id, AttendanceStatus.PRESENT)]


def test_parent_meeting_asks_whether_a_guardian_came(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    (session,) = past_sessions(world.group, 1)
    session.guardians_attend = True
    db_session.commit()
    sign_in(client, world.facilitator)
    url = f"/sessions/{session.id}/attendance"
    assert f'name="guardian_{world.pupil.id}"' in client.get(url).get_data(as_text=True)
    assert client.post(url, data={f"status_{world.pupil.id}": "excused"}).status_code == 400
    data = {f"status_{world.pupil.id}": "excused", f"guardian_{world.pupil.id}": "yes"}
    assert client.post(url, data=data).status_code == 302
    row = db_session.scalars(sa.select(Attendance).where(Attendance.session_id == session.id)).one()
    assert row.guardian_present is True


def missed_twice(client: FlaskClient, world: World, db_session: OrmSession) -> list[Session]:
    """Four sessions held; the world's pupil missed the last two, a second pupil came to all."""
    world.group.status = GroupStatus.RUNNING
    sessions = past_sessions(world.group, 4)
    other = add_pupil(world.group, "Nora")
    db_session.commit()
    sign_in(client, world.facilitator)
    for session, status in zip(sessions, ("present", "present", "absent", "excused"), strict=True):
        data = {f"status_{world.pupil.id}": status, f"status_{other.pupil_id}": "present"}
        assert client.post(f"/sessions/{session.id}/attendance", data=data).status_code == 302
    client.post("/logout")
    return sessions


def test_the_flag_shows_on_the_group_attendance_page_and_the_coordinators_start_page(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    missed_twice(client, world, db_session)
    sign_in(client, world.coordinator)
    group_page = client.get(f"/groups/{world.group.id}").get_data(as_text=True)
    assert f'href="/groups/{world.group.id}/attendance"' in group_page
    attendance = client.get(f"/groups/{world.group.id}/attendance").get_data(as_text=True)
    assert f'data-flagged-pupil="{world.pupil.id}"' in attendance
    assert attendance.count("data-flagged-pupil=") == 1
    assert 'data-flag="missed_in_a_row"' in attendance
    start = client.get("/").get_data(as_text=True)
    assert world.pupil.full_name in start and 'data-flag="missed_in_a_row"' in start
    assert "Nora" not in start
    client.post("/logout")
    sign_in(client, world.coordinator_other)
    assert world.pupil.full_name not in client.get("/").get_data(as_text=True)


def test_facilitator_start_page_lists_sessions_missing_attendance(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    done, waiting = past_sessions(world.group, 2)
    db_session.commit()
    sign_in(client, world.facilitator)
    data = {f"status_{world.pupil.id}": "present"}
    client.post(f"/sessions/{done.id}/attendance", data=data)
    html = client.get("/").get_data(as_text=True)
    assert f'data-missing-session="{waiting.id}"' in html
    assert f'data-missing-session="{done.id}"' not in html
    assert f'href="/sessions/{waiting.id}/attendance"' in html


def test_facilitator_start_page_shows_place_co_leads_and_needs_with_few_queries(
    client: FlaskClient, world: World, db_session: OrmSession, count_queries: Any
) -> None:
    from tests import factories as f

    world.referral.travel_needs = "Hentes av taxi"
    world.group.video_link = "https://video.example.no/gruppe"
    co_lead = f.AssignmentFactory(group=world.group, user=world.facilitator_unassigned).user
    co_lead_id, facilitator_id, co_lead_name = co_lead.id, world.facilitator.id, co_lead.name
    start = now_utc() + timedelta(days=2)
    upcoming = f.SessionFactory(group=world.group, title="Neste", starts_at=start).id
    db_session.commit()
    sign_in(client, world.facilitator)
    db_session.expunge_all()
    with count_queries() as few:
        html = client.get("/").get_data(as_text=True)
    assert f'data-next-session="{upcoming}"' in html
    assert "Hentes av taxi" in html and co_lead_name in html
    district = db_session.get(type(co_lead), co_lead_id).district
    facilitator = db_session.get(type(co_lead), facilitator_id)
    for n in range(3):
        group = f.GroupFactory(district=district)
        f.AssignmentFactory(group=group, user=facilitator)
        f.MembershipFactory(group=group)
        f.SessionFactory(group=group, starts_at=start + timedelta(days=n))
    db_session.commit()
    db_session.expunge_all()
    with count_queries() as many:
        assert client.get("/").status_code == 200
    assert len(selects(many)) == len(selects(few)), many


def test_the_roster_shows_the_worry_only_when_shared(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    from tests import factories as f

    f.GuardianFactory(pupil=world.pupil, name="Kari Nordmann", phone="+47 400 11 222")
    world.referral.worry_text = "Vondt i magen om morgenen."
    world.referral.other_needs = "Nøtteallergi"
    db_session.commit()
    sign_in(client, world.facilitator)
    for url in (f"/groups/{world.group.id}", f"/groups/{world.group.id}/attendance"):
        html = client.get(url).get_data(as_text=True)
        assert "Kari Nordmann" in html and "+47 400 11 222" in html and "Nøtteallergi" in html
        assert "Vondt i magen" not in html
    world.referral.worry_shared = True
    db_session.commit()
    for url in (f"/groups/{world.group.id}", f"/groups/{world.group.id}/attendance"):
        assert "Vondt i magen" in client.get(url).get_data(as_text=True)


def test_the_attendance_pages_run_as_many_queries_with_more_pupils_and_sessions(
    client: FlaskClient, world: World, db_session: OrmSession, count_queries: Any
) -> None:
    """The view's audit event is committed after rendering: nothing is reloaded row by row."""
    first, *_rest = past_sessions(world.group, 2)
    db_session.commit()
    sign_in(client, world.coordinator)
    group_id = world.group.id
    urls = [f"/sessions/{first.id}/attendance", f"/groups/{group_id}/attendance"]

    def counts() -> list[int]:
        found = []
        for url in urls:
            db_session.expunge_all()
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            found.append(len(selects(statements)))
        return found

    few = counts()
    group = db_session.get(Group, group_id)
    assert group is not None
    for name in ("Nora", "Emil", "Sara"):
        add_pupil(group, name)
    past_sessions(group, 3, start=FIRST + timedelta(weeks=2))
    db_session.commit()
    assert counts() == few
