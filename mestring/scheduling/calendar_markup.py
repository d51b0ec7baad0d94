"""The sessions of a calendar cell as markup, written in Python: a month has a cell for every
day and a macro call per cell was most of its rendering. Values are escaped as Jinja escapes
them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

from mestring.core import formatting, localized
from mestring.core.fragments import url_pattern
from mestring.groups.enums import SessionMode
from mestring.scheduling.calendar import Entry
from mestring.scheduling.enums import SessionStatus


def entries_writer() -> Callable[[Sequence[Entry]], Markup]:
    """Writes a cell's entries, each with its time, linked title, group and mode, cancelled
    ones struck; the request's language, the link to a session and the labels of modes and
    of the cancelled status are looked up once (a label is a lookup of the request's
    catalogue, as dear as the rest of an entry)."""
    language = localized.language()
    session_url = url_pattern("scheduling.session_detail", "session_id")
    modes = {mode: escape(mode.label) for mode in SessionMode}
    cancelled_status = f", {escape(str(SessionStatus.CANCELLED.label).lower())}"

    def entry(session: Entry) -> str:
        cancelled = session.status == "cancelled"
        url = session_url(session.id)
        status = cancelled_status if cancelled else ""
        # The moment and the clock times are digits and separators: nothing to escape.
        return (
            '<li class="mestring-calendar__entry'
            f'{" mestring-calendar__entry--cancelled" if cancelled else ""}">\n'
            f'  <time datetime="{session.starts_at.isoformat()}">'
            f"{formatting.clock(session.starts_at, language)}</time>–"
            f"{formatting.clock(session.ends_at, language)}\n"
            f'  <a class="pkt-link" href="{escape(url)}">'
            f"{escape(session.group_name)}: {escape(session.title)}</a>\n"
            f"  ({modes[session.mode]}{status})\n</li>"
        )

    def entries(sessions: Sequence[Entry]) -> Markup:
        if not sessions:
            return Markup("")
        items = "".join(entry(session) for session in sessions)
        return Markup(f'\n<ul class="mestring-calendar__entries">{items}\n</ul>')  # noqa: S704 (escaped)

    return entries
