"""iCalendar: built by pure functions, parsed back; personal feeds behind a secret token."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask.testing import FlaskClient
from icalendar import Calendar, Component
from sqlalchemy.orm import Session as OrmSession

from mestring.core.time import OSLO
from mestring.groups.enums import SessionMode
from mestring.referrals.models import Guardian, Pupil
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.ical import SessionEvent, calendar_ics
from mestring.scheduling.models import Session
from mestring.scheduling.services import hash_feed_token, new_feed_token
from tests import factories as f
from tests.conftest import World, sign_in

STAMP = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
# 13:00 in Oslo in winter (CET) and in summer (CEST).
WINTER = datetime(2027, 2, 2, 12, 0, tzinfo=UTC)
SUMMER = datetime(2027, 4, 6, 11, 0, tzinfo=UTC)


def parse(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def ics(sessions: list[Session], *, domain: str = "x") -> bytes:
    """The sessions' calendar file as feeds and downloads write it."""
    events = [SessionEvent.of(session) for session in sessions]
    return calendar_ics(events, name="Plan", domain=domain, stamp=STAMP)


def events_by_uid(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def plan(world: World, db_session: OrmSession) -> tuple[Session, Session]:
    """The world's session made physical in a room, and a digital one in summer time."""
    world.group.name = "Mestringsgruppe Ullern"
    world.session.title = "Velkommen"
    world.session.venue = f.VenueFactory(
        district=world.group.district, name="Bestum skole, rom 2", address="Bestumveien 1"
    )
    digital = f.SessionFactory(
        group=world.group,
        title="Tanker og følelser",
        mode=SessionMode.DIGITAL,
        video_link="https://video.example.no/abc",
        starts_at=SUMMER,
        ends_at=SUMMER + timedelta(minutes=60),
    )
    db_session.flush()
    return world.session, digital


def test_events_have_oslo_times_places_and_no_pupil_data(
    world: World, db_session: OrmSession
) -> None:
    physical, digital = plan(world, db_session)
    f.GuardianFactory(pupil=world.pupil)
    body = ics([physical, digital], domain="test.example")
    parsed = parse(body)

    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Oslo"]
    events = events_by_uid(parsed)
    assert set(events) == {
        f"session-{physical.id}@test.example",
        f"session-{digital.id}@test.example",
    }

    first = events[f"session-{physical.id}@test.example"]
    assert first["DTSTART"].params["TZID"] == "Europe/Oslo"
    start = first.decoded("DTSTART")
    assert start == datetime(2027, 2, 2, 13, 0, tzinfo=OSLO)
    assert start.utcoffset() == timedelta(hours=1)
    assert first.decoded("DTEND") == datetime(2027, 2, 2, 14, 30, tzinfo=OSLO)
    assert str(first["LOCATION"]) == "Bestum skole, rom 2, Bestumveien 1"
    assert str(first["SUMMARY"]) == "Mestringsgruppe Ullern: Velkommen"
    assert world.facilitator.name in str(first["DESCRIPTION"])
    assert "URL" not in first

    second = events[f"session-{digital.id}@test.example"]
    assert second.decoded("DTSTART") == datetime(2027, 4, 6, 13, 0, tzinfo=OSLO)
    assert second.decoded("DTSTART").utcoffset() == timedelta(hours=2)
    assert str(second["LOCATION"]) == "Digitalt"
    assert str(second["URL"]) == "https://video.example.no/abc"
    assert "https://video.example.no/abc" in str(second["DESCRIPTION"])

    assert_no_pupil_data(db_session, body)


def assert_no_pupil_data(db_session: OrmSession, body: bytes) -> None:
    """No name of any pupil or guardian in the test data appears in the calendar."""
    text = body.decode()
    unfolded = re.sub(r"\r\n[ \t]", "", text)
    pupils = db_session.scalars(sa.select(Pupil)).all()
    guardians = db_session.scalars(sa.select(Guardian)).all()
    assert pupils
    for pupil in pupils:
        for value in (pupil.first_name, pupil.last_name, pupil.full_name, pupil.pupil_ref):
            assert value and value not in unfolded, value
    for guardian in guardians:
        assert guardian.name not in unfolded


def test_the_time_zone_covers_the_years_of_the_events_with_oslos_offsets(
    world: World, db_session: OrmSession
) -> None:
    physical, digital = plan(world, db_session)
    digital.starts_at = datetime(2028, 6, 6, 11, 0, tzinfo=UTC)
    digital.ends_at = digital.starts_at + timedelta(minutes=60)
    db_session.flush()
    parsed = parse(ics([physical, digital]))

    [timezone] = parsed.walk("VTIMEZONE")
    assert "from 2027-01-01 to 2029-01-01" in str(timezone["COMMENT"])
    zone = timezone.to_tz()
    for moment in (physical.starts_at, physical.ends_at, digital.starts_at, digital.ends_at):
        local = moment.astimezone(OSLO).replace(tzinfo=None)
        assert zone.utcoffset(local) == moment.astimezone(OSLO).utcoffset()
    # Every change of offset in those years is there, and none of other years.
    changes = sorted(
        start.year
        for observance in timezone.walk()
        if observance.name in ("STANDARD", "DAYLIGHT")
        for start in [observance.decoded("DTSTART"), *rdates(observance)]
    )
    assert changes == [2027, 2027, 2027, 2028, 2028]


def rdates(observance: Component) -> list[datetime]:
    """The further start times of a time zone observance (one RDATE line here)."""
    rdate = observance.get("RDATE")
    return [] if rdate is None else [value.dt for value in rdate.dts]


def test_sequence_grows_with_each_change_and_cancelled_is_cancelled(
    world: World, db_session: OrmSession
) -> None:
    session = world.session

    def sequence() -> int:
        event = parse(ics([session])).walk("VEVENT")[0]
        return int(event["SEQUENCE"])

    assert sequence() == 0
    session.starts_at += timedelta(days=1)
    session.ends_at += timedelta(days=1)
    db_session.flush()
    assert sequence() == 1
    session.status = SessionStatus.CANCELLED
    db_session.flush()
    assert sequence() == 2
    event = parse(ics([session])).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"session-{session.id}@x"


def test_personal_feed_holds_the_facilitators_sessions_and_no_pupil_names(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    physical, digital = plan(world, db_session)
    other_group = f.GroupFactory(district=world.group.district)
    not_theirs = f.SessionFactory(group=other_group, starts_at=WINTER)
    # Pupils in both groups, with guardians.
    f.MembershipFactory(group=other_group)
    f.GuardianFactory(pupil=world.pupil, name="Kari Nordmann")
    token = new_feed_token(db_session, user=world.facilitator)
    db_session.flush()

    response = client.get(f"/calendar/feed/{token}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    events = events_by_uid(parse(response.data))
    domain = "mestring.oslo.kommune.no"
    assert set(events) == {f"session-{physical.id}@{domain}", f"session-{digital.id}@{domain}"}
    assert f"session-{not_theirs.id}@{domain}" not in events
    assert_no_pupil_data(db_session, response.data)


def test_coordinators_feed_holds_the_districts_sessions(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    other_group = f.GroupFactory(district=world.group.district)
    f.SessionFactory(group=other_group)
    f.SessionFactory(group=f.GroupFactory(district=world.other_school.district))
    token = new_feed_token(db_session, user=world.coordinator)
    response = client.get(f"/calendar/feed/{token}.ics")
    assert len(parse(response.data).walk("VEVENT")) == 2


def test_the_token_is_stored_hashed_and_a_new_link_revokes_the_old(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    old = new_feed_token(db_session, user=world.facilitator)
    assert world.facilitator.calendar_token == hash_feed_token(old)
    assert old not in world.facilitator.calendar_token
    assert len(world.facilitator.calendar_token) == 64
    db_session.commit()

    sign_in(client, world.facilitator)
    page = client.post("/calendar/feed-link")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    match = re.search(r"/calendar/feed/([A-Za-z0-9_-]+)\.ics", html)
    assert match
    new = match[1]
    assert new != old
    client.post("/logout")

    assert client.get(f"/calendar/feed/{old}.ics").status_code == 404
    assert client.get(f"/calendar/feed/{new}.ics").status_code == 200
    assert client.get(f"/calendar/feed/{new[:-1]}.ics").status_code == 404


def test_a_revoked_link_answers_404(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    token = new_feed_token(db_session, user=world.facilitator)
    db_session.commit()
    sign_in(client, world.facilitator)
    response = client.post("/calendar/feed-link/revoke")
    assert response.status_code == 302
    assert world.facilitator.calendar_token is None
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_an_inactive_users_feed_answers_404(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    token = new_feed_token(db_session, user=world.facilitator)
    world.facilitator.active = False
    db_session.flush()
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_session_and_plan_downloads(
    client: FlaskClient, world: World, db_session: OrmSession
) -> None:
    physical, _digital = plan(world, db_session)
    db_session.commit()
    sign_in(client, world.facilitator)
    one = client.get(f"/sessions/{physical.id}.ics")
    assert one.status_code == 200
    assert one.headers["Content-Disposition"] == f'attachment; filename="samling-{physical.id}.ics"'
    assert len(parse(one.data).walk("VEVENT")) == 1
    whole = client.get(f"/groups/{world.group.id}/plan.ics")
    events = parse(whole.data).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [
        "Mestringsgruppe Ullern: Velkommen",
        "Mestringsgruppe Ullern: Tanker og følelser",
    ]
    assert_no_pupil_data(db_session, whole.data)
