"""Markup the shared macros write for every row or cell of a page, in Python: a Jinja macro
call costs more than the few tags it writes. Every value is escaped as Jinja escapes it, and
messages are marked safe and formatted as Jinja's new-style gettext does."""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Sequence
from datetime import datetime
from typing import Any

from flask import url_for
from markupsafe import Markup, escape

from mestring.core import localized
from mestring.core.translations import gettext as _

# Status value -> Punkt tag skin. The label always carries the meaning; colour only helps.
STATUS_SKINS = {
    "draft": "pkt-tag--grey",
    "submitted": "pkt-tag--blue-light",
    "needs_info": "pkt-tag--yellow",
    "accepted": "pkt-tag--beige",
    "waitlisted": "pkt-tag--beige",
    "placed": "pkt-tag--green",
    "active": "pkt-tag--green",
    "completed": "pkt-tag--blue-dark",
    "discontinued": "pkt-tag--red",
    "declined": "pkt-tag--red",
    "withdrawn": "pkt-tag--grey",
    "anonymised": "pkt-tag--grey",
    "planning": "pkt-tag--beige",
    "running": "pkt-tag--green",
    "finished": "pkt-tag--blue-dark",
    "cancelled": "pkt-tag--red",
    "planned": "pkt-tag--blue-light",
    "moved": "pkt-tag--yellow",
    "held": "pkt-tag--green",
    "present": "pkt-tag--green",
    "absent": "pkt-tag--red",
    "excused": "pkt-tag--yellow",
}
_UNSKINNED = "pkt-tag pkt-tag--small mestring-status"
_CELL = "pkt-table__data-cell"


# An id no row has: the URL built with it once is filled in with each row's id.
_SOME_ID = 2_147_483_647


def url_pattern(endpoint: str, field: str, **values: Any) -> Callable[[int], str]:
    """The URLs of ``endpoint`` for the ids in ``field``: built once, filled in per row, the same
    text as ``url_for`` gives for each id, without a routing lookup per row."""
    values = {**values, field: _SOME_ID}
    head, _marker, tail = url_for(endpoint, **values).partition(str(_SOME_ID))
    return lambda row_id: f"{head}{row_id}{tail}"


def status_tag(value: Any, label: Any) -> Markup:
    """A status as a small Punkt tag coloured by its value (`ui.status_badge`)."""
    skin = STATUS_SKINS.get(str(value))
    classes = f"pkt-tag pkt-tag--small {skin} mestring-status" if skin else _UNSKINNED
    return Markup('<span class="%s" data-status="%s">%s</span>') % (classes, value, label)


def link(url: str, text: Any) -> Markup:
    """A Punkt link, as a table cell holds one per row."""
    return Markup(f'<a class="pkt-link" href="{escape(url)}">{escape(text)}</a>')  # noqa: S704


def external_link(url: str, label: Any = None) -> Markup:
    """A link only for web addresses; anything else is shown as text, never as a link."""
    if url and url.startswith(("https://", "http://")):
        return Markup('<a class="pkt-link" href="%s" rel="noopener noreferrer">%s</a>') % (
            url,
            label or url,
        )
    return escape(url)


def venue_text(venue: Any) -> Markup:
    """A room with its address: "Rom 101, Skolegata 1"; empty for none."""
    if not venue:
        return Markup("")
    text = escape(venue.name)
    return text + ", " + venue.address if venue.address else text


def session_place(item: Any) -> Markup:
    """Where a session happens: the room for a physical session, the video link for a digital
    one, or a muted note that it is not known yet."""
    if item.mode == "digital":
        if item.video_link:
            label = Markup(_("Video meeting: %(url)s")) % {"url": item.video_link}  # noqa: S704
            return external_link(item.video_link, label)
        return _muted(_("No video link yet"))
    if item.venue:
        return venue_text(item.venue)
    return _muted(_("No venue yet"))


def _muted(message: str) -> Markup:
    return Markup('<span class="mestring-muted">%s</span>') % _message(message)


def time_span(start: datetime, end: datetime) -> Markup:
    """From start to end in Oslo time, in the request's language, as a `<time>` element
    (`domain.session_time`)."""
    span = localized.moment_span(start, end)
    return Markup(f'<time datetime="{escape(start.isoformat())}">{escape(span)}</time>')  # noqa: S704


def data_table(
    columns: Sequence[Any],
    rows: Iterable[Iterable[Any]],
    caption: Any,
    row_headers: bool = False,
    numeric: Container[int] = (),
    caption_hidden: bool = False,
) -> Markup:
    """A Punkt data table (`tables.data_table`) in a region that scrolls sideways, so that wide
    tables work on tablets and phones without hiding columns: `columns` are the header labels,
    `rows` lists of cells (None or "" shows a dash); the first cell of each row is its header
    when `row_headers`; columns in `numeric` are figures, aligned right. A `caption_hidden` is
    for screen readers only, when a heading right above says the same."""
    label = escape(caption)
    hidden = " pkt-sr-only" if caption_hidden else ""
    heads = "".join(
        '\n        <th class="pkt-table__header-cell'
        f'{" mestring-numeric" if index in numeric else ""}" scope="col">{escape(column)}</th>'
        for index, column in enumerate(columns)
    )
    body = table_rows(rows, row_headers, numeric)
    if not body:
        body = Markup(
            '\n      <tr class="pkt-table__row">'
            '\n        <td class="pkt-table__data-cell mestring-table__empty" colspan="%s">%s</td>'
            "\n      </tr>"
        ) % (len(columns), _message(_("Nothing to show.")))
    return Markup(  # noqa: S704 (the caption, labels and cells escaped)
        f'<div class="mestring-table-scroll" role="region" aria-label="{label}" tabindex="0">'
        '\n  <table class="pkt-table pkt-table--basic pkt-table--compact mestring-table">'
        f'\n    <caption class="mestring-table__caption{hidden}">{label}</caption>'
        '\n    <thead class="pkt-table__header">'
        f'\n      <tr class="pkt-table__row">{heads}'
        "\n      </tr>"
        "\n    </thead>"
        f'\n    <tbody class="pkt-table__body">{body}'
        "\n    </tbody>"
        "\n  </table>"
        "\n</div>"
    )


