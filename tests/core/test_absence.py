"""Day and hour absence are computed apart; either at 10 % or more is worrying."""

from __future__ import annotations

from decimal import Decimal

from mestring.models import AbsenceRecord


def record(**figures: int) -> AbsenceRecord:
    defaults = {
        "school_days": 50,
        "teaching_hours": 250,
        "days_documented": 0,
        "days_undocumented": 0,
        "hours_documented": 0,
        "hours_undocumented": 0,
    }
    return AbsenceRecord(**{**defaults, **figures})


def test_day_and_hour_absence_are_separate_percentages() -> None:
    absence = record(days_documented=3, days_undocumented=2, hours_undocumented=10)
    assert absence.day_absence_percent == Decimal("10.0")
    assert absence.hour_absence_percent == Decimal("4.0")


def test_worrying_when_either_reaches_ten_percent() -> None:
    assert record(days_undocumented=5).is_worrying
    assert record(hours_documented=25).is_worrying
    assert not record(days_undocumented=4, hours_documented=24).is_worrying


def test_no_teaching_hours_gives_no_hour_percentage() -> None:
    absence = record(teaching_hours=0)
    assert absence.hour_absence_percent is None
    assert not absence.is_worrying
