"""The table rows, status tags, links and places the shared templates write through Python."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask, render_template_string, url_for
from flask_babel import force_locale, lazy_gettext
from markupsafe import Markup, escape

from mestring.core.fragments import (
    breadcrumbs,
    data_table,
    definition_list,
    external_link,
    link,
    session_place,
    status_tag,
    table_rows,
    text_block,
    time_span,
    url_pattern,
    venue_text,
)
from mestring.groups.enums import SessionMode
from mestring.groups.models import Venue
from mestring.referrals.enums import ReferralStatus
from mestring.scheduling.models import Session

HOSTILE = '"><script>alert(1)</script>&'
ESCAPED = "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;"
EMPTY = '<span aria-hidden="true">–</span><span class="pkt-sr-only">None</span>'


def test_a_status_tag_is_coloured_by_its_value_and_escaped() -> None:
    assert status_tag(ReferralStatus.SUBMITTED, "Sendt inn") == (
        '<span class="pkt-tag pkt-tag--small pkt-tag--blue-light mestring-status"'
        ' data-status="submitted">Sendt inn</span>'
    )
    assert status_tag(HOSTILE, HOSTILE) == (
        f'<span class="pkt-tag pkt-tag--small mestring-status" data-status="{ESCAPED}">'
        f"{ESCAPED}</span>"
    )
    assert status_tag("held", Markup("<i>Held</i>")).endswith("><i>Held</i></span>")


def test_a_link_escapes_its_address_and_text_as_a_template_would(app: Flask) -> None:
    template = '<a class="pkt-link" href="{{ url }}">{{ text }}</a>'
    for url, text in [
        ("/groups/1", "Gruppe 1"),
        (HOSTILE, HOSTILE),
        ("/a?b=1&c=2", Markup("<b>x</b>")),
    ]:
        with app.test_request_context("/"):
            assert link(url, text) == render_template_string(template, url=url, text=text)
    assert isinstance(link("/", "x"), Markup)
    assert link(HOSTILE, "x") == f'<a class="pkt-link" href="{ESCAPED}">x</a>'


def test_table_rows_escape_cells_and_mark_headers_and_figures() -> None:
    html = table_rows([[HOSTILE, 3, None, "", 0, Markup("<b>x</b>")]], True, (1, 4))
    assert isinstance(html, Markup)
    assert html == (
        '\n      <tr class="pkt-table__row">'
        f'\n        <th class="pkt-table__data-cell" scope="row">{ESCAPED}</th>'
        '\n        <td class="pkt-table__data-cell mestring-numeric">3</td>'
        f'\n        <td class="pkt-table__data-cell">{EMPTY}</td>'
        f'\n        <td class="pkt-table__data-cell">{EMPTY}</td>'
        '\n        <td class="pkt-table__data-cell mestring-numeric">0</td>'
        '\n        <td class="pkt-table__data-cell"><b>x</b></td>'
        "\n      </tr>"
    )
    assert "<th" not in table_rows([["a", "b"]], False, ())
    assert table_rows([], True, ()) == ""


def test_the_table_macro_says_when_there_is_nothing_to_show(app: Flask) -> None:
    template = (
        '{% import "_macros/tables.html" as tables %}'
        "{{ tables.data_table(['A', 'B'], rows, 'Caption') }}"
    )
    with app.test_request_context("/"):
        empty = render_template_string(template, rows=[])
        lazy = render_template_string(template, rows=[[lazy_gettext("Yes"), None]])
    assert 'mestring-table__empty" colspan="2">Ingenting å vise.</td>' in empty
    assert "mestring-table__empty" not in lazy
    assert '<td class="pkt-table__data-cell">Ja</td>' in lazy
    assert '<span class="pkt-sr-only">Ingen</span>' in lazy


def test_a_time_span_is_a_time_element_in_oslo_time_and_the_request_language(app: Flask) -> None:
    start = datetime(2027, 3, 3, 12, 0, tzinfo=UTC)
    end = datetime(2027, 3, 3, 13, 30, tzinfo=UTC)
    assert time_span(start, end) == (
        '<time datetime="2027-03-03T12:00:00+00:00">onsdag 3. mars 2027 kl. 13.00–14.30</time>'
    )
    with app.test_request_context("/") as context:
        context.session["locale"] = "en"
        assert time_span(start, end).endswith(">Wednesday 3 March 2027, 13:00–14:30</time>")


# The macros the place fragments replace, kept here as the reference for the markup.
PLACE_MACROS = """
{% macro external_link(url, label=None) -%}
{%- if url and (url.startswith('https://') or url.startswith('http://')) -%}
<a class="pkt-link" href="{{ url }}" rel="noopener noreferrer">{{ label or url }}</a>
{%- else -%}
{{ url }}
{%- endif -%}
{%- endmacro %}
{% macro venue_text(venue) -%}
{%- if venue -%}
{{ venue.name }}{% if venue.address %}, {{ venue.address }}{% endif %}
{%- endif -%}
{%- endmacro %}
{% macro session_place(item) -%}
{%- if item.mode == 'digital' -%}
{%- if item.video_link -%}{{ external_link(item.video_link, _('Video meeting: %(url)s', url=item.video_link)) }}{%- else -%}<span class="mestring-muted">{{ _('No video link yet') }}</span>{%- endif -%}
{%- else -%}
{%- if item.venue -%}{{ venue_text(item.venue) }}{%- else -%}<span class="mestring-muted">{{ _('No venue yet') }}</span>{%- endif -%}
{%- endif -%}
{%- endmacro %}
"""  # noqa: E501


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_places_and_links_are_the_macros_markup(app: Flask, locale: str) -> None:
    venues = [None, Venue(name=HOSTILE, address=""), Venue(name="Rom 1", address=HOSTILE)]
    links = ["", "https://meet.example.no/a?b=1&c=2", f"http://x/{HOSTILE}", "javascript:alert(1)"]
    sessions = [Session(mode=SessionMode.PHYSICAL, venue=venue, video_link="") for venue in venues]
    sessions += [Session(mode=SessionMode.DIGITAL, venue=None, video_link=url) for url in links]
    with app.test_request_context(), force_locale(locale):
        macros = app.jinja_env.from_string(PLACE_MACROS).module
        for url in links:
            assert external_link(url) == macros.external_link(url)
            assert external_link(url, HOSTILE) == macros.external_link(url, HOSTILE)
        for venue in venues:
            assert venue_text(venue) == macros.venue_text(venue)
        for session in sessions:
            assert session_place(session) == macros.session_place(session)
    assert external_link("javascript:alert(1)") == "javascript:alert(1)"


def test_a_url_pattern_gives_what_url_for_gives(app: Flask) -> None:
    with app.test_request_context("/"):
        pupil_url = url_pattern("pupils.detail", "pupil_id")
        remove_url = url_pattern("groups.remove_member_view", "membership_id", group_id=7)
        for row_id in (1, 42, 2_147_483_646):
            assert pupil_url(row_id) == url_for("pupils.detail", pupil_id=row_id)
            assert remove_url(row_id) == url_for(
                "groups.remove_member_view", group_id=7, membership_id=row_id
            )


def _old_table_rows(
    rows: list[list[Any]], empty_cell: Markup, row_headers: bool, numeric: tuple[int, ...]
) -> Markup:
    """The body rows as the table macro had them written, with the empty cell it passed."""
    html = []
    for row in rows:
        html.append('\n      <tr class="pkt-table__row">')
        for index, cell in enumerate(row):
            tag = "th" if row_headers and index == 0 else "td"
            figure = " mestring-numeric" if index in numeric else ""
            scope = ' scope="row"' if tag == "th" else ""
            content = empty_cell if cell is None or cell == "" else escape(cell)
            html.append(
                f'\n        <{tag} class="pkt-table__data-cell{figure}"{scope}>{content}</{tag}>'
            )
        html.append("\n      </tr>")
    return Markup("".join(html))  # noqa: S704 (every cell escaped above)


# The macros these functions replaced, as they were: the functions must write the same text.
OLD_MACROS = """
{% macro definition_list(rows) -%}
<dl class="pkt-dl mestring-dl">
  {%- for label, value in rows %}
  <dt class="pkt-dt">{{ label }}</dt>
  <dd class="pkt-dd">
    {%- if value is none or value == '' -%}
    <span aria-hidden="true">–</span><span class="pkt-sr-only">{{ _('Not given') }}</span>
    {%- else -%}
    {{ value }}
    {%- endif -%}
  </dd>
  {%- endfor %}
