"""The calendar cells written in Python write what the macro wrote; the filters still say what
is wrong with what was given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring.groups.enums import SessionMode
from mestring.scheduling.calendar_markup import entries_writer
from mestring.scheduling.enums import SessionStatus
from mestring.scheduling.queries import calendar_sessions
from tests import factories as f
from tests.conftest import World, sign_in

START = datetime(2027, 2, 2, 12, 0, tzinfo=UTC)

# The macro the entries were written by before (the reference).
ENTRIES_MACRO = """
{%- macro entries(sessions) -%}
{%- if sessions %}
<ul class="mestring-calendar__entries">
  {%- for session in sessions %}<li class="mestring-calendar__entry{% if session.status == 'cancelled' %} mestring-calendar__entry--cancelled{% endif %}">
  <time datetime="{{ session.starts_at.isoformat() }}">{{ fmt.clock(session.starts_at) }}</time>–{{ fmt.clock(session.ends_at) }}
  <a class="pkt-link" href="{{ url_for('scheduling.session_detail', session_id=session.id) }}">{{ session.group_name }}: {{ session.title }}</a>
  ({{ session.mode.label }}{% if session.status == 'cancelled' %}, {{ session.status.label | lower }}{% endif %})
</li>{% endfor %}
</ul>
{%- endif %}
{%- endmacro %}
{{- entries(sessions) -}}
"""  # noqa: E501


@pytest.mark.parametrize("language", ["nb", "en"])
def test_entries_are_what_the_macro_wrote(
    app: Flask, world: World, db_session: OrmSession, language: str
) -> None:
    world.group.name = 'Gruppe <b>"Ullern"</b> & co'
    world.session.title = "Tanker & følelser <i>"
    world.session.starts_at = START
    world.session.ends_at = START + timedelta(minutes=90)
    f.SessionFactory(
        group=world.group,
        title="Digitalt møte",
        mode=SessionMode.DIGITAL,
        status=SessionStatus.CANCELLED,
        starts_at=START + timedelta(hours=3),
        ends_at=START + timedelta(hours=4),
    )
    db_session.flush()
    statement = calendar_sessions(
        world.coordinator, START - timedelta(days=1), START + timedelta(days=1)
    )
    rows = db_session.execute(*statement).all()
    assert len(rows) == 2
    with app.test_request_context(headers={"Accept-Language": language}):
        made = entries_writer()(rows)
        reference = app.jinja_env.from_string(ENTRIES_MACRO).render(sessions=rows)
        assert str(made) == reference
        assert entries_writer()([]) == app.jinja_env.from_string(ENTRIES_MACRO).render(sessions=[])
    assert "mestring-calendar__entry--cancelled" in reference
    assert "&lt;b&gt;" in reference


@pytest.mark.parametrize(
    ("query", "wrong"),
    [
        ("group=999999", "group"),
        ("facilitator=x", "facilitator"),
        ("group=&facilitator=9", "facilitator"),
    ],
)
def test_the_filters_say_what_is_wrong_with_what_was_given(
    client: FlaskClient, world: World, query: str, wrong: str
) -> None:
    sign_in(client, world.coordinator)
    html = client.get(f"/calendar/week?week=2027-W05&{query}").get_data(as_text=True)
    assert f'id="{wrong}-error"' in html
    assert html.count("mestring-field-error") == 1


@pytest.mark.parametrize("query", ["", "group=", "group=&facilitator="])
def test_the_filters_without_input_say_nothing(
    client: FlaskClient, world: World, query: str
) -> None:
    sign_in(client, world.coordinator)
    html = client.get(f"/calendar/month?month=2027-02&{query}").get_data(as_text=True)
    assert 'class="mestring-form mestring-filters"' in html
    assert "mestring-field-error" not in html