def table_rows(rows: Iterable[Iterable[Any]], row_headers: bool, numeric: Container[int]) -> Markup:
    """The body rows of `data_table`: a cell that is None or "" shows a dash, read out as
    "None"; the first cell of a row is its header when `row_headers`; columns in `numeric` are
    figures."""
    none = _message(_("None"))
    empty = f'<span aria-hidden="true">–</span><span class="pkt-sr-only">{none}</span>'
    # Each column's tags, made once: (opening, closing).
    tags: dict[int, tuple[str, str]] = {}
    html = []
    for row in rows:
        html.append('\n      <tr class="pkt-table__row">')
        for index, cell in enumerate(row):
            around = tags.get(index)
            if around is None:
                tag = "th" if row_headers and index == 0 else "td"
                classes = "pkt-table__data-cell mestring-numeric" if index in numeric else _CELL
                scope = ' scope="row"' if tag == "th" else ""
                around = tags[index] = (f'\n        <{tag} class="{classes}"{scope}>', f"</{tag}>")
            if cell is None or cell == "":
                content = empty
            elif hasattr(cell, "__html__"):
                content = cell.__html__()
            else:
                content = escape(cell)
            html.append(f"{around[0]}{content}{around[1]}")
        html.append("\n      </tr>")
    return Markup("".join(html))  # noqa: S704 (every cell escaped above)


def _message(message: str, **values: Any) -> Markup:
    # Formatted as Jinja's new-style gettext formats a message: marked safe, values escaped.
    return Markup(message) % values  # noqa: S704 (our catalogue)


def definition_list(rows: Iterable[tuple[Any, Any]]) -> Markup:
    """Labels and their values as a Punkt definition list (`ui.definition_list`); a value that
    is None or "" shows a dash, read out as "Not given"."""
    not_given = _message(_("Not given"))
    missing = f'<span aria-hidden="true">–</span><span class="pkt-sr-only">{not_given}</span>'

    html = ['<dl class="pkt-dl mestring-dl">']
    for label, value in rows:
        shown = missing if value is None or value == "" else escape(value)
        html.append(
            f'\n  <dt class="pkt-dt">{escape(label)}</dt>\n  <dd class="pkt-dd">{shown}</dd>'
        )
    html.append("\n</dl>")
    return Markup("".join(html))  # noqa: S704 (every label and value escaped above)


def text_block(text: str | None) -> Markup:
    """Free text kept as the person wrote it: a paragraph per line that is not blank
    (`domain.text_block`), or a muted note that nothing is written."""
    lines = [line.strip() for line in (text or "").splitlines()]
    paragraphs = [f"\n<p>{escape(line)}</p>" for line in lines if line]
    if not paragraphs:
        return Markup('\n<p class="mestring-muted">%s</p>') % _message(_("Nothing written."))
    return Markup("".join(paragraphs))  # noqa: S704 (every line escaped above)


def breadcrumbs(items: Sequence[tuple[Any, str | None]]) -> Markup:
    """The path to the page (`ui.breadcrumbs`): (label, url) pairs, the current page last with
    url None; on small screens only a link back to the nearest page above."""
    chevron = escape(url_for("static", filename="vendor/punkt/icons/chevron-right.svg"))
    name = _message(_("Breadcrumbs"))
    html = [
        f'\n<nav class="pkt-breadcrumbs mestring-breadcrumbs" aria-label="{name}">'
        '\n  <ol class="pkt-breadcrumbs__list pkt-breadcrumbs--desktop">'
    ]
    last = len(items) - 1
    for index, (label, url) in enumerate(items):
        html.append('\n    <li class="pkt-breadcrumbs__item">')
        if url and index != last:
            html.append(
                f'\n      <a class="pkt-breadcrumbs__label pkt-link" href="{escape(url)}">'
                f'<span class="pkt-breadcrumbs__text">{escape(label)}</span></a>'
                f'\n      <img class="pkt-breadcrumbs__icon" src="{chevron}" alt="">'
            )
        else:
            html.append(
                '\n      <span class="pkt-breadcrumbs__label" aria-current="page">'
                f'<span class="pkt-breadcrumbs__text">{escape(label)}</span></span>'
            )
        html.append("\n    </li>")
    html.append("\n  </ol>")
    parents = [item for item in items if item[1]]
    if parents and parents[-1] != items[-1]:
        label, url = parents[-1]
        back = url_for("static", filename="vendor/punkt/icons/chevron-left.svg")
        text = _message(_("Back to %(page)s"), page=label)
        html.append(
            f'\n  <a class="pkt-breadcrumbs--mobile pkt-link" href="{escape(url)}">'
            f'\n    <img class="mestring-icon" src="{escape(back)}" alt="">{text}</a>'
        )
    html.append("\n</nav>")
    return Markup("".join(html))  # noqa: S704 (every label and address escaped above)
