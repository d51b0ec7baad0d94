"""The rows of the workload list, written in Python: a Jinja block per cell and row costs more
than the cells. Values are escaped as the template escaped them; messages are marked safe and
formatted as Jinja's new-style gettext does."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from markupsafe import Markup

from mestring.core.fragments import link, url_pattern
from mestring.core.translations import gettext as _
from mestring.facilitators.queries import LedGroup, Workload
from mestring.groups.enums import FacilitatorRole


def _name_cell(load: Workload, profile_url: Callable[[int], str], inactive: Markup) -> Markup:
    user = load.user
    name = link(profile_url(user.id), user.name)
    return name if user.active else name + inactive


def _group_link(led: LedGroup, group_url: Callable[[int], str]) -> Markup:
    cell = link(group_url(led.group_id), led.name)
    if led.role == FacilitatorRole.LEAD:
        return cell + Markup(" (%s)") % str(led.role.label).lower()
    return cell


def workload_rows(rows: Iterable[Workload]) -> list[list[Any]]:
    """Name (a link to the profile, marked when inactive), service, the term's groups (links,
    the lead role noted), the sessions led per month and the total."""
    inactive = Markup(' <span class="mestring-muted">(%s)</span>') % (
        Markup(_("inactive")) % {}  # noqa: S704 (a message)
    )
    profile_url = url_pattern("facilitators.profile", "user_id")
    group_url = url_pattern("groups.detail", "group_id")
    return [
        [
            _name_cell(load, profile_url, inactive),
            load.user.service.kind.label if load.user.service else None,
            Markup(", ").join(_group_link(led, group_url) for led in load.assignments) or None,
            *load.per_month,
            load.total,
        ]
        for load in rows
    ]
