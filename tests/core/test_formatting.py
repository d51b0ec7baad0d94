"""Dates, times and numbers as bokmål and English readers write them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from flask.testing import FlaskClient

from mestring.core import formatting
from tests.conftest import World, sign_in

# 13.00 in Oslo (winter time, UTC+1).
AFTERNOON = datetime(2027, 3, 3, 12, 0, tzinfo=UTC)
SUMMER_MORNING = datetime(2027, 6, 1, 7, 5, tzinfo=UTC)  # 09.05 in Oslo (UTC+2)


def test_a_moment_reads_as_sprakradet_recommends_in_bokmal() -> None:
    # The example; 3 March falls on a Tuesday in 2026 and on a Wednesday in 2027.
    tuesday = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    assert formatting.moment(tuesday, "nb") == "tirsdag 3. mars 2026 kl. 13.00"
    assert formatting.moment(AFTERNOON, "nb") == "onsdag 3. mars 2027 kl. 13.00"


def test_a_moment_reads_naturally_in_english() -> None:
    assert formatting.moment(AFTERNOON, "en") == "Wednesday 3 March 2027 at 13:00"


def test_moments_are_shown_in_oslo_time_across_daylight_saving() -> None:
    assert formatting.moment(SUMMER_MORNING, "nb") == "tirsdag 1. juni 2027 kl. 09.05"
    assert formatting.clock(SUMMER_MORNING, "en") == "09:05"


def test_a_session_span() -> None:
    end = AFTERNOON + timedelta(minutes=90)
    assert formatting.moment_span(AFTERNOON, end, "nb") == "onsdag 3. mars 2027 kl. 13.00–14.30"
    assert formatting.moment_span(AFTERNOON, end, "en") == "Wednesday 3 March 2027, 13:00–14:30"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", ["3. mars 2027", "onsdag 3. mars 2027", "onsdag 3. mars", "onsdag", "mars 2027"]),
        (
            "en",
            [
                "3 March 2027",
                "Wednesday 3 March 2027",
                "Wednesday 3 March",
                "Wednesday",
                "March 2027",
            ],
        ),
    ],
)
def test_dates(language: str, expected: list[str]) -> None:
    day = date(2027, 3, 3)
    shown = [
        formatting.day(day, language),
        formatting.full_day(day, language),
        formatting.weekday_day(day, language),
        formatting.weekday(day, language),
        formatting.month(day, language),
    ]
    assert shown == expected


def test_a_moment_given_as_a_date_is_the_day_in_oslo() -> None:
    just_after_midnight_in_oslo = datetime(2027, 3, 2, 23, 30, tzinfo=UTC)
    assert formatting.day(just_after_midnight_in_oslo, "nb") == "3. mars 2027"


def test_a_period_and_compact_forms() -> None:
    assert formatting.day_range(date(2027, 2, 1), date(2027, 2, 3), "nb") == (
        "1. februar 2027–3. februar 2027"
    )
    assert formatting.short_day(date(2027, 3, 3), "en") == "3 Mar"
    assert formatting.short_month(date(2027, 3, 1), "en") == "Mar 2027"


def test_a_time_of_day_uses_a_full_stop_in_bokmal() -> None:
    assert formatting.clock(AFTERNOON, "nb") == "13.00"
    assert formatting.clock(time(9, 5), "nb") == "09.05"
    assert formatting.clock(AFTERNOON, "en") == "13:00"


def test_numbers_have_a_decimal_comma_in_bokmal() -> None:
    assert formatting.number(12.25, "nb") == "12,3"  # half up, as people round
    assert formatting.number(Decimal("1234.5"), "nb") == "1\xa0234,5"
    assert formatting.number(12.25, "en") == "12.3"
    assert formatting.whole(12345, "nb") == "12\xa0345"
    assert formatting.whole(12345, "en") == "12,345"


def test_percentages_follow_each_language() -> None:
    assert formatting.percent(Decimal("10.0"), "nb") == "10,0\xa0%"
    assert formatting.percent(7.45, "nb") == "7,5\xa0%"
    assert formatting.percent(10, "en") == "10.0%"


def test_changes_carry_a_sign_and_the_locale_minus() -> None:
    assert formatting.change(-1.5, "nb") == "\u22121,5"
    assert formatting.change(2, "nb") == "+2,0"
    assert formatting.change(-1.5, "en") == "-1.5"
    assert formatting.change(-0.04, "en") == "0.0"


def test_missing_values() -> None:
    assert formatting.moment(None, "nb") == ""
    assert formatting.day(None, "en") == ""
    assert formatting.percent(None, "nb") == "–"
    assert formatting.number(None, "en") == "–"


def test_anything_but_english_is_bokmal() -> None:
    assert formatting.day(date(2027, 3, 3), "nn") == "3. mars 2027"
    assert formatting.day(date(2027, 3, 3), "en_GB") == "3 March 2027"


def test_a_log_stamp_has_seconds() -> None:
    moment = AFTERNOON + timedelta(seconds=5)
    assert formatting.stamp(moment, "nb") == "3. mars 2027 kl. 13.00.05"
    assert formatting.stamp(moment, "en") == "3 Mar 2027, 13:00:05"


def test_pages_show_the_session_time_in_the_chosen_language(
    client: FlaskClient, world: World
) -> None:
    sign_in(client, world.coordinator)
    url = f"/sessions/{world.session.id}"  # 2 February 2027, 12:00–13:30 UTC
    assert "tirsdag 2. februar 2027 kl. 13.00–14.30" in client.get(url).get_data(as_text=True)
    client.post("/language", data={"language": "en", "next": "/"})
    assert "Tuesday 2 February 2027, 13:00–14:30" in client.get(url).get_data(as_text=True)
