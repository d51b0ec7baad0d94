"""The start pages' lists, read by statements built once: the pages are the most visited."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from mestring.accounts.models import Term
from mestring.db import DbSession
from mestring.groups.models import Group
from mestring.groups.queries import GROUP_LINE_HEAD, member_count_of

# The district's first groups as `groups.queries.GROUP_LINES_OF_DISTRICT` lists them, newest
# term first (the template outer-joined as there), chosen in a subquery so that their pupils are
# counted for those alone: SQLite counts the pupils of every row it sorts, the district's hundred
# groups, before it keeps the first ten.
_FIRST_GROUPS = (
    sa.select(*GROUP_LINE_HEAD, Group.capacity, Term.starts_on.label("term_starts_on"))
    .join(Group.term)
    .outerjoin(Group.template)
    .where(Group.district_id == sa.bindparam("district_id"))
    .order_by(Term.starts_on.desc(), Group.name)
    .limit(sa.bindparam("limit", type_=sa.Integer))
    .subquery("first_groups")
)
_DISTRICT_GROUPS = sa.select(
    _FIRST_GROUPS.c.id,
    _FIRST_GROUPS.c.name,
    _FIRST_GROUPS.c.term_name,
    _FIRST_GROUPS.c.template_name,
    _FIRST_GROUPS.c.status,
    _FIRST_GROUPS.c.starts_on,
    member_count_of(_FIRST_GROUPS.c.id),
    _FIRST_GROUPS.c.capacity,
).order_by(_FIRST_GROUPS.c.term_starts_on.desc(), _FIRST_GROUPS.c.name)


def district_groups(
    db: DbSession, district_id: int | None, limit: int
) -> Sequence[sa.Row[*tuple[Any, ...]]]:
    """The district's first ``limit`` groups of `groups_in_scope`, newest term first, as rows of
    `list_fragments.GroupLine`'s columns."""
    # Plain columns run on the session's connection, as in `triage_queue`.
    params = {"district_id": district_id, "limit": limit}
    return db.connection().execute(_DISTRICT_GROUPS, params).all()
