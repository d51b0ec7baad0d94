"""The roster and follow-up cells written in Python give the markup the Jinja macros they
replace wrote."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from flask_babel import force_locale

from mestring.attendance.flags import AttendanceSummary, HeldSession
from mestring.attendance.fragments import (
    ReasonMessages,
    flag_reasons,
    flag_tags,
    follow_up_rows,
    guardian_contact,
    practical_needs,
    shared_worry,
)
from mestring.attendance.queries import FlaggedPupil, GroupName, PupilName
from mestring.referrals.models import Guardian, Referral

# The macros as the pages had them, kept here as the reference for the markup.
MACROS = """
{% macro guardian_contact(guardians) -%}
{%- if guardians %}
<ul class="mestring-plain-list">
  {%- for guardian in guardians %}
  <li>{{ guardian.name }}{% if guardian.relation %} ({{ guardian.relation }}){% endif %}
    {%- if guardian.phone %}, <a class="pkt-link" href="tel:{{ guardian.phone | replace(' ', '') }}">{{ guardian.phone }}</a>{% endif %}
    {%- if guardian.email %}, <a class="pkt-link" href="mailto:{{ guardian.email }}">{{ guardian.email }}</a>{% endif %}
    {%- if guardian.interpreter_needed %} <span class="pkt-tag pkt-tag--small pkt-tag--yellow">{{ _('Interpreter') }}{% if guardian.language %}: {{ guardian.language }}{% endif %}</span>{% endif %}
  </li>
  {%- endfor %}
</ul>
{%- endif %}
{%- endmacro %}
{% macro practical_needs(referral) -%}
{%- set items = [] %}
{%- if not referral.digital_access %}{% set _ignored = items.append(_('No digital access')) %}{% endif %}
{%- if referral.travel_needs %}{% set _ignored = items.append(_('Travel: %(needs)s', needs=referral.travel_needs)) %}{% endif %}
{%- if referral.other_needs %}{% set _ignored = items.append(referral.other_needs) %}{% endif %}
{%- if items %}
<ul class="mestring-plain-list">
  {%- for item in items %}
  <li>{{ item }}</li>
  {%- endfor %}
</ul>
{%- endif %}
{%- endmacro %}
{% macro shared_worry(referral) -%}
{%- if referral.worry_shared and referral.worry_text %}
<details class="mestring-worry">
  <summary>{{ _('The worry, shared by the coordinator') }}</summary>
  <p>{{ referral.worry_text }}</p>
