"""The cheaper ways of writing calendar files write what the library's own ways wrote."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event
from icalendar.parser import Contentline
from icalendar.prop import vText
from sqlalchemy.orm import Session as OrmSession

from mestring.core.time import OSLO
from mestring.groups.enums import SessionMode
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.ical import (
    DIGITAL_LOCATION,
    SessionEvent,
    build_calendar,
    calendar_ics,
    dtstamp,
    escape_text,
    facilitator_names,
    fold,
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
    event.add("uid", session_uid(session.id, domain))
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
    """In a room, digital with a link, cancelled, across years, with long and escaped texts;
    physical without a room, digital without a link."""
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
    roomless = f.SessionFactory(
        group=world.group,
        title="Uten rom",
        mode=SessionMode.PHYSICAL,
        venue=None,
        starts_at=SUMMER + timedelta(days=14),
        ends_at=SUMMER + timedelta(days=14, minutes=90),
    )
    linkless = f.SessionFactory(
        group=world.group,
        title="Digitalt, uten lenke",
        mode=SessionMode.DIGITAL,
        video_link="",
        starts_at=SUMMER + timedelta(days=21),
        ends_at=SUMMER + timedelta(days=21, minutes=60),
    )
    db_session.flush()
    cancelled.title = "Avlyst samling"
    db_session.flush()
    return [world.session, digital, cancelled, roomless, linkless]


def events(world: World, db_session: OrmSession) -> list[SessionEvent]:
    return [SessionEvent.of(session) for session in sessions(world, db_session)]


def test_events_are_what_add_made(world: World, db_session: OrmSession) -> None:
    for session in sessions(world, db_session):
        made = session_event(SessionEvent.of(session), domain="x", stamp=dtstamp(STAMP))
        reference = event_by_add(
            session, facilitator_names=facilitator_names(session), domain="x", stamp=STAMP
        )
        assert made.to_ical() == reference.to_ical()
        assert made == reference


def test_to_ics_writes_what_to_ical_writes(world: World, db_session: OrmSession) -> None:
    calendar = build_calendar(events(world, db_session), name="Plan", domain="x", stamp=STAMP)
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
    planned = events(world, db_session)
    for chosen in (planned, planned[:1], planned[1:2], []):
        built = build_calendar(chosen, name="Plan – Ullern", domain="x", stamp=STAMP)
        body = calendar_ics(chosen, name="Plan – Ullern", domain="x", stamp=STAMP)
        assert body == built.to_ical()
    assert body.count(b"BEGIN:VTIMEZONE") == 0
    assert calendar_ics(planned, name="P", domain="x", stamp=STAMP).count(b"BEGIN:VTIMEZONE") == 1


def test_calendar_ics_writes_names_and_texts_that_need_escaping_and_folding(
    world: World, db_session: OrmSession
) -> None:
    event = SessionEvent.of(sessions(world, db_session)[0])
    for title in ("a\\Nb\r\nc\rd\ne", "x" * 60 + "\\" + "y" * 40, "^" * 200, "ø" * 100):
        for names in ((), ("Ås, Kari",), ("Per; Pål", "Espen\\" * 20)):
            changed = replace(event, title=title, facilitator_names=names)
            built = build_calendar([changed], name="Plan", domain="x", stamp=STAMP)
            assert calendar_ics([changed], name="Plan", domain="x", stamp=STAMP) == built.to_ical()


def test_escape_text_is_vtext() -> None:
    for text in ("", "plain", "a,b;c\\d", "\\N and \\n", "one\ntwo\r\nthree\rfour", "æøå, 😀"):
        assert escape_text(text).encode() == vText(text).to_ical(), text


def test_fold_is_the_librarys_folding() -> None:
    """Random lines of one- to four-octet characters and escapes, around the folding length."""
    pick = random.Random(5545)
    alphabet = "abc XYZ019\\^;,:æøåÆØÅ–€😀"
    for _ in range(3000):
        text = "".join(pick.choice(alphabet) for _ in range(pick.randint(1, 260)))
        if len(text.encode()) < 75:
            continue
        assert fold(text.encode()) == Contentline(text).to_ical(), text