</dl>
{%- endmacro %}

{#- items: list of (label, url) pairs, the current page last with url None. -#}
{% macro breadcrumbs(items) -%}
{%- set chevron = url_for('static', filename='vendor/punkt/icons/chevron-right.svg') %}
<nav class="pkt-breadcrumbs mestring-breadcrumbs" aria-label="{{ _('Breadcrumbs') }}">
  <ol class="pkt-breadcrumbs__list pkt-breadcrumbs--desktop">
    {%- for label, url in items %}
    <li class="pkt-breadcrumbs__item">
      {%- if url and not loop.last %}
      <a class="pkt-breadcrumbs__label pkt-link" href="{{ url }}"><span class="pkt-breadcrumbs__text">{{ label }}</span></a>
      <img class="pkt-breadcrumbs__icon" src="{{ chevron }}" alt="">
      {%- else %}
      <span class="pkt-breadcrumbs__label" aria-current="page"><span class="pkt-breadcrumbs__text">{{ label }}</span></span>
      {%- endif %}
    </li>
    {%- endfor %}
  </ol>
  {%- set parents = items | selectattr(1) | list %}
  {%- if parents and parents[-1] != items[-1] %}
  <a class="pkt-breadcrumbs--mobile pkt-link" href="{{ parents[-1][1] }}">
    <img class="mestring-icon" src="{{ url_for('static', filename='vendor/punkt/icons/chevron-left.svg') }}" alt="">{{ _('Back to %(page)s', page=parents[-1][0]) }}</a>
  {%- endif %}
</nav>
{%- endmacro %}

{% macro data_table(columns, rows, caption, row_headers=False, numeric=(), caption_hidden=False) -%}
<div class="mestring-table-scroll" role="region" aria-label="{{ caption }}" tabindex="0">
  <table class="pkt-table pkt-table--basic pkt-table--compact mestring-table">
    <caption class="mestring-table__caption{% if caption_hidden %} pkt-sr-only{% endif %}">{{ caption }}</caption>
    <thead class="pkt-table__header">
      <tr class="pkt-table__row">
        {%- for column in columns %}
        <th class="pkt-table__header-cell{% if loop.index0 in numeric %} mestring-numeric{% endif %}" scope="col">{{ column }}</th>
        {%- endfor %}
      </tr>
    </thead>
    <tbody class="pkt-table__body">
      {%- set empty_cell %}<span aria-hidden="true">–</span><span class="pkt-sr-only">{{ _('None') }}</span>{% endset %}
      {%- set body = old_table_rows(rows, empty_cell, row_headers, numeric) %}
      {%- if body %}{{ body }}
      {%- else %}
      <tr class="pkt-table__row">
        <td class="pkt-table__data-cell mestring-table__empty" colspan="{{ columns | length }}">{{ _('Nothing to show.') }}</td>
      </tr>
      {%- endif %}
    </tbody>
  </table>
</div>
{%- endmacro %}

{#- Free text kept as the person wrote it: one paragraph per line. -#}
{% macro text_block(text) -%}
{%- set lines = (text or '').splitlines() | map('trim') | select | list %}
{%- if lines %}
{%- for line in lines %}
<p>{{ line }}</p>
{%- endfor %}
{%- else %}
<p class="mestring-muted">{{ _('Nothing written.') }}</p>
{%- endif %}
{%- endmacro %}
"""  # noqa: E501


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_definition_lists_text_blocks_and_breadcrumbs_write_what_their_macros_wrote(
    app: Flask, locale: str
) -> None:
    rows = [
        [("Status", Markup("<b>x</b>")), (HOSTILE, HOSTILE), ("Tom", ""), ("Ingen", None)],
        [(lazy_gettext("Grade"), 0), ("Nei", False), ("Tall", 3.5), (Markup("<i>L</i>"), "")],
        [],
    ]
    texts = [None, "", "   \n\n", "én linje", f"  {HOSTILE}  \r\n\n andre\tlinje \n", "a\u2028b"]
    trails = [
        [("Henvisninger", "/referrals"), ("Ola", None)],
        [("Start", "/"), (HOSTILE, "/a?b=1&c=2"), (HOSTILE, None)],
        [("Bare denne", None)],
        [("A", "/a"), ("Siste med lenke", "/b")],
        [("A", None), ("B", "/b"), ("C", None)],
        [],
    ]
    tables: list[tuple[Any, ...]] = [
        (
            ["A", HOSTILE, lazy_gettext("Grade")],
            [[HOSTILE, 3, None], ["", 0, Markup("<b>x</b>")]],
            HOSTILE,
            {"row_headers": True, "numeric": (1,)},
        ),
        ([Markup("<i>N</i>"), "B"], [], lazy_gettext("Pupils"), {"caption_hidden": True}),
        (["Nr.", "Tid"], [[1, "a"], [2, None]], "Økter", {"numeric": (0, 1)}),
        ([], [], "", {}),
    ]
    with app.test_request_context("/"), force_locale(locale):
        old = app.jinja_env.from_string(OLD_MACROS, {"old_table_rows": _old_table_rows}).module
        for items in rows:
            assert definition_list(items) == old.definition_list(items)
        for text in texts:
            assert text_block(text) == old.text_block(text)
        for trail in trails:
            assert breadcrumbs(trail) == old.breadcrumbs(trail)
        for table in tables:
            assert data_table(*table[:3], **table[3]) == old.data_table(*table[:3], **table[3])
        # Through the macro files' names, as the pages call them.
        ui = app.jinja_env.get_template("_macros/ui.html").module
        domain = app.jinja_env.get_template("_macros/domain.html").module
        assert ui.definition_list(rows[0]) == old.definition_list(rows[0])
        assert ui.breadcrumbs(trails[1]) == old.breadcrumbs(trails[1])
        assert domain.text_block(texts[4]) == old.text_block(texts[4])
        data_tables = app.jinja_env.get_template("_macros/tables.html").module
        assert data_tables.data_table(*tables[0][:3], **tables[0][3]) == old.data_table(
            *tables[0][:3], **tables[0][3]
        )
