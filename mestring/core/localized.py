"""The formats of `mestring.core.formatting` in the language of the current request, for
templates (as `fmt`) and for messages built while handling a request."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from types import SimpleNamespace

from mestring.core import formatting
from mestring.core.translations import current_locale


def language() -> str:
    """The request's language; bokmål outside a request."""
    locale = current_locale()
    return locale.language if locale is not None else "nb"


def moment(value: datetime | None) -> str:
    return formatting.moment(value, language())


def moment_span(start: datetime, end: datetime) -> str:
    return formatting.moment_span(start, end, language())


def day(value: date | datetime | None) -> str:
    return formatting.day(value, language())


def full_day(value: date | datetime | None) -> str:
    return formatting.full_day(value, language())


def weekday_day(value: date | datetime) -> str:
    return formatting.weekday_day(value, language())


def short_day(value: date | datetime) -> str:
    return formatting.short_day(value, language())


def weekday(value: date) -> str:
    return formatting.weekday(value, language())


def month(value: date) -> str:
    return formatting.month(value, language())


def short_month(value: date) -> str:
    return formatting.short_month(value, language())


def day_range(start: date, end: date) -> str:
    return formatting.day_range(start, end, language())


def clock(value: datetime | time) -> str:
    return formatting.clock(value, language())


def stamp(value: datetime) -> str:
    return formatting.stamp(value, language())


def iso_moment(text: str | None) -> str:
    """`moment` of an ISO 8601 text, as the access export holds its data."""
    return moment(datetime.fromisoformat(text)) if text else ""


def iso_day(text: str | None) -> str:
    """`day` of an ISO 8601 date."""
    return day(date.fromisoformat(text)) if text else ""


def number(value: float | Decimal | None) -> str:
    return formatting.number(value, language())


def whole(value: int | None) -> str:
    return formatting.whole(value, language())


def percent(value: float | Decimal | str | None) -> str:
    return formatting.percent(value, language())


def change(value: float | Decimal | None) -> str:
    return formatting.change(value, language())


def template_namespace() -> SimpleNamespace:
    """`fmt.moment(session.starts_at)` and the like in templates."""
    return SimpleNamespace(
        moment=moment,
        moment_span=moment_span,
        day=day,
        full_day=full_day,
        weekday_day=weekday_day,
        short_day=short_day,
        weekday=weekday,
        month=month,
        short_month=short_month,
        day_range=day_range,
        clock=clock,
        stamp=stamp,
        iso_moment=iso_moment,
        iso_day=iso_day,
        number=number,
        whole=whole,
        percent=percent,
        change=change,
    )
