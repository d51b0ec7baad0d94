"""The dashboard, small-number suppression, the entry form, the pupil page and outstanding list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session as OrmSession

from mestring.audit.models import AuditEvent
from mestring.core.time import now_utc
from mestring.demo import DEMO_PASSWORD, load_demo
from mestring.models import AbsenceRecord, Pupil
from mestring.outcomes.enums import PeriodKind
from mestring.outcomes.measures import OutcomeRow
from mestring.outcomes.periods import MeasurementStatus
from mestring.outcomes.queries import outstanding_measurements
from mestring.outcomes.suppression import WITHHELD, shown_rows
from tests import factories as f
from tests.conftest import World, sign_in
from tests.outcomes.conftest import in_english


def measure(pupil: Pupil, days_before: int, days_after: int) -> None:
    """Day absence before (of 50 school days) and after the course (of 40)."""
    f.AbsenceRecordFactory(
        pupil=pupil, school_days=50, days_documented=days_before, days_undocumented=0
    )
    f.AbsenceRecordFactory(
        pupil=pupil,
        period=PeriodKind.POST,
        starts_on=date(2027, 4, 21),
        ends_on=date(2027, 7, 20),
        school_days=40,
        days_documented=days_after,
        days_undocumented=0,
    )


def measured_pupils(world: World, count: int) -> None:
    """``count`` more pupils of the world's group, measured before (20 %) and after (5 %)."""
    for _ in range(count):
        membership = f.MembershipFactory(
            group=world.group, referral__pupil=f.PupilFactory(school=world.bestum)
        )
        measure(membership.pupil, days_before=10, days_after=2)


# -- Suppression rules ------------------------------------------------------------------------


def test_a_count_under_five_is_withheld_and_the_smallest_other_too() -> None:
    rows = [
        OutcomeRow(key=1, label="A", placed=4),
        OutcomeRow(key=2, label="B", placed=6),
        OutcomeRow(key=3, label="C", placed=9),
    ]
    shown = shown_rows(rows, suppress=True)
    assert [row["placed"] for row in shown] == [WITHHELD, WITHHELD, 9]
    assert [row["placed"] for row in shown_rows(rows, suppress=False)] == [4, 6, 9]


def test_zero_reveals_nobody_and_is_shown() -> None:
    [row] = shown_rows([OutcomeRow(key=None, label="", placed=0)], suppress=True)
    assert row["placed"] == 0


def test_figures_of_a_small_measured_group_are_withheld() -> None:
    [row] = shown_rows(
        [OutcomeRow(key=None, label="", placed=12, measured=3, before_mean=20.0, after_mean=5.0)],
        suppress=True,
    )
    assert row["placed"] == 12
    assert row["before_mean"] is WITHHELD and row["change"] is WITHHELD


def test_pupils_at_or_above_10_percent_are_withheld_when_those_below_are_few() -> None:
    [row] = shown_rows(
        [OutcomeRow(key=None, label="", placed=9, measured=9, worrying_before=7)], suppress=True
    )
    assert row["worrying_before"] is WITHHELD and row["share_worrying_before"] is WITHHELD


# -- The dashboard ----------------------------------------------------------------------------


def test_group_of_four_shows_under_5_to_the_analyst(client: FlaskClient, world: World) -> None:
    measured_pupils(world, 3)  # with the world's pupil: 4 placed, 3 measured
    sign_in(client, world.analyst)
    in_english(client)
    page = client.get("/outcomes/").get_data(as_text=True)
    assert "under 5" in page
    assert world.group.name in page
    assert world.pupil.first_name not in page
    assert "Pupils before and after" not in page
    assert f"/pupils/{world.pupil.id}" not in page


def test_coordinator_sees_every_figure_and_the_pupils(client: FlaskClient, world: World) -> None:
    measured_pupils(world, 3)
    sign_in(client, world.coordinator)
    in_english(client)
    page = client.get("/outcomes/").get_data(as_text=True)
    assert "Pupils before and after" in page
    assert world.pupil.full_name in page
    assert "20.0%" in page and "5.0%" in page  # mean before and after of the three
    assert "-15.0" in page


def test_analyst_sees_figures_of_five_pupils(client: FlaskClient, world: World) -> None:
    measured_pupils(world, 5)  # 6 placed, 5 measured
    sign_in(client, world.analyst)
    in_english(client)
    page = client.get(f"/outcomes/?group={world.group.id}").get_data(as_text=True)
    assert "20.0%" in page and "5.0%" in page


def test_charts_carry_their_data_as_json_and_keep_tables(client: FlaskClient, world: World) -> None:
    measured_pupils(world, 5)
    sign_in(client, world.analyst)
    page = client.get("/outcomes/").get_data(as_text=True)
    assert '<script type="application/json" id="outcome-charts">' in page
    assert "vendor/chartjs/chart.umd.js" in page
    assert 'data-chart="chart-group"' in page
    assert "<script>" not in page  # no inline script (CSP: script-src 'self')


def test_filters_from_another_district_are_ignored(client: FlaskClient, world: World) -> None:
    other_group = f.GroupFactory()
    sign_in(client, world.coordinator)
    response = client.get(f"/outcomes/?group={other_group.id}")
    assert response.status_code == 200
    assert other_group.name not in response.get_data(as_text=True)


# -- Entry by form ----------------------------------------------------------------------------


def absence_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "starts_on": "2026-11-02",
        "ends_on": "2027-02-01",
        "school_days": "60",
        "teaching_hours": "300",
        "days_documented": "4",
        "days_undocumented": "2",
        "hours_documented": "7",
        "hours_undocumented": "5",
        "late_arrivals": "3",
    }
    data.update(overrides)
    return data


