"""iCalendar built by pure functions: one event per session, in Europe/Oslo, no pupil data.

Events carry the group's name, the session's title, time, place or video link and its
facilitators. Nothing about pupils is ever passed in, so nothing about them can come out.

``build_calendar`` makes a calendar with the icalendar library; ``calendar_ics`` writes the
same bytes for the many events of feeds and plans, with the library writing the calendar's own
lines and time zone and the events' lines written here (see ``event_lines``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class SessionEvent:
    """What a session's event shows, read from a session object or from plain rows."""

    session_id: int
    group_name: str
    title: str
    starts_at: datetime
    ends_at: datetime
    version_id: int
    mode: SessionMode
    status: SessionStatus
    video_link: str
    venue_name: str | None
    venue_address: str | None
    facilitator_names: Sequence[str]

    @classmethod
    def of(cls, session: Session) -> SessionEvent:
        """The session's event; its group, facilitators (with users), substitutes and venue
        must be loaded."""
        venue = session.venue
        return cls(
            session_id=session.id,
            group_name=session.group.name,
            title=session.title,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            version_id=session.version_id,
            mode=session.mode,
            status=session.status,
            video_link=session.video_link,
            venue_name=venue.name if venue is not None else None,
            venue_address=venue.address if venue is not None else None,
            facilitator_names=facilitator_names(session),
        )

    @property
    def summary(self) -> str:
        return f"{self.group_name}: {self.title}"

    @property
    def sequence(self) -> int:
        return max(self.version_id - 1, 0)

    @property
    def location(self) -> str | None:
        if self.mode is SessionMode.DIGITAL:
            return DIGITAL_LOCATION
        if self.venue_name is None:
            return None
        if self.venue_address:
            return f"{self.venue_name}, {self.venue_address}"
        return self.venue_name

    @property
    def url(self) -> str | None:
        """The video link of a digital session that has one."""
        if self.mode is SessionMode.DIGITAL and self.video_link:
            return self.video_link
        return None

    @property
    def description(self) -> str:
        description = [self.title]
        names = ", ".join(self.facilitator_names)
        if names:
            description.append(f"Kursledere: {names}")
        if self.url:
            description.append(f"Videomøte: {self.url}")
        return "\n".join(description)

    @property
    def event_status(self) -> str:
        return "CANCELLED" if self.status is SessionStatus.CANCELLED else "CONFIRMED"


def session_uid(session_id: int, domain: str) -> str:
    """Stable for the life of the session, whatever changes."""
    return f"session-{session_id}@{domain}"


def session_event(event: SessionEvent, *, domain: str, stamp: vDDDTypes) -> Event:
    """The session's event made with the library. ``stamp`` is the calendar's DTSTAMP (see
    ``dtstamp``).

    Each value is made as the property type that ``Event.add`` would choose for it, and set
    directly: ``add`` would look the type up and infer it again for every property."""
    made = Event()
    made["UID"] = vText(session_uid(event.session_id, domain))
    made["DTSTAMP"] = stamp
    made["DTSTART"] = vDDDTypes(event.starts_at.astimezone(OSLO))
    made["DTEND"] = vDDDTypes(event.ends_at.astimezone(OSLO))
    made["SUMMARY"] = vText(event.summary)
    made["SEQUENCE"] = vInt(event.sequence)
    location = event.location
    if location is not None:
        made["LOCATION"] = vText(location)
    if event.url is not None:
        made["URL"] = vUri(event.url)
    made["STATUS"] = vText(event.event_status)
    made["DESCRIPTION"] = vText(event.description)
    return made


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
    events: Iterable[SessionEvent], *, name: str, domain: str, stamp: datetime
) -> Calendar:
    """A calendar of the events with the Europe/Oslo VTIMEZONE of the years they fall in, made
    with the library: what ``calendar_ics`` writes."""
    calendar = calendar_head(name)
    stamp_property = dtstamp(stamp)
    events = list(events)
    for event in events:
        calendar.add_component(session_event(event, domain=domain, stamp=stamp_property))
    years = event_years(events)
    if years:
        calendar.subcomponents.insert(0, oslo_timezone(min(years), max(years)))
    return calendar


def calendar_ics(
    events: Iterable[SessionEvent], *, name: str, domain: str, stamp: datetime
) -> bytes:
    """``build_calendar(...).to_ical()``, byte for byte: the calendar's own lines and its time
    zone (written once per span of years) by the library, each event's lines by
    ``event_lines``."""
    events = list(events)
    head = ics_lines(calendar_head(name))
    stamp_line = content_line_bytes(Contentline.from_parts("DTSTAMP", *_params(dtstamp(stamp))))
    lines = head[:-1]
    years = event_years(events)
    if years:
        lines.append(oslo_timezone_ics(min(years), max(years)))
    for event in events:
        lines.extend(event_lines(event, domain=domain, stamp_line=stamp_line))
    lines.append(head[-1])
    return b"".join(lines)


