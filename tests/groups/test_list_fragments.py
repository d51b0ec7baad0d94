"""The group lists read plain rows and write their cells in Python: the rows hold what the old
query loaded and the cells are the markup the old macro wrote."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import contains_eager, joinedload

from mestring.accounts.enums import Role
from mestring.accounts.models import Term, User
from mestring.groups.enums import GroupStatus
from mestring.groups.list_fragments import GroupLine, group_rows
from mestring.groups.models import FacilitatorAssignment, Group
from mestring.groups.queries import groups_in_scope, member_count
from mestring.home.queries import district_groups
from tests import factories as f
from tests.conftest import World

# The loop the group table macro had, kept here as the reference for the markup.
GROUP_TABLE_ROWS = """
{%- macro rows(groups) %}
{%- set rows = [] %}
{%- for group, member_count in groups %}
{%- set _ignored = rows.append([
      link(url_for('groups.detail', group_id=group.id), group.name),
      group.term.name,
      group.template.name,
      status_tag(group.status, group.status.label),
      fmt.day(group.starts_on),
      _('%(count)s of %(capacity)s', count=member_count, capacity=group.capacity),
    ]) %}
{%- endfor %}
{{- caller(rows) }}
{%- endmacro %}
"""


def old_groups_in_scope(user: User) -> sa.Select[Any]:
    """The (group, member count) query the lists had."""
    stmt = (
        sa.select(Group, member_count)
        .join(Group.term)
        .options(contains_eager(Group.term), joinedload(Group.template))
    )
    if user.role is Role.COORDINATOR:
        stmt = stmt.where(Group.district_id == user.district_id)
    elif user.role is Role.FACILITATOR:
        assigned = sa.select(FacilitatorAssignment.group_id).where(
            FacilitatorAssignment.user_id == user.id
        )
        stmt = stmt.where(Group.id.in_(assigned))
    else:
        stmt = stmt.where(sa.false())
    return stmt.order_by(Term.starts_on.desc(), Group.name)


@pytest.fixture
def groups(world: World, db_session: OrmSession) -> None:
    """Ullern's groups in two terms, of every status, with and without a start day, one full;
    a group of another district."""
    ullern = world.group.district
    autumn = f.TermFactory(
        district=ullern, name="Høst <2027>", starts_on=date(2027, 8, 16), ends_on=date(2027, 12, 17)
    )
    for status in GroupStatus:
        f.GroupFactory(district=ullern, term=autumn, status=status, name=f"Gruppe {status}")
    full = f.GroupFactory(
        district=ullern,
        term=autumn,
        name="A & <b>",
        capacity=2,
        min_size=1,
        starts_on=date(2027, 9, 1),
    )
    f.MembershipFactory(group=full, referral=f.ReferralFactory(status="placed"))
    f.AssignmentFactory(group=full, user=world.facilitator)
    f.GroupFactory(district=world.coordinator_other.district)
    db_session.flush()


def _old(db: OrmSession, user: User) -> list[Any]:
    return list(db.execute(old_groups_in_scope(user)).unique())


ROLES = ["coordinator", "facilitator", "coordinator_other", "school"]


@pytest.mark.parametrize("role", ROLES)
def test_the_rows_hold_what_the_groups_showed(
    world: World, db_session: OrmSession, groups: None, role: str
) -> None:
    user = world.user(role)
    assert user is not None
    old = [
        GroupLine(
            group.id,
            group.name,
            group.term.name,
            group.template.name,
            group.status,
            group.starts_on,
            count,
            group.capacity,
        )
        for group, count in _old(db_session, user)
    ]
    new = [GroupLine._make(row) for row in db_session.execute(groups_in_scope(user))]
    assert new == old
    if role == "coordinator":
        assert len(new) == len(GroupStatus) + 2
        short = district_groups(db_session, user.district_id, 3)
        assert [GroupLine._make(row) for row in short] == old[:3]


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_the_cells_are_the_macros_markup(
    app: Flask, world: World, db_session: OrmSession, groups: None, locale: str
) -> None:
    user = world.coordinator
    loaded = _old(db_session, user)
    lines = db_session.execute(groups_in_scope(user)).all()
    with app.test_request_context(), force_locale(locale):
        macros = app.jinja_env.from_string(GROUP_TABLE_ROWS).module
        captured: list[object] = []
        macros.rows(loaded, caller=lambda rows: captured.append(rows) or "")
        assert group_rows(lines) == captured[0]
    assert len(lines) == len(GroupStatus) + 2
    assert any("A &amp; &lt;b&gt;" in str(row[0]) for row in captured[0])  # type: ignore[attr-defined]
