"""A proposal's table of pupils, its rows now made in Python, is the table the template's loop
made, in both languages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask_babel import force_locale

from mestring.core.time import age_on
from mestring.groups.composer import Proposal, WaitlistEntry
from mestring.groups.views import _proposal_rows
from mestring.groups.warnings import PupilFacts

HOSTILE = "\"><script>alert(1)</script> & 'x'"

# The table of composer.html, fed by the loop the template had and by the view's rows.
TABLE = """{{ tables.data_table(
    [_('Pupil'), _('Age at start'), _('School'), _('Waiting since'), _('Digital access')],
    rows, _('Pupils in proposal %(number)s', number=1), row_headers=True, numeric=(1,),
    caption_hidden=True) }}"""
OLD = (
    """{%- import "_macros/tables.html" as tables -%}
  {%- set rows = [] %}
  {%- for entry in proposal.entries %}
  {%- set _ignored = rows.append([
        entry.pupil.name,
        age_on(entry.pupil.birth_date, term.starts_on),
        entry.pupil.school_name,
        fmt.day(entry.waiting_since),
        _('Yes') if entry.pupil.digital_access else _('No'),
      ]) %}
  {%- endfor %}
  """
    + TABLE
)
NEW = (
    """{%- import "_macros/tables.html" as tables %}
  """
    + TABLE
)


def _entry(referral_id: int, name: str, school: str, born: date, digital: bool) -> WaitlistEntry:
    pupil = PupilFacts(referral_id, name, referral_id % 3, school, born, digital)
    waiting = datetime(2026, 11, referral_id, 23, 30, tzinfo=UTC) if referral_id % 2 else None
    return WaitlistEntry(referral_id=referral_id, pupil=pupil, waiting_since=waiting)


PROPOSAL = Proposal(
    age_min=8,
    age_max=10,
    entries=(
        _entry(1, "Ada Ås", "Bestum skole", date(2017, 3, 1), True),
        _entry(2, HOSTILE, HOSTILE, date(2016, 12, 31), False),
        _entry(3, "Per", "Smestad & Co", date(2018, 1, 31), True),
    ),
)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_proposal_rows_make_the_table_the_template_made(app: Flask, language: str) -> None:
    term = type("Term", (), {"starts_on": date(2027, 1, 4)})()
    with app.test_request_context("/"), force_locale(language):
        old = app.jinja_env.from_string(OLD).render(proposal=PROPOSAL, term=term, age_on=age_on)
        rows = _proposal_rows(PROPOSAL, term.starts_on)
        new = app.jinja_env.from_string(NEW).render(rows=rows)
    assert new == old
    assert "&lt;script&gt;" in new
    assert rows[0][:3] == ["Ada Ås", 9, "Bestum skole"]
