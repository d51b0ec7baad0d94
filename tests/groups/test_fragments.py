"""The group page's session rows, built in Python, against the macro that wrote them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask, url_for
from flask_babel import force_locale

from mestring.groups.enums import SessionMode
from mestring.groups.fragments import session_rows, url_pattern
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.models import Session

HOSTILE = '"><script>alert(1)</script>&'

MACRO_TABLE = (
    '{% import "_macros/domain.html" as domain %}'
    "{{ domain.session_table(sessions, 'Caption', caption_hidden=True,"
    " show_position=True, show_status=True) }}"
)
PYTHON_TABLE = (
    '{% import "_macros/tables.html" as tables %}\n'
    "{{ tables.data_table([_('No.'), _('Time'), _('Session'), _('Mode'), _('Status')], rows,"
    " 'Caption', numeric=(0,), caption_hidden=True) }}"
)


def sessions() -> list[Session]:
    start = datetime(2027, 3, 3, 12, 0, tzinfo=UTC)
    return [
        Session(
            id=session_id,
            position=position,
            title=title,
            starts_at=start + timedelta(days=7 * position),
            ends_at=start + timedelta(days=7 * position, minutes=90),
            mode=mode,
            status=status,
        )
        for session_id, position, title, mode, status in [
            (7, 1, "Bli kjent", SessionMode.PHYSICAL, SessionStatus.HELD),
            (12, 2, HOSTILE, SessionMode.DIGITAL, SessionStatus.PLANNED),
            (123456, 3, "Avslutning", SessionMode.PHYSICAL, SessionStatus.CANCELLED),
        ]
    ]


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_session_rows_make_the_session_tables_markup(app: Flask, locale: str) -> None:
    with app.test_request_context("/"), force_locale(locale):
        macro = app.jinja_env.from_string(MACRO_TABLE).render(sessions=sessions())
        python = app.jinja_env.from_string(PYTHON_TABLE).render(
            rows=session_rows(sessions(), show_position=True, show_status=True)
        )
    assert python == macro
    assert "&#34;&gt;&lt;script&gt;" in python
    assert 'href="/sessions/123456"' in python


def test_session_rows_leave_out_number_and_status_unless_asked(app: Flask) -> None:
    with app.test_request_context("/"):
        (row, *_) = session_rows(sessions())
    assert len(row) == 3
    assert row[1] == '<a class="pkt-link" href="/sessions/7">Bli kjent</a>'


def test_a_url_pattern_gives_what_url_for_gives(app: Flask) -> None:
    with app.test_request_context("/"):
        session_url = url_pattern("scheduling.session_detail", "session_id")
        member_url = url_pattern("groups.remove_member_view", "membership_id", group_id=3)
        for id_ in (1, 9, 10, 2_147_483_646, 98765):
            assert session_url(id_) == url_for("scheduling.session_detail", session_id=id_)
            assert member_url(id_) == url_for(
                "groups.remove_member_view", group_id=3, membership_id=id_
            )
