"""The workload rows written in Python give the cells the template's Jinja loop wrote, and the
workload's plain rows give what its whole entities gave."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from datetime import time, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import contains_eager

from mestring.accounts.enums import ServiceKind
from mestring.accounts.models import Service, User
from mestring.core.time import oslo_to_utc
from mestring.facilitators.fragments import workload_rows
from mestring.facilitators.queries import LedGroup, Workload, months_of, workload
from mestring.groups.enums import FacilitatorRole
from mestring.groups.models import FacilitatorAssignment, Group
from mestring.scheduling.models import SessionSubstitute
from mestring.scheduling.queries import led_session_times
from tests import factories as f
from tests.conftest import World
from tests.statements import counting

# The loop the list's template had, kept as the reference for the cells.
OLD_ROWS = """
{%- macro rows(rows) %}
{%- set table_rows = [] %}
{%- for load in rows %}
{%- set user = load.user %}
{%- set name_cell %}<a class="pkt-link" href="{{ url_for('facilitators.profile', user_id=user.id) }}">{{ user.name }}</a>{% if not user.active %} <span class="mestring-muted">({{ _('inactive') }})</span>{% endif %}{% endset %}
{%- set groups_cell %}{% for assignment in load.assignments %}<a class="pkt-link" href="{{ url_for('groups.detail', group_id=assignment.group_id) }}">{{ assignment.group.name }}</a>{% if assignment.role == 'lead' %} ({{ assignment.role.label | lower }}){% endif %}{% if not loop.last %}, {% endif %}{% endfor %}{% endset %}
{%- set _ignored = table_rows.append([name_cell, user.service.kind.label if user.service else None, groups_cell | trim or None] + load.per_month + [load.total]) %}
{%- endfor %}
{{- caller(table_rows) }}
{%- endmacro %}
"""  # noqa: E501

LOADS = [
    Workload(
        user=User(id=7, name="Kari <Nordmann> & co", active=True, service=None),
        assignments=[],
        per_month=[0, 0],
    ),
    Workload(
        user=User(id=8, name="Ola", active=False, service=Service(kind=ServiceKind.SCHOOL_HEALTH)),
        assignments=[
            LedGroup(3, 'Gruppe "A" & <B>', FacilitatorRole.LEAD),
            LedGroup(4, "Gruppe 2", FacilitatorRole.CO_LEAD),
            LedGroup(5, "Gruppe 3", FacilitatorRole.LEAD),
        ],
        per_month=[2, 5],
    ),
]


def _as_entities(load: Workload) -> SimpleNamespace:
    """The load as the template saw it: assignments with their group."""
    assignments = [
        SimpleNamespace(group_id=led.group_id, group=SimpleNamespace(name=led.name), role=led.role)
        for led in load.assignments
    ]
    return SimpleNamespace(
        user=load.user, assignments=assignments, per_month=load.per_month, total=load.total
    )


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_the_rows_are_the_templates_cells(app: Flask, locale: str) -> None:
    with app.test_request_context(), force_locale(locale):
        macros = app.jinja_env.from_string(OLD_ROWS).module
        captured = []
        caller = lambda rows: captured.append(rows) or ""  # noqa: E731
        macros.rows.__call__([_as_entities(load) for load in LOADS], caller=caller)
        assert workload_rows(LOADS) == captured[0]


def test_the_workload_reads_the_groups_the_entities_gave(
    world: World, db_session: OrmSession
) -> None:
    other = f.GroupFactory(district=world.group.district, term=world.group.term, name="Å-gruppa")
    f.AssignmentFactory(group=other, user=world.facilitator)
    db_session.flush()
    users = [world.facilitator]
    old = db_session.scalars(
        sa.select(FacilitatorAssignment)
        .join(FacilitatorAssignment.group)
        .where(
            FacilitatorAssignment.user_id.in_([u.id for u in users]),
            Group.term_id == world.group.term_id,
        )
        .options(contains_eager(FacilitatorAssignment.group))
        .order_by(Group.name)
    )
    expected = [LedGroup(a.group_id, a.group.name, a.role) for a in old]
    (load,) = workload(db_session, users, world.group.term)
    assert load.assignments == expected and len(expected) == 2


def test_the_sessions_per_month_are_those_the_bisection_of_each_session_gave(
    world: World, db_session: OrmSession
) -> None:
    """Counted in SQL by the instant each Oslo month begins, as the list once counted each
    session's row in Python: the first and last instants of a month, and a substitute."""
    group, term = world.group, world.group.term
    months = months_of(term)
    month_starts = [oslo_to_utc(month, time(0, 0)) for month in months]
    for start in month_starts[1:]:
        f.SessionFactory(group=group, starts_at=start)
        f.SessionFactory(group=group, starts_at=start - timedelta(minutes=1))
    replaced = f.SessionFactory(group=group, starts_at=month_starts[2] + timedelta(days=3))
    db_session.add(
        SessionSubstitute(
            session=replaced,
            replaced_id=world.facilitator.id,
            substitute_id=world.facilitator_unassigned.id,
        )
    )
    db_session.flush()
    users = [world.facilitator, world.facilitator_unassigned]
    window = (
        oslo_to_utc(term.starts_on, time(0, 0)),
        oslo_to_utc(term.ends_on + timedelta(days=1), time(0, 0)),
    )
    rows = db_session.execute(led_session_times([u.id for u in users], *window))
    expected: Counter[tuple[int, int]] = Counter(
        (row.user_id, bisect_right(month_starts, row.starts_at) - 1) for row in rows
    )
    loads = workload(db_session, users, term)
    for user, load in zip(users, loads, strict=True):
        assert load.per_month == [expected[(user.id, i)] for i in range(len(months))]
    assert sum(loads[0].per_month) > len(months) and sum(loads[1].per_month) == 1


def test_the_groups_and_the_sessions_per_month_are_read_in_one_statement(
    world: World, db_session: OrmSession
) -> None:
    f.SessionFactory(group=world.group, starts_at=world.session.starts_at + timedelta(days=7))
    db_session.flush()
    users = [world.facilitator, world.facilitator_unassigned]
    with counting(db_session) as statements:
        loads = workload(db_session, users, world.group.term)
    assert len(statements) == 1
    assert loads[0].assignments and loads[0].total >= 2 and not loads[1].assignments
