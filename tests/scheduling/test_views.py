"""The plan page, session changes with conflicts, calendars and the closed-period admin."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring.core.time import OSLO
from mestring.groups.enums import SessionMode
from mestring.scheduling.enums import ClosedPeriodKind, SessionStatus
from mestring.scheduling.models import ClosedPeriod, Session, SessionChange
from tests import factories as f
from tests.conftest import World, sign_in
from tests.scheduling.conftest import weekly_template
from tests.text import nb

# The world's session: Tuesday 2 February 2027, 13:00–14:30 in Oslo.
START = datetime(2027, 2, 2, 12, 0, tzinfo=UTC)


def busy_elsewhere(world: World, starts_at: datetime = START) -> Session:
    """A session of another group that the world's facilitator also leads."""
    other = f.GroupFactory(district=world.group.district, name="Gruppe Lysejordet")
    f.AssignmentFactory(group=other, user=world.facilitator)
    return f.SessionFactory(group=other, title="Problemløsning", starts_at=starts_at)


def edit_data(session: Session, **changes: Any) -> dict[str, Any]:
    data = {
        "version": str(session.version_id),
        "day": "2027-02-02",
        "starts": "13:00",
        "ends": "14:30",
        "mode": "physical",
        "venue": str(session.venue_id or 0),
        "video_link": "",
    }
    data.update(changes)
    return data


# --- Plan -------------------------------------------------------------------------------------


def test_plan_page_shows_sessions_with_their_conflicts(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    busy_elsewhere(world)
    db_session.commit()
    sign_in(client, world.coordinator)
    html = client.get(f"/groups/{world.group.id}/plan").get_data(as_text=True)
    assert "Problemløsning" in html and "Gruppe Lysejordet" in html
    assert f'href="/sessions/{world.session.id}/edit"' in html
    assert f'action="/groups/{world.group.id}/plan/generate"' in html
    assert f'href="/groups/{world.group.id}/plan.ics"' in html


def test_facilitator_sees_the_plan_without_the_generate_form(
    client: FlaskClient, world: World
) -> None:
    sign_in(client, world.facilitator)
    html = client.get(f"/groups/{world.group.id}/plan").get_data(as_text=True)
    assert "/plan/generate" not in html
    assert f'href="/sessions/{world.session.id}/edit"' in html


def test_plan_page_runs_a_fixed_number_of_queries(
    client: FlaskClient, world: World, db_session: OrmSession, count_queries: Any
) -> None:
    sign_in(client, world.coordinator)
    url = f"/groups/{world.group.id}/plan"
    db_session.commit()
    with count_queries() as few:
        client.get(url)
    for week in range(1, 12):
        f.SessionFactory(group=world.group, starts_at=START + timedelta(weeks=week))
        busy_elsewhere(world, START + timedelta(weeks=week))
    db_session.commit()
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), (few, many)


