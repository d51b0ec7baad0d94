"""The rows of the workload list, written in Python: a Jinja block per cell and row costs more
than the cells. Values are escaped as the template escaped them; messages are marked safe and
formatted as Jinja's new-style gettext does."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

from mestring.core.fragments import link
from mestring.facilitators.queries import LedGroup, Workload
from mestring.groups.enums import FacilitatorRole


def _name_cell(load: Workload, inactive: Markup) -> Markup:
    user = load.user
    name = link(url_for("facilitators.profile", user_id=user.id), user.name)
    return name if user.active else name + inactive


def _group_link(led: LedGroup) -> Markup:
    cell = link(url_for("groups.detail", group_id=led.group_id), led.name)
    if led.role == FacilitatorRole.LEAD:
        return cell + Markup(" (%s)") % str(led.role.label).lower()
    return cell


def workload_rows(rows: Iterable[Workload]) -> list[list[Any]]:
    """Name (a link to the profile, marked when inactive), service, the term's groups (links,
    the lead role noted), the sessions led per month and the total."""
    inactive = Markup(' <span class="mestring-muted">(%s)</span>') % (
        Markup(_("inactive")) % {}  # noqa: S704 (a message)
    )
    return [
        [
            _name_cell(load, inactive),
            load.user.service.kind.label if load.user.service else None,
            Markup(", ").join(_group_link(led) for led in load.assignments) or None,
            *load.per_month,
            load.total,
        ]
        for load in rows
    ]
