"""What every template can use: navigation by role, dates in Oslo time, percentages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import request, url_for
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mestring.accounts.enums import Role
from mestring.core.time import age_on, now_utc, today_oslo


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    active: bool


_NAVIGATION: dict[Role, list[tuple[str, Any]]] = {
    Role.SCHOOL: [("home.index", _l("Start")), ("referrals.index", _l("Referrals"))],
    Role.FACILITATOR: [("home.index", _l("Start")), ("groups.index", _l("Groups"))],
    Role.COORDINATOR: [
        ("home.index", _l("Start")),
        ("referrals.index", _l("Referrals")),
        ("groups.index", _l("Groups")),
        ("outcomes.index", _l("Outcomes")),
    ],
    Role.ANALYST: [("home.index", _l("Start")), ("outcomes.index", _l("Outcomes"))],
    Role.ADMIN: [("home.index", _l("Start")), ("admin.users", _l("Users"))],
}


def navigation() -> list[NavItem]:
    if not current_user.is_authenticated:
        return []
    current_blueprint = request.blueprint
    return [
        NavItem(
            url=url_for(endpoint),
            label=str(label),
            active=request.endpoint == endpoint
            or (endpoint != "home.index" and endpoint.split(".")[0] == current_blueprint),
        )
        for endpoint, label in _NAVIGATION[current_user.role]
    ]


def oslo_datetime(value: datetime | None, style: str = "medium") -> str:
    return format_datetime(value, style) if value else ""


def oslo_date(value: date | datetime | None, style: str = "medium") -> str:
    return format_date(value, style) if value else ""


def percent(value: float | None) -> str:
    return f"{format_decimal(value, format='#,##0.0')} %" if value is not None else "–"


def age_today(birth_date: date) -> int:
    return age_on(birth_date, today_oslo())


def template_globals() -> dict[str, Any]:
    return {
        "age_today": age_today,
        "now_utc": now_utc,
        "get_locale": get_locale,
        "navigation": navigation,
        "oslo_datetime": oslo_datetime,
        "oslo_date": oslo_date,
        "percent": percent,
    }
