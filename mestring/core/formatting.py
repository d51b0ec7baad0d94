"""Dates, times and numbers as people read them, in bokmål or English.

Bokmål follows Språkrådet: "onsdag 3. mars 2027 kl. 13.00", times with a full stop, decimal
comma. English reads "Wednesday 3 March 2027 at 13:00". Month and weekday names, separators and
signs come from Babel's CLDR data; only the order of the parts is chosen here. Moments are shown
in Oslo time. Pages format every row with these, so locales and parsed patterns are cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import DateTimePattern
from babel.dates import parse_pattern as parse_date_pattern

from mestring.core.time import to_oslo

NOTHING = "–"


@dataclass(frozen=True)
class _Patterns:
    """How one language puts a moment together (CLDR fills in names and symbols)."""

    day: str
    weekday_day: str
    full_day: str
    short_day: str
    weekday: str
    month: str
    short_month: str
    time: str
    stamp: str
    at: str
    span_at: str


_PATTERNS = {
    "nb": _Patterns(
        day="d. MMMM y",
        weekday_day="EEEE d. MMMM",
        full_day="EEEE d. MMMM y",
        short_day="d. MMM",
        weekday="EEEE",
        month="LLLL y",
        short_month="LLL y",
        time="HH.mm",
        stamp="d. MMM y 'kl.' HH.mm.ss",
        at="{day} kl. {time}",
        span_at="{day} kl. {start}–{end}",
    ),
    "en": _Patterns(
        day="d MMMM y",
        weekday_day="EEEE d MMMM",
        full_day="EEEE d MMMM y",
        short_day="d MMM",
        weekday="EEEE",
        month="LLLL y",
        short_month="LLL y",
        time="HH:mm",
        stamp="d MMM y, HH:mm:ss",
        at="{day} at {time}",
        span_at="{day}, {start}–{end}",
    ),
}


@dataclass(frozen=True)
class _Style:
    locale: Locale
    patterns: _Patterns
    day: DateTimePattern
    weekday_day: DateTimePattern
    full_day: DateTimePattern
    short_day: DateTimePattern
    weekday: DateTimePattern
    month: DateTimePattern
    short_month: DateTimePattern
    time: DateTimePattern
    stamp: DateTimePattern
    # Python's "," and "." in grouped numbers, mapped to the language's separators.
    separators: dict[int, str]
    percent_prefix: str
    percent_suffix: str
    plus: str
    minus: str


@cache
def _style(language: str) -> _Style:
    """Everything needed to format in one language, parsed once. Anything but English is
    bokmål, the default."""
    language = "en" if str(language).startswith("en") else "nb"
    locale = Locale.parse(language)
    patterns = _PATTERNS[language]
    symbols = locale.number_symbols["latn"]
    # CLDR's percent pattern: "#,##0 %" in bokmål, "#,##0%" in English.
    percent_pattern = locale.percent_formats[None]
    return _Style(
        locale=locale,
        patterns=patterns,
        day=parse_date_pattern(patterns.day),
        weekday_day=parse_date_pattern(patterns.weekday_day),
        full_day=parse_date_pattern(patterns.full_day),
        short_day=parse_date_pattern(patterns.short_day),
        weekday=parse_date_pattern(patterns.weekday),
        month=parse_date_pattern(patterns.month),
        short_month=parse_date_pattern(patterns.short_month),
        time=parse_date_pattern(patterns.time),
        stamp=parse_date_pattern(patterns.stamp),
        separators=str.maketrans({",": symbols["group"], ".": symbols["decimal"]}),
        percent_prefix=percent_pattern.prefix[0].replace("%", symbols["percentSign"]),
        percent_suffix=percent_pattern.suffix[0].replace("%", symbols["percentSign"]),
        plus=symbols["plusSign"],
        minus=symbols["minusSign"],
    )


# Pages show the same few days and times in every row: each is spelled out once per language.
@lru_cache(maxsize=8192)
def _spelled(language: str, pattern: str, value: date) -> str:
    """`value` in one of the day patterns of `_Style` ("day", "full_day", ...)."""
    style = _style(language)
    day_pattern: DateTimePattern = getattr(style, pattern)
    return day_pattern.apply(value, style.locale)


def _local_day(value: date | datetime) -> date:
    """The day of a moment in Oslo, or the date itself."""
    return to_oslo(value).date() if isinstance(value, datetime) else value


@cache  # at most 24 × 60 times of day per language
def _clock(language: str, hour: int, minute: int) -> str:
    style = _style(language)
    return style.time.apply(time(hour, minute), style.locale)


def moment(value: datetime | None, language: str) -> str:
    """A single moment in full: "onsdag 3. mars 2027 kl. 13.00"."""
    if value is None:
        return ""
    local = to_oslo(value)
    return _style(language).patterns.at.format(
        day=_spelled(language, "full_day", local.date()),
        time=_clock(language, local.hour, local.minute),
    )


def moment_span(start: datetime, end: datetime, language: str) -> str:
    """A session's time: "onsdag 3. mars 2027 kl. 13.00–14.30"."""
    local_start, local_end = to_oslo(start), to_oslo(end)
    return _style(language).patterns.span_at.format(
        day=_spelled(language, "full_day", local_start.date()),
        start=_clock(language, local_start.hour, local_start.minute),
        end=_clock(language, local_end.hour, local_end.minute),
    )


