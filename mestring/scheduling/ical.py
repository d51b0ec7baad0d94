"""iCalendar built by pure functions: one event per session, in Europe/Oslo, no pupil data.

Events carry the group's name, the session's title, time, place or video link and its
facilitators. Nothing about pupils is ever passed in, so nothing about them can come out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import cast

from icalendar import Calendar, Component, Event, Timezone
from icalendar.parser import Contentline, Parameters
from icalendar.prop import vDDDTypes, vInt, vText, vUri

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
    session: Session, *, facilitator_names: Iterable[str], domain: str, stamp: vDDDTypes
) -> Event:
    """The session's event. ``stamp`` is the calendar's DTSTAMP (see ``dtstamp``).

    Each value is made as the property type that ``Event.add`` would choose for it, and set
    directly: ``add`` would look the type up and infer it again for every property."""
    event = Event()
    event["UID"] = vText(session_uid(session, domain))
    event["DTSTAMP"] = stamp
    event["DTSTART"] = vDDDTypes(session.starts_at.astimezone(OSLO))
    event["DTEND"] = vDDDTypes(session.ends_at.astimezone(OSLO))
    event["SUMMARY"] = vText(f"{session.group.name}: {session.title}")
    event["SEQUENCE"] = vInt(max(session.version_id - 1, 0))
    description = [session.title]
    names = ", ".join(facilitator_names)
    if names:
        description.append(f"Kursledere: {names}")
    if session.mode is SessionMode.DIGITAL:
        event["LOCATION"] = vText(DIGITAL_LOCATION)
        if session.video_link:
            event["URL"] = vUri(session.video_link)
            description.append(f"Videomøte: {session.video_link}")
    elif session.venue is not None:
        location = session.venue.name
        if session.venue.address:
            location = f"{location}, {session.venue.address}"
        event["LOCATION"] = vText(location)
    if session.status is SessionStatus.CANCELLED:
        event["STATUS"] = vText("CANCELLED")
    else:
        event["STATUS"] = vText("CONFIRMED")
    event["DESCRIPTION"] = vText("\n".join(description))
    return event


def dtstamp(stamp: datetime) -> vDDDTypes:
    """The DTSTAMP property of a calendar's events, made once for all of them by the library's
    own ``add`` (which puts it in UTC); a property is only read when written out."""
    stamped = Event()
    stamped.add("dtstamp", stamp)
    return cast(vDDDTypes, stamped["DTSTAMP"])


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
    calendar, years = events_calendar(sessions, name=name, domain=domain, stamp=stamp)
    if years:
        calendar.subcomponents.insert(0, oslo_timezone(min(years), max(years)))
    return calendar


def calendar_ics(sessions: Iterable[Session], *, name: str, domain: str, stamp: datetime) -> bytes:
    """``to_ics(build_calendar(...))``, byte for byte, with the VTIMEZONE written once per span
    of years rather than for every calendar."""
    calendar, years = events_calendar(sessions, name=name, domain=domain, stamp=stamp)
    lines = ics_lines(calendar)
    if years:
        # The time zone is the calendar's first component: it follows BEGIN:VCALENDAR and the
        # calendar's properties, one line each.
        after_properties = len(calendar.property_items(recursive=False)) - 1
        lines.insert(after_properties, oslo_timezone_ics(min(years), max(years)))
    return b"".join(lines)


def events_calendar(
    sessions: Iterable[Session], *, name: str, domain: str, stamp: datetime
) -> tuple[Calendar, set[int]]:
    """The calendar's properties and events, without a time zone; and the years the sessions
    fall in, in Oslo."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Oslo")
    years: set[int] = set()
    stamp_property = dtstamp(stamp)
    for session in sessions:
        calendar.add_component(
            session_event(
                session,
                facilitator_names=facilitator_names(session),
                domain=domain,
                stamp=stamp_property,
            )
        )
        years.update(
            (session.starts_at.astimezone(OSLO).year, session.ends_at.astimezone(OSLO).year)
        )
    return calendar, years


@lru_cache(maxsize=16)
def oslo_timezone(first_year: int, last_year: int) -> Timezone:
    """The Europe/Oslo VTIMEZONE from the first year's start to the last year's end, built once
    per span: the same for every calendar of those years, never changed. Its transitions in
    other years would only lengthen every feed."""
    return Timezone.from_tzid(
        "Europe/Oslo", first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )


@lru_cache(maxsize=16)
def oslo_timezone_ics(first_year: int, last_year: int) -> bytes:
    """``oslo_timezone`` as written in a calendar file, written once per span."""
    return to_ics(oslo_timezone(first_year, last_year))


# RFC 5545 folds lines of 75 octets or more (not counting the line break).
FOLD_AT = 75


# Shared by every property without parameters; the library only reads it.
NO_PARAMETERS = Parameters()


def to_ics(component: Component) -> bytes:
    """``component.to_ical()``, byte for byte, made cheaper."""
    return b"".join(ics_lines(component))


def ics_lines(component: Component) -> list[bytes]:
    """The component's content lines as ``component.to_ical()`` writes them, each with its line
    break. As in ``Component.content_lines``, but without a new empty ``Parameters`` made for
    every line, whether it has parameters or not; and lines too short to fold are only encoded
    (the library folds every line character by character, though few are long enough)."""
    return [
        content_line_bytes(
            Contentline.from_parts(
                name, cast(Parameters, getattr(value, "params", NO_PARAMETERS)), value
            )
        )
        for name, value in component.property_items()
    ]


def content_line_bytes(line: Contentline) -> bytes:
    """One content line as the library writes it, with its line break."""
    encoded = line.encode()
    if len(encoded) < FOLD_AT:
        return encoded + b"\r\n"
    return line.to_ical() + b"\r\n"
