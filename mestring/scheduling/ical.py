"""iCalendar built by pure functions: one event per session, in Europe/Oslo, no pupil data.

Events carry the group's name, the session's title, time, place or video link and its
facilitators. Nothing about pupils is ever passed in, so nothing about them can come out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache

from icalendar import Calendar, Event, Timezone
from icalendar.parser import Contentline

from mestring.core.time import OSLO
from mestring.groups.enums import SessionMode
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session

PRODID = "-//Oslo kommune//Mestring//NO"
DIGITAL_LOCATION = "Digitalt"


def session_uid(session: Session, domain: str) -> str:
    """Stable for the life of the session, whatever changes."""
    return f"session-{session.id}@{domain}"


def session_event(
    session: Session, *, facilitator_names: Iterable[str], domain: str, stamp: datetime
) -> Event:
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


def facilitator_names(session: Session) -> list[str]:
    """Names of those leading the session: assigned and not replaced, and substitutes."""
    replaced = {s.replaced_id for s in session.substitutes}
    names = [a.user.name for a in session.group.facilitators if a.user_id not in replaced]
    return names + [s.substitute.name for s in session.substitutes]


def build_calendar(
    sessions: Iterable[Session], *, name: str, domain: str, stamp: datetime
) -> Calendar:
    """A calendar of the sessions with the Europe/Oslo VTIMEZONE of the years they fall in.

    The sessions must have their group, facilitators (with users), substitutes and venue loaded.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Oslo")
    years: set[int] = set()
    for session in sessions:
        calendar.add_component(
            session_event(
                session, facilitator_names=facilitator_names(session), domain=domain, stamp=stamp
            )
        )
        years.update(
            (session.starts_at.astimezone(OSLO).year, session.ends_at.astimezone(OSLO).year)
        )
    if years:
        calendar.subcomponents.insert(0, oslo_timezone(min(years), max(years)))
    return calendar


@lru_cache(maxsize=16)
def oslo_timezone(first_year: int, last_year: int) -> Timezone:
    """The Europe/Oslo VTIMEZONE from the first year's start to the last year's end, built once
    per span: the same for every calendar of those years, never changed. Its transitions in
    other years would only lengthen every feed."""
    return Timezone.from_tzid(
        "Europe/Oslo", first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )


# RFC 5545 folds lines of 75 octets or more (not counting the line break).
FOLD_AT = 75


def to_ics(calendar: Calendar) -> bytes:
    """``calendar.to_ical()``, byte for byte, made cheaper: the library folds every content
    line character by character, though few are long enough to need it. Those that are not
    are only encoded; the rest are folded by the library."""
    return b"".join(content_line_bytes(line) for line in calendar.content_lines() if line)


def content_line_bytes(line: Contentline) -> bytes:
    """One content line as the library writes it, with its line break."""
    encoded = line.encode()
    if len(encoded) < FOLD_AT:
        return encoded + b"\r\n"
    return line.to_ical() + b"\r\n"
