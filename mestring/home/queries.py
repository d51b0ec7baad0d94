"""The start pages' lists, read by statements built once: the pages are the most visited."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from mestring.db import DbSession
from mestring.groups.queries import GROUP_LINES_OF_DISTRICT

_DISTRICT_GROUPS = GROUP_LINES_OF_DISTRICT.limit(sa.bindparam("limit", type_=sa.Integer))


def district_groups(db: DbSession, district_id: int | None, limit: int) -> Sequence[sa.Row[Any]]:
    """The district's first ``limit`` groups of `groups_in_scope`, newest term first, as rows of
    `list_fragments.GroupLine`'s columns."""
    # Plain columns run on the session's connection, as in `triage_queue`.
    params = {"district_id": district_id, "limit": limit}
    return db.connection().execute(_DISTRICT_GROUPS, params).all()