def _params(value: object) -> tuple[Parameters, object]:
    """A property's parameters (the shared empty ones if it has none) and the property, as
    ``Contentline.from_parts`` takes them."""
    return cast(Parameters, getattr(value, "params", NO_PARAMETERS)), value


def calendar_head(name: str) -> Calendar:
    """The calendar's properties, without events or time zone."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Oslo")
    return calendar


def event_years(events: Iterable[SessionEvent]) -> set[int]:
    """The years the events fall in, in Oslo."""
    years: set[int] = set()
    for event in events:
        years.update((event.starts_at.astimezone(OSLO).year, event.ends_at.astimezone(OSLO).year))
    return years


BEGIN_EVENT = b"BEGIN:VEVENT\r\n"
END_EVENT = b"END:VEVENT\r\n"


def event_lines(event: SessionEvent, *, domain: str, stamp_line: bytes) -> list[bytes]:
    """The event's lines as ``session_event(event, ...).to_ical()`` writes them, each with its
    line break; ``stamp_line`` is the calendar's DTSTAMP line.

    The lines come in the order the library writes them (``Event.canonical_order``, then the
    others by name), each value as its property type writes it: TEXT escaped, DATE-TIME in
    Oslo with its TZID, URI and INTEGER as they are. Written here rather than by the library,
    which makes a property object, a parameter dictionary and a content line for each."""
    lines = [
        BEGIN_EVENT,
        _line(f"SUMMARY:{escape_text(event.summary)}"),
        _line(f"DTSTART;TZID=Europe/Oslo:{oslo_time(event.starts_at)}"),
        _line(f"DTEND;TZID=Europe/Oslo:{oslo_time(event.ends_at)}"),
        stamp_line,
        _line(f"UID:{escape_text(session_uid(event.session_id, domain))}"),
        _line(f"SEQUENCE:{event.sequence}"),
        _line(f"DESCRIPTION:{escape_text(event.description)}"),
    ]
    location = event.location
    if location is not None:
        lines.append(_line(f"LOCATION:{escape_text(location)}"))
    lines.append(_line(f"STATUS:{event.event_status}"))
    url = event.url
    if url is not None:
        lines.append(_line(f"URL:{url}"))
    lines.append(END_EVENT)
    return lines


def escape_text(text: str) -> str:
    """A TEXT value as ``vText.to_ical`` escapes it (RFC 5545, 3.3.11); the order matters."""
    return (
        text.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def oslo_time(moment: datetime) -> str:
    """A DATE-TIME in Oslo's wall-clock time as ``vDatetime.to_ical`` writes it."""
    local = moment.astimezone(OSLO)
    return (
        f"{local.year:04}{local.month:02}{local.day:02}"
        f"T{local.hour:02}{local.minute:02}{local.second:02}"
    )


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
# Each folded piece holds at most this many octets; the space that starts a continuation is
# not counted (as the library counts).
FOLD_PIECE = FOLD_AT - 1
FOLD = b"\r\n "
# The library never ends a folded piece with the first character of an escape (a TEXT
# backslash, an RFC 6868 caret): it moves it to the next piece.
ESCAPE_STARTS = b"\\^"


# Shared by every property without parameters; the library only reads it.
NO_PARAMETERS = Parameters()


def to_ics(component: Component) -> bytes:
    """``component.to_ical()``, byte for byte, made cheaper."""
    return b"".join(ics_lines(component))


def ics_lines(component: Component) -> list[bytes]:
    """The component's content lines as ``component.to_ical()`` writes them, each with its line
    break. As in ``Component.content_lines``, but without a new empty ``Parameters`` made for
    every line, whether it has parameters or not; and lines folded by ``fold``."""
    return [
        content_line_bytes(Contentline.from_parts(name, *_params(value)))
        for name, value in component.property_items()
    ]


def content_line_bytes(line: Contentline) -> bytes:
    """One content line as the library writes it, with its line break."""
    return _line(line)


def _line(text: str) -> bytes:
    """A content line's text encoded, folded and ended as the library writes it."""
    encoded = text.encode()
    if len(encoded) < FOLD_AT:
        return encoded + b"\r\n"
    return fold(encoded) + b"\r\n"


def fold(encoded: bytes) -> bytes:
    """An encoded content line folded as the library's ``Contentline.to_ical`` folds it: in
    pieces of as many whole characters as fit in ``FOLD_PIECE`` octets, none ending with the
    start of an escape. Octets are counted here rather than character by character."""
    pieces = []
    start = 0
    while len(encoded) - start > FOLD_PIECE:
        end = start + FOLD_PIECE
        # Back to the first octet of the character that does not fit (UTF-8 continuation
        # octets are 10xxxxxx).
        while encoded[end] & 0xC0 == 0x80:
            end -= 1
        if encoded[end - 1] in ESCAPE_STARTS:
            end -= 1
        pieces.append(encoded[start:end])
        start = end
    pieces.append(encoded[start:])
    return FOLD.join(pieces)
