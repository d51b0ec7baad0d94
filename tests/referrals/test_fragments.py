"""The referral table's rows written in Python give the markup the macro they replace wrote."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from flask_babel import force_locale

from mestring.referrals.enums import ReferralStatus
from mestring.referrals.fragments import ReferralLine, flags, referral_rows
from mestring.referrals.models import Guardian, Pupil, Referral

# The flags as the macro wrote them, kept here as the reference for the markup.
FLAGS = """
{%- if referral.is_worrying %}<span class="pkt-tag pkt-tag--small pkt-tag--red">{{ _('≥ 10 %% absence') }}</span> {% endif %}
{%- if referral.needs_interpreter %}<span class="pkt-tag pkt-tag--small pkt-tag--yellow">{{ _('Interpreter') }}</span> {% endif %}
{%- if not referral.digital_access %}<span class="pkt-tag pkt-tag--small pkt-tag--grey">{{ _('No digital access') }}</span>{% endif %}
"""  # noqa: E501
NOW = datetime(2027, 3, 10, 12, tzinfo=UTC)


def _referral(worrying: bool, interpreter: bool, digital: bool) -> Referral:
    pupil = Pupil(first_name="Ola <b>", last_name="Nordmann", birth_date=date(2016, 5, 1))
    pupil.guardians = [Guardian(name="Kari", interpreter_needed=interpreter)]
    return Referral(
        id=7,
        pupil=pupil,
        status=ReferralStatus.SUBMITTED,
        submitted_at=NOW - timedelta(days=12, hours=3),
        school_days=100,
        teaching_hours=0,
        days_documented=10 if worrying else 2,
        days_undocumented=0,
        hours_documented=0,
        hours_undocumented=0,
        digital_access=digital,
    )


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_the_flags_are_the_macros_markup(app: Flask, locale: str) -> None:
    with app.test_request_context(), force_locale(locale):
        template = app.jinja_env.from_string(FLAGS)
        for combination in itertools.product([False, True], repeat=3):
            referral = _referral(*combination)
            line = ReferralLine.of(referral, show_school=False, show_message=False)
            assert flags(line) == (template.render(referral=referral).strip() or None)


def test_a_row_links_the_escaped_name_and_counts_days_waiting_while_submitted(app: Flask) -> None:
    referral = _referral(worrying=True, interpreter=False, digital=True)
    with app.test_request_context(), force_locale("en"):
        [row] = referral_rows([referral], show_school=False, show_message=False, now=NOW)
        assert row[0] == '<a class="pkt-link" href="/referrals/7">Ola &lt;b&gt; Nordmann</a>'
        assert row[3:5] == ["26 February 2027", 12]
        assert "≥ 10 % absence" in row[5]
        referral.status = ReferralStatus.ACCEPTED
        [row] = referral_rows([referral], show_school=False, show_message=False, now=NOW)
        assert row[4] is None