def day(value: date | datetime | None, language: str) -> str:
    """A date: "3. mars 2027"."""
    if value is None:
        return ""
    return _spelled(language, "day", _local_day(value))


def full_day(value: date | datetime | None, language: str) -> str:
    """A date with its weekday: "onsdag 3. mars 2027"."""
    if value is None:
        return ""
    return _spelled(language, "full_day", _local_day(value))


def weekday_day(value: date | datetime, language: str) -> str:
    """A day within a known week, no year: "onsdag 3. mars"."""
    return _spelled(language, "weekday_day", _local_day(value))


def short_day(value: date | datetime, language: str) -> str:
    """A day in a narrow column: "3. jan."."""
    return _spelled(language, "short_day", _local_day(value))


def weekday(value: date, language: str) -> str:
    """The name of the day: "onsdag"."""
    return _spelled(language, "weekday", value)


def month(value: date, language: str) -> str:
    """A month on its own: "mars 2027"."""
    return _spelled(language, "month", value)


def short_month(value: date, language: str) -> str:
    """A month in a narrow column: "jan 2027"."""
    return _spelled(language, "short_month", value)


def day_range(start: date, end: date, language: str) -> str:
    """A period of days: "3. mars 2027–14. mai 2027"."""
    return f"{day(start, language)}–{day(end, language)}"


def clock(value: datetime | time, language: str) -> str:
    """A time of day (a moment's in Oslo): "13.00"."""
    local = to_oslo(value) if isinstance(value, datetime) else value
    return _clock(language, local.hour, local.minute)


def stamp(value: datetime, language: str) -> str:
    """A log entry's moment to the second: "3. mars 2027 kl. 13.00.05"."""
    style = _style(language)
    return style.stamp.apply(to_oslo(value), style.locale)


def _one_decimal(value: float | Decimal | str) -> Decimal:
    # Half up, as people round (Babel rounds half to even: 12.25 would become 12.2).
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _signed(style: _Style, value: Decimal, decimals: int = 1, plus: bool = False) -> str:
    """`value` grouped by thousands with the language's separators and minus sign (and plus sign
    when asked). Python formats; the separators are CLDR's (Babel's own formatting costs ten
    times as much, and tables format thousands of cells)."""
    text = format(abs(value), f",.{decimals}f").translate(style.separators)
    if value < 0:
        return f"{style.minus}{text}"
    return f"{style.plus}{text}" if plus and value > 0 else text


def number(value: float | Decimal | None, language: str) -> str:
    """A measure with one decimal: "12,5"; nothing shown as a dash."""
    if value is None:
        return NOTHING
    return _signed(_style(language), _one_decimal(value))


def whole(value: int | None, language: str) -> str:
    """A count: "1 234" (a space groups thousands in bokmål)."""
    if value is None:
        return NOTHING
    return _signed(_style(language), Decimal(value), decimals=0)


def percent(value: float | Decimal | str | None, language: str) -> str:
    """A percentage given in percent (12.5 or "12.5" means 12.5 %): "12,5 %" or "12.5%"."""
    if value is None:
        return NOTHING
    style = _style(language)
    return f"{style.percent_prefix}{_signed(style, _one_decimal(value))}{style.percent_suffix}"


def change(value: float | Decimal | None, language: str) -> str:
    """A signed difference with one decimal: "+1,5", "−2,0", "0,0"."""
    if value is None:
        return NOTHING
    return _signed(_style(language), _one_decimal(value), plus=True)
