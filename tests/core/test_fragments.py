"""The table rows and status tags the shared macros write through Python."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, render_template_string
from flask_babel import lazy_gettext
from markupsafe import Markup

from mestring.core.fragments import link, status_tag, table_rows, time_span
from mestring.referrals.enums import ReferralStatus

HOSTILE = '"><script>alert(1)</script>&'
ESCAPED = "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;"
EMPTY = Markup('<span aria-hidden="true">–</span>')


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
    html = table_rows([[HOSTILE, 3, None, "", 0, Markup("<b>x</b>")]], EMPTY, True, (1, 4))
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
    assert "<th" not in table_rows([["a", "b"]], EMPTY, False, ())
    assert table_rows([], EMPTY, True, ()) == ""


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
