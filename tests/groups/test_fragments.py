"""The group page's session and facilitator rows, built in Python, against the macro and the
loop that wrote them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask_babel import force_locale

from mestring.accounts.enums import ServiceKind
from mestring.accounts.models import Service, User
from mestring.core.fragments import url_pattern
from mestring.groups.enums import FacilitatorRole, SessionMode
from mestring.groups.fragments import facilitator_rows, session_rows
from mestring.groups.models import FacilitatorAssignment
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
            # A status and a mode again: their cells are made once and reused.
            (99, 4, "Ekstra", SessionMode.DIGITAL, SessionStatus.HELD),
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


# The page's facilitator loop before the rows were written in Python.
FACILITATOR_MACRO_TABLE = (
    '{%- import "_macros/tables.html" as tables -%}'
    "{%- set facilitator_rows = [] %}"
    "{%- for assignment in assignments %}"
    '{%- set name_cell %}{% if can_manage %}<a class="pkt-link" href="{{ url_for('
    "'facilitators.profile', user_id=assignment.user_id) }}\">{{ assignment.user.name }}</a>"
    "{% else %}{{ assignment.user.name }}{% endif %}{% endset %}"
    "{%- set _ignored = facilitator_rows.append([name_cell,"
    " assignment.user.service.kind.label if assignment.user.service else None,"
    " assignment.role.label]) %}"
    "{%- endfor %}"
    "{{ tables.data_table(['Name', 'Service', 'Role'], facilitator_rows, 'Caption',"
    " row_headers=True, caption_hidden=True) }}"
)
FACILITATOR_PYTHON_TABLE = (
    '{%- import "_macros/tables.html" as tables -%}'
    "{{ tables.data_table(['Name', 'Service', 'Role'], rows, 'Caption',"
    " row_headers=True, caption_hidden=True) }}"
)


def assignments() -> list[FacilitatorAssignment]:
    return [
        FacilitatorAssignment(
            user_id=user_id,
            user=User(id=user_id, name=name, service=service),
            # What the group page reads of the user, as columns of the assignment.
            user_name=name,
            service_kind=service.kind if service else None,
            role=role,
        )
        for user_id, name, service, role in [
            (4, "Kari Nordmann", Service(kind=ServiceKind.PPT), FacilitatorRole.LEAD),
            (17, HOSTILE, None, FacilitatorRole.CO_LEAD),
            (98765, "Ola", Service(kind=ServiceKind.SCHOOL_HEALTH), FacilitatorRole.CO_LEAD),
        ]
    ]


@pytest.mark.parametrize("locale", ["nb", "en"])
@pytest.mark.parametrize("can_manage", [True, False])
def test_facilitator_rows_make_the_facilitator_tables_markup(
    app: Flask, locale: str, can_manage: bool
) -> None:
    with app.test_request_context("/"), force_locale(locale):
        macro = app.jinja_env.from_string(FACILITATOR_MACRO_TABLE).render(
            assignments=assignments(), can_manage=can_manage
        )
        profile_url = url_pattern("facilitators.profile", "user_id") if can_manage else None
        python = app.jinja_env.from_string(FACILITATOR_PYTHON_TABLE).render(
            rows=facilitator_rows(assignments(), profile_url=profile_url)
        )
    assert python == macro
    assert "&#34;&gt;&lt;script&gt;" in python
    assert ('href="/facilitators/98765"' in python) is can_manage
