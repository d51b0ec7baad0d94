"""The referral list's plain rows hold what the table showed of the loaded referrals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session as OrmSession

from mestring.accounts.models import School, Term, User
from mestring.core.fragments import status_tag
from mestring.core.pagination import paginate
from mestring.referrals.enums import ReferralStatus
from mestring.referrals.fragments import FlagTags, ReferralLine, flags, referral_rows
from mestring.referrals.models import ReferralStatusChange
from mestring.referrals.queries import (
    ReferralFilters,
    filter_rows,
    first_referral_lines,
    referral_lines_in_scope,
    referral_lines_page,
    referrals_in_scope,
    term_rows,
)
from tests import factories as f
from tests.conftest import World

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _change(status: ReferralStatus, comment: str, minutes: int) -> ReferralStatusChange:
    return ReferralStatusChange(
        to_status=status, comment=comment, created_at=T0 + timedelta(minutes=minutes)
    )


@pytest.fixture
def listed(world: World, db_session: OrmSession) -> None:
    """Bestum's referrals in every state a row tells apart: a question asked twice, a
    reason for declining after a question, an interpreter, no digital access, high and low
    absence, a draft."""
    asked = f.ReferralFactory(pupil=f.PupilFactory(school=world.bestum), status="needs_info")
    asked.history = [
        _change(ReferralStatus.NEEDS_INFO, "Første spørsmål", 1),
        _change(ReferralStatus.SUBMITTED, "Svar", 2),
        _change(ReferralStatus.NEEDS_INFO, "Andre spørsmål", 3),
    ]
    declined = f.ReferralFactory(pupil=f.PupilFactory(school=world.bestum), status="declined")
    declined.history = [
        _change(ReferralStatus.NEEDS_INFO, "Spørsmål", 1),
        _change(ReferralStatus.DECLINED, "Begrunnelse", 2),
    ]
    interpreter = f.PupilFactory(school=world.bestum)
    f.GuardianFactory(pupil=interpreter, interpreter_needed=False)
    f.GuardianFactory(pupil=interpreter, interpreter_needed=True)
    f.ReferralFactory(pupil=interpreter, digital_access=False, days_documented=1)
    f.ReferralFactory(
        pupil=f.PupilFactory(school=world.smestad), hours_documented=30, submitted_at=None
    )
    f.ReferralFactory(pupil=f.PupilFactory(school=world.bestum), status="draft")
    db_session.flush()


def _lines(user: User, db: OrmSession, filters: ReferralFilters) -> list[ReferralLine]:
    return [ReferralLine._make(row) for row in db.execute(referral_lines_in_scope(user, filters))]


def _of_entities(user: User, db: OrmSession, filters: ReferralFilters, *, school: bool) -> list:
    referrals = db.scalars(referrals_in_scope(user, filters)).unique()
    return [ReferralLine.of(r, show_school=school, show_message=not school) for r in referrals]


@pytest.mark.parametrize("role", ["school", "coordinator"])
@pytest.mark.parametrize(
    "filters",
    [
        ReferralFilters(),
        ReferralFilters(status=ReferralStatus.NEEDS_INFO),
        ReferralFilters(age_band="8-10", age_on=T0.date()),
    ],
)
def test_the_rows_are_the_lines_of_the_loaded_referrals(
    world: World, db_session: OrmSession, listed: None, role: str, filters: ReferralFilters
) -> None:
    user = world.user(role)
    assert user is not None
    coordinator = role == "coordinator"
    expected = _of_entities(user, db_session, filters, school=coordinator)
    db_session.expunge_all()
    assert expected
    assert _lines(user, db_session, filters) == expected


@pytest.mark.parametrize("role", ["school", "coordinator"])
@pytest.mark.parametrize(
    "filters",
    [
        ReferralFilters(),
        ReferralFilters(status=ReferralStatus.NEEDS_INFO),
        ReferralFilters(age_band="8-10", age_on=T0.date()),
        ReferralFilters(school_id=-1),
    ],
)
def test_a_page_and_the_first_lines_are_what_the_whole_statement_gives(
    world: World, db_session: OrmSession, listed: None, role: str, filters: ReferralFilters
) -> None:
    user = world.user(role)
    assert user is not None
    # Referrals made in the same moment are ordered by id, as the list orders them.
    for _ in range(3):
        f.ReferralFactory(pupil=f.PupilFactory(school=world.bestum), created_at=T0)
    db_session.flush()
    statement = referral_lines_in_scope(user, filters)
    for number in (-1, 1, 2, 3, 4, 99):
        expected = paginate(db_session, statement, number, per_page=2)
        page = referral_lines_page(db_session, user, filters, number, per_page=2)
        assert (page.page, page.per_page, page.total) == (
            expected.page,
            expected.per_page,
            expected.total,
        )
        assert page.items == expected.items
    assert referral_lines_page(db_session, user, filters, 1).total == expected.total

    for limit in (1, 3, 10):
        assert list(db_session.execute(first_referral_lines(user, filters, limit))) == list(
            db_session.execute(statement.limit(limit))
        )


def test_the_school_sees_the_latest_question_or_reason(
    world: World, db_session: OrmSession, listed: None
) -> None:
    messages = {line.message for line in _lines(world.school, db_session, ReferralFilters())}
    assert messages == {None, "Andre spørsmål", "Begrunnelse"}


def test_a_line_is_worrying_as_the_referral_is(world: World, db_session: OrmSession) -> None:
    for days, hours in [(5, 0), (6, 0), (0, 29), (0, 30), (0, 0)]:
        referral = f.ReferralFactory(
            pupil=f.PupilFactory(school=world.bestum),
            days_documented=days,
            days_undocumented=0,
            hours_documented=hours,
            hours_undocumented=0,
        )
        line = ReferralLine.of(referral, show_school=False, show_message=False)
        assert line.is_worrying is referral.is_worrying


def test_the_filters_rows_are_the_districts_terms_and_schools(
    world: World, db_session: OrmSession
) -> None:
    district_id = world.coordinator.district_id
    for name, starts in [("Vår 2027", date(2027, 1, 4)), ("Høst 2026", date(2026, 8, 17))]:
        f.TermFactory(district=world.bestum.district, name=name, starts_on=starts)
    db_session.flush()
    terms = list(
        db_session.scalars(
            sa.select(Term).where(Term.district_id == district_id).order_by(Term.starts_on.desc())
        )
    )
    schools = list(
        db_session.scalars(
            sa.select(School).where(School.district_id == district_id).order_by(School.name)
        )
    )
    assert len(terms) >= 2
    assert len(schools) >= 2
    expected_terms = [(t.id, t.name, t.starts_on, t.ends_on) for t in terms]
    assert [tuple(row) for row in term_rows(db_session, district_id)] == expected_terms
    filter_schools, filter_terms = filter_rows(db_session, district_id)
    assert [tuple(row) for row in filter_schools] == [(s.id, s.name) for s in schools]
    assert [tuple(row) for row in filter_terms] == expected_terms


def test_the_tags_written_once_are_those_written_per_row(
    app: Flask, world: World, db_session: OrmSession, listed: None
) -> None:
    with app.test_request_context():
        tags = FlagTags()
        for line in _lines(world.school, db_session, ReferralFilters()):
            assert flags(line, tags) == flags(line)


def test_each_row_has_its_own_statuss_tag(
    app: Flask, world: World, db_session: OrmSession, listed: None
) -> None:
    f.ReferralFactory(pupil=f.PupilFactory(school=world.bestum), status="draft")
    db_session.flush()
    lines = _lines(world.school, db_session, ReferralFilters())
    assert len({line.status for line in lines}) < len(lines)  # a status is written twice
    with app.test_request_context():
        rows = referral_rows(lines, show_school=False, show_message=True, now=T0)
        assert [row[2] for row in rows] == [
            status_tag(line.status, line.status.label) for line in lines
        ]