def test_coordinator_generates_the_plan(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    world.group.template = weekly_template(3)
    db_session.commit()
    sign_in(client, world.coordinator)
    start = (datetime.now(OSLO).date() + timedelta(days=7)).isoformat()
    response = client.post(f"/groups/{world.group.id}/plan/generate", data={"start": start})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/groups/{world.group.id}/plan"
    sessions = db_session.scalars(
        sa.select(Session).where(Session.group_id == world.group.id)
    ).all()
    # The world's session ("Samling") had no attendance: it is replaced.
    assert [s.title for s in sessions] == ["Samling 1", "Samling 2", "Samling 3"]


def test_generating_from_a_past_date_shows_the_reason(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    world.group.template = weekly_template(3)
    db_session.commit()
    sign_in(client, world.coordinator)
    response = client.post(f"/groups/{world.group.id}/plan/generate", data={"start": "2020-01-06"})
    assert response.status_code == 400
    assert nb("The plan cannot start in the past.") in response.get_data(as_text=True)
    assert db_session.get(Session, world.session.id) is not None


# --- Session changes --------------------------------------------------------------------------


def test_moving_into_a_conflict_asks_for_confirmation_then_saves(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    busy_elsewhere(world, datetime(2027, 2, 4, 12, 0, tzinfo=UTC))
    world.session.venue = f.VenueFactory(district=world.group.district)
    db_session.commit()
    sign_in(client, world.coordinator)
    url = f"/sessions/{world.session.id}/edit"

    version = world.session.version_id
    first = client.post(url, data=edit_data(world.session, day="2027-02-04"))
    html = first.get_data(as_text=True)
    assert first.status_code == 409
    assert "Problemløsning" in html and 'name="accept_conflicts"' in html
    db_session.refresh(world.session)
    assert world.session.starts_at == START

    second = client.post(url, data=edit_data(world.session, day="2027-02-04", accept_conflicts="y"))
    assert second.status_code == 302
    db_session.refresh(world.session)
    assert world.session.starts_at == datetime(2027, 2, 4, 12, 0, tzinfo=UTC)
    assert world.session.version_id == version + 1
    change = db_session.scalars(
        sa.select(SessionChange).where(SessionChange.session_id == world.session.id)
    ).one()
    assert change.actor_id == world.coordinator.id
    assert change.summary.startswith(
        nb(
            "Moved from %(old)s to %(new)s.",
            old="tirsdag 2. februar 2027 kl. 13.00",
            new="torsdag 4. februar 2027 kl. 13.00",
        )
    )
    assert len(change.changes["accepted_conflicts"]) == 1
    # The conflict stays visible on the plan.
    plan = client.get(f"/groups/{world.group.id}/plan").get_data(as_text=True)
    assert "Problemløsning" in plan


def test_switching_to_digital_without_conflicts_saves_at_once(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    db_session.commit()
    sign_in(client, world.facilitator)
    response = client.post(
        f"/sessions/{world.session.id}/edit",
        data=edit_data(world.session, mode="digital", video_link="https://video.example.no/m"),
    )
    assert response.status_code == 302
    db_session.refresh(world.session)
    assert world.session.mode is SessionMode.DIGITAL
    assert world.session.video_link == "https://video.example.no/m"
    assert world.session.venue_id is None
    assert world.session.changes[0].summary == " ".join(
        [nb("Switched to digital."), nb("New video link.")]
    )


def test_a_stale_form_is_refused(client: FlaskClient, world: World, db_session: OrmSession) -> None:
    world.session.venue = f.VenueFactory(district=world.group.district)
    db_session.commit()
    sign_in(client, world.coordinator)
    stale = edit_data(world.session, day="2027-02-03", version="7")
    response = client.post(f"/sessions/{world.session.id}/edit", data=stale)
    assert response.status_code == 409
    assert nb(
        "Someone else changed the session after you opened it. Check and try again."
    ) in response.get_data(as_text=True)
    db_session.refresh(world.session)
    assert world.session.starts_at == START


def test_a_physical_session_needs_a_room(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    db_session.commit()
    sign_in(client, world.coordinator)
    response = client.post(f"/sessions/{world.session.id}/edit", data=edit_data(world.session))
    assert response.status_code == 400
    assert nb("Choose the room for a physical session.") in response.get_data(as_text=True)


def test_cancelling_records_the_reason(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    db_session.commit()
    sign_in(client, world.coordinator)
    response = client.post(
        f"/sessions/{world.session.id}/cancel",
        data={"version": str(world.session.version_id), "reason": "Kursleder syk"},
    )
    assert response.status_code == 302
    db_session.refresh(world.session)
    assert world.session.status is SessionStatus.CANCELLED
    cancelled = nb("Cancelled: %(reason)s", reason="Kursleder syk")
    assert world.session.changes[0].summary == cancelled
    detail = client.get(f"/sessions/{world.session.id}").get_data(as_text=True)
    assert cancelled in detail


def test_an_unassigned_facilitator_cannot_change_a_session(
    client: FlaskClient, world: World
) -> None:
    sign_in(client, world.facilitator_unassigned)
    assert client.get(f"/sessions/{world.session.id}/edit").status_code == 404


# --- Calendar ---------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["week", "month"])
def test_calendar_shows_the_users_sessions(
    client: FlaskClient, world: World, db_session: OrmSession, view: str
) -> None:
    world.session.title = "Følelsestermometeret"
    not_theirs = f.SessionFactory(
        group=f.GroupFactory(district=world.group.district), title="Ikke min", starts_at=START
    )
    db_session.commit()
    sign_in(client, world.facilitator)
    param = "week=2027-W05" if view == "week" else "month=2027-02"
    html = client.get(f"/calendar/{view}?{param}").get_data(as_text=True)
    assert "Følelsestermometeret" in html
    assert f"/sessions/{world.session.id}" in html
    assert f"/sessions/{not_theirs.id}" not in html
    assert "<table" in html


def test_coordinator_filters_the_calendar_by_group_and_facilitator(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    other = f.SessionFactory(group=f.GroupFactory(district=world.group.district), starts_at=START)
    db_session.commit()
    sign_in(client, world.coordinator)
    everything = client.get("/calendar/week?week=2027-W05").get_data(as_text=True)
    assert f"/sessions/{other.id}" in everything and f"/sessions/{world.session.id}" in everything
    by_group = client.get(f"/calendar/week?week=2027-W05&group={world.group.id}")
    assert f"/sessions/{other.id}" not in by_group.get_data(as_text=True)
    by_person = client.get(f"/calendar/month?month=2027-02&facilitator={world.facilitator.id}")
    html = by_person.get_data(as_text=True)
    assert f"/sessions/{world.session.id}" in html and f"/sessions/{other.id}" not in html


@pytest.mark.parametrize(
    "query",
    ["week=2027-W99", "week=garbage", "month=2027-13", "month=0000-01", "group=x&facilitator=-1"],
)
def test_calendar_falls_back_on_bad_input(client: FlaskClient, world: World, query: str) -> None:
    sign_in(client, world.coordinator)
    view = "month" if query.startswith("month") else "week"
    response = client.get(f"/calendar/{view}?{query}")
    assert response.status_code == 200
    assert "<table" in response.get_data(as_text=True)


# --- Closed periods ---------------------------------------------------------------------------


def test_admin_creates_edits_and_deletes_a_closed_period(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    db_session.commit()
    sign_in(client, world.admin)
    district_id = world.group.district_id
    response = client.post(
        "/closed-periods/new",
        data={
            "district": str(district_id),
            "kind": "other",
            "name": "Planleggingsdag",
            "starts_on": "2027-01-04",
            "ends_on": "2027-01-04",
        },
    )
    assert response.status_code == 302
    period = db_session.scalars(
        sa.select(ClosedPeriod).where(ClosedPeriod.name == "Planleggingsdag")
    ).one()
    assert (period.district_id, period.kind) == (district_id, ClosedPeriodKind.OTHER)
    assert "Planleggingsdag" in client.get("/closed-periods/").get_data(as_text=True)

    bad = client.post(
        f"/closed-periods/{period.id}/edit",
        data={
            "district": str(district_id),
            "kind": "other",
            "name": "Planleggingsdager",
            "starts_on": "2027-01-05",
            "ends_on": "2027-01-04",
        },
    )
    assert bad.status_code == 400
    assert nb("The last day cannot be before the first.") in bad.get_data(as_text=True)

    client.post(
        f"/closed-periods/{period.id}/edit",
        data={
            "district": str(district_id),
            "kind": "other",
            "name": "Planleggingsdager",
            "starts_on": "2027-01-04",
            "ends_on": "2027-01-05",
        },
    )
    db_session.refresh(period)
    assert (period.name, period.ends_on) == ("Planleggingsdager", date(2027, 1, 5))

    assert client.post(f"/closed-periods/{period.id}/delete").status_code == 302
    assert db_session.get(ClosedPeriod, period.id) is None


def test_holidays_command_loads_oslos_school_holidays_once(
    app: Flask, world: World, db_session: OrmSession
) -> None:
    runner = app.test_cli_runner()
    name = world.group.district.name
    first = runner.invoke(args=["mestring", "holidays", name])
    assert first.exit_code == 0, first.output
    assert "18 closed periods added" in first.output
    second = runner.invoke(args=["mestring", "holidays", name])
    assert "0 closed periods added" in second.output
    winter = db_session.scalars(
        sa.select(ClosedPeriod).where(
            ClosedPeriod.district_id == world.group.district_id,
            ClosedPeriod.kind == ClosedPeriodKind.WINTER,
            ClosedPeriod.starts_on == date(2027, 2, 22),
        )
    ).one()
    assert winter.ends_on == date(2027, 2, 26)
    missing = runner.invoke(args=["mestring", "holidays", "Bydel Atlantis"])
    assert missing.exit_code != 0


def test_account_page_offers_a_feed_link_to_staff_only(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    db_session.commit()
    sign_in(client, world.facilitator)
    html = client.get("/account").get_data(as_text=True)
    assert 'action="/calendar/feed-link"' in html
    assert "/calendar/feed-link/revoke" not in html
    client.post("/calendar/feed-link")
    html = client.get("/account").get_data(as_text=True)
    assert "/calendar/feed-link/revoke" in html
    assert "/calendar/feed/" not in html  # the secret link is shown only once
    client.post("/logout")
    sign_in(client, world.school)
    assert "/calendar/feed-link" not in client.get("/account").get_data(as_text=True)
