"""Referral fixtures: a Bestum draft ready to fill in, and form data as a school would post it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

# The coming term in the tests starts here (configured term starts in tests/conftest.py).
TERM_START = date(2027, 1, 4)


def referral_form(**overrides: Any) -> dict[str, Any]:
    """A complete, valid referral form as the browser posts it."""
    data: dict[str, Any] = {
        "first_name": "Nora",
        "last_name": "Berg",
        "birth_date": "2016-05-20",
        "grade": "4",
        "pupil_ref": "BES-0101",
        "guardians-0-name": "Kari Berg",
        "guardians-0-relation": "mor",
        "guardians-0-phone": "+47 900 00 001",
        "guardians-0-email": "kari.berg@example.no",
        "guardians-0-language": "norsk",
        "worry_absence_10_percent": "y",
        "worry_text": "Nora har vært borte mye siden høstferien.",
        "school_days": "60",
        "days_documented": "4",
        "days_undocumented": "3",
        "teaching_hours": "300",
        "hours_documented": "10",
        "hours_undocumented": "5",
        "late_arrivals": "6",
        "team_meeting_date": "2026-11-10",
        "team_ppt_present": "y",
        "team_school_present": "y",
        "digital_access": "yes",
        "planned_start": TERM_START.isoformat(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def form_data() -> dict[str, Any]:
    return referral_form()
