"""The cheaper ways of writing calendar files write what the library's own ways wrote."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy.orm import Session as OrmSession

from mestring.core.time import OSLO
from mestring.groups.enums import SessionMode
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.ical import (
    DIGITAL_LOCATION,
    build_calendar,
    calendar_ics,
    dtstamp,
    facilitator_names,
    session_event,
    session_uid,
    to_ics,
)
from mestring.scheduling.models import Session
from tests import factories as f
from tests.conftest import World

STAMP = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
WINTER = datetime(2027, 12, 30, 12, 0, tzinfo=UTC)
SUMMER = datetime(2028, 4, 6, 11, 0, tzinfo=UTC)


def event_by_add(
    session: Session, *, facilitator_names: Iterable[str], domain: str, stamp: datetime
) -> Event:
    """The event as ``session_event`` made it before, by ``Event.add`` (the reference)."""
    event = Event()
    event.add("uid", session_uid(session, domain))
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at.astimezone(OSLO))
    event.add("dtend", session.ends_at.astimezone(OSLO))
    event.add("summary", f"{session.group.name}: {session.title}")
    event.add("sequence", max(session.version_id - 1, 0))
    description = [session.title]
    names = ", ".join(facilitator_names)
    if names:
        description.append(f"Kursledere: {names}")
    if session.mode is SessionMode.DIGITAL:
        event.add("location", DIGITAL_LOCATION)
        if session.video_link:
            event.add("url", session.video_link)
            description.append(f"Videomøte: {session.video_link}")
    elif session.venue is not None:
        location = session.venue.name
        if session.venue.address:
            location = f"{location}, {session.venue.address}"
        event.add("location", location)
    if session.status is SessionStatus.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    event.add("description", "\n".join(description))
    return event


def sessions(world: World, db_session: OrmSession) -> list[Session]:
    """In a room, digital with a link, cancelled, across years, with long and escaped texts."""
    world.group.name = "Mestringsgruppe Ullern; ungdomsskole, 13–15 år"
    world.session.title = "Velkommen, og bli kjent: " + "æøå" * 20
    world.session.starts_at = WINTER
    world.session.ends_at = WINTER + timedelta(hours=1)
    world.session.venue = f.VenueFactory(
        district=world.group.district, name="Bestum skole, rom 2", address="Bestumveien 1"
    )
    digital = f.SessionFactory(
        group=world.group,
        title="Tanker\\og følelser;" + "x" * 80,
        mode=SessionMode.DIGITAL,
        video_link="https://video.example.no/" + "abc" * 30,
        starts_at=SUMMER,
        ends_at=SUMMER + timedelta(minutes=60),
    )
    cancelled = f.SessionFactory(
        group=world.group,
        title="Avlyst",
        status=SessionStatus.CANCELLED,
        starts_at=SUMMER + timedelta(days=7),
        ends_at=SUMMER + timedelta(days=7, minutes=60),
    )
    db_session.flush()
    cancelled.title = "Avlyst samling"
    db_session.flush()
    return [world.session, digital, cancelled]


def test_events_are_what_add_made(world: World, db_session: OrmSession) -> None:
    for session in sessions(world, db_session):
        names = facilitator_names(session)
        made = session_event(session, facilitator_names=names, domain="x", stamp=dtstamp(STAMP))
        reference = event_by_add(session, facilitator_names=names, domain="x", stamp=STAMP)
        assert made.to_ical() == reference.to_ical()
        assert made == reference


def test_to_ics_writes_what_to_ical_writes(world: World, db_session: OrmSession) -> None:
    calendar = build_calendar(sessions(world, db_session), name="Plan", domain="x", stamp=STAMP)
    body = to_ics(calendar)
    assert body == calendar.to_ical()
    # The test means something only if some lines were folded, at a multibyte character too.
    assert b"\r\n " in body
    assert "æøå".encode() in body


def test_a_line_of_74_octets_is_kept_and_one_of_75_folded() -> None:
    for length in (73, 74, 75, 76, 150):
        calendar = Calendar()
        calendar.add("x-wr-calname", "n" * (length - len("X-WR-CALNAME:")))
        assert to_ics(calendar) == calendar.to_ical(), length


def test_calendar_ics_writes_the_built_calendar(world: World, db_session: OrmSession) -> None:
    planned = sessions(world, db_session)
    for chosen in (planned, planned[:1], []):
        built = build_calendar(chosen, name="Plan – Ullern", domain="x", stamp=STAMP)
        body = calendar_ics(chosen, name="Plan – Ullern", domain="x", stamp=STAMP)
        assert body == built.to_ical()
    assert body.count(b"BEGIN:VTIMEZONE") == 0
    assert calendar_ics(planned, name="P", domain="x", stamp=STAMP).count(b"BEGIN:VTIMEZONE") == 1