def test_school_enters_a_baseline_for_its_pupil(
    client: FlaskClient, db_session: OrmSession, course: World
) -> None:
    sign_in(client, course.school)
    in_english(client)
    form_page = client.get(f"/outcomes/pupils/{course.pupil.id}/absence/baseline")
    assert 'value="2026-11-02"' in form_page.get_data(as_text=True)  # the proposal
    response = client.post(
        f"/outcomes/pupils/{course.pupil.id}/absence/baseline", data=absence_form()
    )
    assert response.status_code == 302
    record = db_session.scalars(sa.select(AbsenceRecord)).one()
    assert (record.day_absence_percent, record.hour_absence_percent) == (10, 4)
    assert (
        db_session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "enter_absence"))
        is not None
    )
    page = client.get(f"/pupils/{course.pupil.id}").get_data(as_text=True)
    assert "Entered" in page and "10.0%" in page


def test_zero_school_days_is_refused_by_the_form(
    client: FlaskClient, db_session: OrmSession, course: World
) -> None:
    sign_in(client, course.school)
    in_english(client)
    response = client.post(
        f"/outcomes/pupils/{course.pupil.id}/absence/baseline",
        data=absence_form(school_days="0", days_documented="0", days_undocumented="0"),
    )
    assert response.status_code == 400
    assert "A period must have at least one school day." in response.get_data(as_text=True)
    assert db_session.scalars(sa.select(AbsenceRecord)).all() == []


def test_a_stale_edit_does_not_overwrite(
    client: FlaskClient, db_session: OrmSession, course: World
) -> None:
    record = f.AbsenceRecordFactory(
        pupil=course.pupil, starts_on=date(2026, 11, 2), ends_on=date(2027, 2, 1), school_days=40
    )
    sign_in(client, course.coordinator)
    in_english(client)
    response = client.post(
        f"/outcomes/pupils/{course.pupil.id}/absence/baseline",
        data=absence_form(version=str(record.version_id + 1)),
    )
    assert response.status_code == 400
    assert "Someone else saved this period" in response.get_data(as_text=True)
    db_session.refresh(record)
    assert record.school_days == 40


def test_dates_must_fit_the_group_in_the_form(client: FlaskClient, course: World) -> None:
    sign_in(client, course.school)
    in_english(client)
    response = client.post(f"/outcomes/pupils/{course.pupil.id}/absence/post", data=absence_form())
    assert response.status_code == 400
    assert "must start after the group" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["school_smestad", "coordinator_other", "analyst"])
def test_others_cannot_enter_absence_for_the_pupil(
    client: FlaskClient, course: World, role: str
) -> None:
    sign_in(client, getattr(course, role))
    response = client.post(
        f"/outcomes/pupils/{course.pupil.id}/absence/baseline", data=absence_form()
    )
    assert response.status_code in (403, 404)


def test_pupil_page_shows_the_periods(client: FlaskClient, course: World) -> None:
    sign_in(client, course.school)
    in_english(client)
    page = client.get(f"/pupils/{course.pupil.id}").get_data(as_text=True)
    assert "Measurement periods" in page
    assert f"/outcomes/pupils/{course.pupil.id}/absence/follow_up" in page
    assert "optional" in page


def test_outstanding_measurements_with_an_injected_day(
    db_session: OrmSession, course: World
) -> None:
    """On 1 Sep 2027 the baseline (to 1 Feb) and post (to 20 Jul, grace to 17 Aug) are missing;
    the follow-up (to 20 Oct) is not over yet. An entered baseline is no longer outstanding."""
    items = outstanding_measurements(
        db_session, district_id=course.group.district_id, school_id=None, today=date(2027, 9, 1)
    )
    assert [(i.pupil_id, i.measurement.period, i.measurement.status) for i in items] == [
        (course.pupil.id, PeriodKind.BASELINE, MeasurementStatus.MISSING),
        (course.pupil.id, PeriodKind.POST, MeasurementStatus.MISSING),
    ]
    f.AbsenceRecordFactory(
        pupil=course.pupil, starts_on=date(2026, 11, 2), ends_on=date(2027, 2, 1)
    )
    items = outstanding_measurements(
        db_session,
        district_id=course.group.district_id,
        school_id=course.smestad.id,
        today=date(2027, 9, 1),
    )
    assert items == []
    items = outstanding_measurements(
        db_session, district_id=course.group.district_id, school_id=None, today=date(2027, 9, 1)
    )
    assert [i.measurement.period for i in items] == [PeriodKind.POST]


def test_outstanding_page_per_school(client: FlaskClient, world: World) -> None:
    """A course that ended long ago: its pupil's periods are missing and listed."""
    past = now_utc() - timedelta(days=400)
    world.session.starts_at, world.session.ends_at = past, past + timedelta(minutes=90)
    sign_in(client, world.coordinator)
    in_english(client)
    page = client.get("/outcomes/measurements").get_data(as_text=True)
    assert "Outstanding per school" in page
    assert world.pupil.full_name in page and "Missing" in page
    assert f"/outcomes/pupils/{world.pupil.id}/absence/baseline" in page
    client.post("/logout")
    sign_in(client, world.school_smestad)
    in_english(client)
    assert world.pupil.full_name not in client.get("/outcomes/measurements").get_data(as_text=True)


def test_dashboard_and_exports_render_on_the_demo_programme(
    client: FlaskClient, db_session: OrmSession
) -> None:
    load_demo(db_session, now=now_utc())
    db_session.commit()
    for email in ("koordinator@demo.no", "analytiker@demo.no"):
        client.post("/logout")
        client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        in_english(client)
        page = client.get("/outcomes/")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert "Per group" in text and 'data-chart="chart-term"' in text
        assert client.get("/outcomes/export.xlsx").status_code == 200
    assert client.get("/").status_code == 200
