"""Helpers for the scheduling tests: course templates, closed periods and a query counter."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from mestring.accounts.enums import Role
from mestring.accounts.models import District, User
from mestring.groups.enums import SessionMode
from mestring.groups.models import CourseTemplate, TemplateSession
from mestring.groups.services import build_shipped_template, read_shipped_templates
from mestring.scheduling.services import load_school_holidays
from tests import factories as f
from tests.conftest import World

# The tests' "now": a Monday in the autumn of the 2026/27 school year.
NOW = datetime(2026, 8, 31, 8, 0, tzinfo=UTC)


def shipped_template(name_start: str) -> CourseTemplate:
    """A shipped course template from mestring/data/course_templates.json, not yet saved."""
    entry = next(t for t in read_shipped_templates() if t["name"].startswith(name_start))
    return build_shipped_template(entry)


def weekly_template(count: int, *, weekday: int = 1, at: time = time(13, 0)) -> CourseTemplate:
    """``count`` physical sessions of 90 minutes, one a week on ``weekday`` at ``at``."""
    return CourseTemplate(
        name=f"Ukentlig {weekday} {count}",
        physical_weekday=weekday,
        physical_time=at,
        sessions=[
            TemplateSession(
                position=n, title=f"Samling {n}", mode=SessionMode.PHYSICAL, duration_minutes=90
            )
            for n in range(1, count + 1)
        ],
    )


def with_school_holidays(session: OrmSession, district: District) -> District:
    load_school_holidays(session, district=district)
    return district


@pytest.fixture
def count_queries(db_session: OrmSession) -> Any:
    """``with count_queries() as queries:`` collects the SQL statements run inside."""

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []
        engine = db_session.get_bind().engine

        def record(*args: Any) -> None:
            statements.append(args[2])

        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)

    return counting


def new_facilitator(world: World, name: str = "Ola Kursleder") -> User:
    """Another facilitator of the world's district, with the same service."""
    return f.UserFactory(
        role=Role.FACILITATOR,
        name=name,
        district=world.facilitator.district,
        service=world.facilitator.service,
    )