</details>
{%- endif %}
{%- endmacro %}
{% macro tags(summary) -%}
{%- for flag in summary.flags %}
<span class="pkt-tag pkt-tag--small pkt-tag--red" data-flag="{{ flag }}">{{ flag.label }}</span>
{%- endfor %}
{%- endmacro %}
{% macro reasons(summary) -%}
{%- set parts = [] %}
{%- if summary.missed_run %}
{%- set dates = [] %}
{%- for session in summary.missed_run %}{% set _ignored = dates.append(fmt.day(session.starts_at)) %}{% endfor %}
{%- set _ignored = parts.append(_('missed %(n)s sessions in a row (%(dates)s)', n=summary.missed_run | length, dates=dates | join(', '))) %}
{%- endif %}
{%- if summary.low_attendance %}
{%- set _ignored = parts.append(_('present at %(present)s of %(held)s held sessions (%(rate)s)', present=summary.present, held=summary.held, rate=fmt.percent(summary.rate))) %}
{%- endif %}
{{- parts | join('; ') -}}
{%- endmacro %}
"""  # noqa: E501

GUARDIANS = [
    [],
    [Guardian(name="Kari Nordmann", relation="", phone="", email="", interpreter_needed=False)],
    [
        Guardian(
            name="Ola <Nordmann> & co",
            relation='far "O\'"',
            phone="+47 912 34 567",
            email="ola&kari@example.no",
            language="",
            interpreter_needed=True,
        ),
        Guardian(
            name="Amina",
            relation="mor",
            phone="22 33 44 55",
            email="",
            language="somali",
            interpreter_needed=True,
        ),
    ],
]

REFERRALS = [
    Referral(digital_access=True, travel_needs="", other_needs="", worry_shared=False),
    Referral(
        digital_access=False,
        travel_needs="Taxi <fra> skolen & hjem",
        other_needs='Trenger "pauser"',
        worry_shared=True,
        worry_text="Bekymret for <fravær> & søvn",
    ),
    Referral(digital_access=True, travel_needs="", other_needs="Allergi", worry_shared=False),
    Referral(digital_access=True, worry_shared=True, worry_text=""),
]


RUN = tuple(
    HeldSession(session_id=n, starts_at=datetime(2027, 3, n, 13, tzinfo=UTC)) for n in (2, 9)
)
SUMMARIES = [
    AttendanceSummary(pupil_id=1, held=0, present=0, missed_run=()),
    AttendanceSummary(pupil_id=1, held=8, present=7, missed_run=RUN),
    AttendanceSummary(pupil_id=1, held=8, present=5, missed_run=()),
    AttendanceSummary(pupil_id=1, held=3, present=1, missed_run=RUN),
]


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_the_cells_are_the_macros_markup(app: Flask, locale: str) -> None:
    with app.test_request_context(), force_locale(locale):
        macros = app.jinja_env.from_string(MACROS).module
        messages = ReasonMessages()
        for guardians in GUARDIANS:
            assert guardian_contact(guardians) == macros.guardian_contact(guardians)
        for referral in REFERRALS:
            assert practical_needs(referral) == macros.practical_needs(referral)
            assert shared_worry(referral) == macros.shared_worry(referral)
        for summary in SUMMARIES:
            assert flag_tags(summary) == str(macros.tags(summary)).strip()
            assert flag_reasons(summary) == macros.reasons(summary)
            assert flag_reasons(summary, messages) == macros.reasons(summary)
        assert "; " in flag_reasons(SUMMARIES[3]) and flag_tags(SUMMARIES[0]) == ""


def test_values_are_escaped_and_messages_translated(app: Flask) -> None:
    with app.test_request_context(), force_locale("en"):
        cell = guardian_contact(GUARDIANS[2])
        needs = practical_needs(REFERRALS[1])
    assert "Ola &lt;Nordmann&gt; &amp; co" in cell
    assert 'href="tel:+4791234567"' in cell
    assert "Interpreter: somali" in cell
    assert "<li>Travel: Taxi &lt;fra&gt; skolen &amp; hjem</li>" in needs
    assert "<li>No digital access</li>" in needs


# The loop the coordinator's start page had for the pupils to follow up.
FOLLOW_UP_ROWS = """
{%- macro rows(flagged) %}
{%- set flag_rows = [] %}
{%- for item in flagged %}
{%- set pupil_cell %}<a class="pkt-link" href="{{ url_for('pupils.detail', pupil_id=item.pupil.id) }}">{{ item.pupil.full_name }}</a>{% endset %}
{%- set group_cell %}<a class="pkt-link" href="{{ url_for('attendance.group_overview', group_id=item.group.id) }}">{{ item.group.name }}</a>{% endset %}
{%- set _ignored = flag_rows.append([pupil_cell, group_cell, attendance_flag_tags(item.summary), attendance_flag_reasons(item.summary)]) %}
{%- endfor %}
{{- caller(flag_rows) }}
{%- endmacro %}
"""  # noqa: E501


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_the_follow_up_rows_are_the_templates_cells(app: Flask, locale: str) -> None:
    flagged = [
        FlaggedPupil(GroupName(3, "Gruppe <1> & co"), PupilName(5, "Ola", '"Nord" & <mann>'), s)
        # Each set of flags twice: the list writes each set's tags once.
        for s in SUMMARIES[1:] * 2
    ]
    with app.test_request_context(), force_locale(locale):
        macros = app.jinja_env.from_string(FOLLOW_UP_ROWS).module
        captured: list[object] = []
        macros.rows(flagged, caller=lambda rows: captured.append(rows) or "")
        assert follow_up_rows(flagged) == captured[0]
