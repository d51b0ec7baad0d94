"""Cached outcome figures are never stale: every write behind them changes the cache key."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring import create_app
from mestring.core.cache import remembered
from mestring.extensions import db
from mestring.models import AbsenceRecord, FiguresStamp, Session
from mestring.outcomes.enums import PeriodKind
from mestring.outcomes.freshness import ALL, FIGURE_TABLES, district_stamp_name, figures_key
from mestring.outcomes.measures import OutcomeFilters, outcomes
from mestring.scheduling.enums import SessionStatus
from tests import factories as f
from tests.conftest import World, app_config, sign_in
from tests.outcomes.conftest import NOW, in_english
from tests.outcomes.test_views import absence_form, measure, measured_pupils
from tests.statements import counting

Stamps = dict[str, str]


def stamps(db: OrmSession) -> Stamps:
    return {row.name: row.stamp for row in db.scalars(sa.select(FiguresStamp))}


def district(world: World) -> str:
    return district_stamp_name(world.group.district_id)


def other_district(world: World) -> str:
    return district_stamp_name(world.other_school.district_id)


def changed(before: Stamps, after: Stamps) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


@pytest.fixture
def committed(db_session: OrmSession, world: World) -> Stamps:
    db_session.commit()
    return stamps(db_session)


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda w: f.AbsenceRecordFactory(pupil=w.pupil), id="absence"),
        pytest.param(lambda w: setattr(w.session, "status", SessionStatus.HELD), id="session"),
        pytest.param(lambda w: setattr(w.referral, "other_needs", "Ny"), id="referral"),
        pytest.param(lambda w: setattr(w.group, "name", "Ny gruppe"), id="group"),
        pytest.param(lambda w: f.SessionFactory(group=w.group), id="new session"),
    ],
)
def test_a_saved_change_replaces_the_stamp_of_its_district_only(
    db_session: OrmSession, world: World, committed: Stamps, write: Any
) -> None:
    write(world)
    db_session.commit()
    assert changed(committed, stamps(db_session)) == {district(world)}


def test_a_change_in_another_district_keeps_this_districts_stamp(
    db_session: OrmSession, world: World, committed: Stamps
) -> None:
    f.AbsenceRecordFactory(pupil=world.other_pupil)
    db_session.commit()
    assert changed(committed, stamps(db_session)) == {other_district(world)}


def test_update_and_insert_statements_replace_the_stamp_of_all_districts(
    db_session: OrmSession, world: World, committed: Stamps
) -> None:
    db_session.execute(
        sa.update(Session)
        .where(Session.id == world.session.id)
        .values(status=SessionStatus.CANCELLED)
    )
    db_session.commit()
    after_update = stamps(db_session)
    assert changed(committed, after_update) == {ALL}
    table = AbsenceRecord.__table__
    db_session.execute(
        sa.insert(table).values(
            pupil_id=world.pupil.id,
            period=PeriodKind.BASELINE,
            starts_on=date(2026, 11, 2),
            ends_on=date(2027, 2, 1),
            school_days=50,
            version_id=1,
        )
    )
    db_session.commit()
    assert changed(after_update, stamps(db_session)) == {ALL}


def test_changes_elsewhere_and_rolled_back_changes_keep_the_stamps(
    db_session: OrmSession, world: World, committed: Stamps
) -> None:
    world.facilitator.name = "Another name"  # users are not behind any figure
    db_session.commit()
    assert stamps(db_session) == committed
    f.AbsenceRecordFactory(pupil=world.pupil)
    db_session.rollback()
    db_session.commit()
    assert stamps(db_session) == committed


def test_the_key_changes_when_the_next_session_starts(
    db_session: OrmSession, world: World, committed: Stamps
) -> None:
    start = world.session.starts_at
    district_id = world.group.district_id

    def key(moment: object) -> str:
        return figures_key(db_session, district_id=district_id, now=moment, parts=("x",))

    minute = timedelta(minutes=1)
    assert key(start - 2 * minute) == key(start - minute)
    assert key(start - minute) != key(start + minute)


def dashboard(client: FlaskClient) -> str:
    return client.get("/outcomes/").get_data(as_text=True)


def test_the_dashboard_is_cached_and_shows_a_saved_period_at_once(
    client: FlaskClient, db_session: OrmSession, course: World
) -> None:
    measured_pupils(course, 3)
    db_session.commit()
    sign_in(client, course.coordinator)
    in_english(client)
    first = dashboard(client)
    assert "20.0%" in first  # the three measured pupils' mean before
    with counting(db_session) as computed:
        assert dashboard(client) == first
    # The world's pupil, measured at 40 % before and 0 % after, moves the mean before.
    post = absence_form(
        starts_on="2027-04-21", ends_on="2027-07-20", days_documented="0", days_undocumented="0"
    )
    baseline = absence_form(school_days="50", days_documented="20", days_undocumented="0")
    for period, data in (
        ("baseline", baseline),
        ("post", post),
    ):
        response = client.post(f"/outcomes/pupils/{course.pupil.id}/absence/{period}", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)
    with counting(db_session) as recomputed:
        after = dashboard(client)
    assert "25.0%" in after  # (20 + 20 + 20 + 40) / 4
    assert len(recomputed) > len(computed)


def test_the_analyst_start_page_follows_a_new_measurement(
    client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    measured_pupils(world, 5)
    db_session.commit()
    sign_in(client, world.analyst)
    in_english(client)
    before = client.get("/").get_data(as_text=True)
    assert "20.0%" in before
    assert "23.3%" not in before
    # The world's pupil, measured at 40 % before and 0 % after: (5 × 20 + 40) / 6 before.
    measure(world.pupil, days_before=20, days_after=0)
    db_session.commit()
    assert "23.3%" in client.get("/").get_data(as_text=True)


def test_an_unreachable_redis_makes_the_value_afresh(database_url: str) -> None:
    app = create_app(app_config(database_url, CACHE_URL="redis://127.0.0.1:1/0"))
    with app.app_context():
        assert remembered("key", lambda: "made") == "made"


def test_users_of_another_district_share_no_figures(
    client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    measured_pupils(world, 5)
    db_session.commit()
    sign_in(client, world.coordinator)
    assert world.group.name in dashboard(client)
    client.post("/logout")
    sign_in(client, world.coordinator_other)
    assert world.group.name not in dashboard(client)


def test_the_analyst_never_gets_the_coordinators_unsuppressed_figures(
    client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    measured_pupils(world, 3)  # four placed, three measured
    db_session.commit()
    sign_in(client, world.coordinator)
    in_english(client)
    withheld = 'class="mestring-withheld"'
    assert withheld not in dashboard(client)
    client.post("/logout")
    sign_in(client, world.analyst)
    assert withheld in dashboard(client)


def test_every_table_the_figures_read_is_watched(db_session: OrmSession, world: World) -> None:
    tables = {table.name for table in db.metadata.sorted_tables}
    with counting(db_session) as statements:
        outcomes(db_session, district_id=world.group.district_id, filters=OutcomeFilters(), now=NOW)
    read = {name for statement in statements for name in re.findall(r"\b(\w+)\b", statement)}
    assert read & tables <= FIGURE_TABLES
    assert {"attendance", "absence_records", "referrals"} <= read


def test_a_deleted_row_replaces_the_stamp_of_its_district(
    db_session: OrmSession, world: World
) -> None:
    record = f.AbsenceRecordFactory(pupil=world.pupil)
    db_session.commit()
    before = stamps(db_session)
    db_session.delete(record)
    db_session.commit()
    assert changed(before, stamps(db_session)) == {district(world)}


def test_the_cached_filters_and_pupil_count_follow_new_groups_and_pupils(
    client: FlaskClient, db_session: OrmSession, world: World
) -> None:
    measured_pupils(world, 25)  # 26 placed: two pages
    db_session.commit()
    sign_in(client, world.coordinator)
    in_english(client)
    first = dashboard(client)
    assert "(26 in total)" in first
    assert "A brand new group" not in first
    assert dashboard(client) == first
    group = f.GroupFactory(
        district=world.group.district, term=world.group.term, name="A brand new group"
    )
    f.MembershipFactory(group=group, referral__pupil=f.PupilFactory(school=world.bestum))
    db_session.commit()
    after = dashboard(client)
    assert "(27 in total)" in after
    assert f'<option value="{group.id}">A brand new group ({world.group.term.name})</option>' in (
        after
    )
