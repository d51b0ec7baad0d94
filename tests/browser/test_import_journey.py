"""Journey 4: the coordinator imports baseline and post absence from a CSV file. A file with one
bad row saves nothing; the corrected file is previewed, confirmed and saved, and the outcome
dashboard shows the before/after chart with its data table and the pupil's figures."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from mestring.core.time import today_oslo
from mestring.extensions import db
from mestring.models import Pupil
from mestring.outcomes.enums import PeriodKind
from mestring.outcomes.importing import HEADER
from mestring.outcomes.models import AbsenceRecord
from mestring.outcomes.services import placements_of
from mestring.referrals.enums import ReferralStatus
from tests.browser.conftest import assert_accessible, sign_in
from tests.text import nb, nb_plural


@dataclass(frozen=True)
class Measured:
    """A pupil who finished a course and has a baseline but no post period yet."""

    name: str
    school: str
    pupil_ref: str
    baseline: tuple[date, date]
    post: tuple[date, date]


def pupil_without_post_period(app: Flask) -> Measured:
    """Read from the live server's database what the school's IST export would hold."""
    with app.app_context():
        has_post = sa.select(AbsenceRecord.pupil_id).where(AbsenceRecord.period == PeriodKind.POST)
        baselines = db.session.scalars(
            sa.select(AbsenceRecord).where(
                AbsenceRecord.period == PeriodKind.BASELINE,
                AbsenceRecord.pupil_id.not_in(has_post),
            )
        ).all()
        placements = placements_of(db.session, [record.pupil_id for record in baselines])
        yesterday = today_oslo() - timedelta(days=1)
        for record in baselines:
            placement = placements.get(record.pupil_id)
            if (
                placement is None
                or placement.membership.referral.status != ReferralStatus.COMPLETED
            ):
                continue
            last_day = placement.course.last_day
            if last_day is None or (yesterday - last_day).days < 30:
                continue
            pupil = db.session.get(Pupil, record.pupil_id)
            assert pupil is not None and pupil.pupil_ref
            return Measured(
                name=pupil.full_name,
                school=pupil.school.name,
                pupil_ref=pupil.pupil_ref,
                baseline=(record.starts_on, record.ends_on),
                post=(last_day + timedelta(days=1), min(last_day + timedelta(days=90), yesterday)),
            )
    raise AssertionError("the demo has no pupil who finished a course without a post period")


def csv_file(*rows: str) -> dict[str, Any]:
    body = "\r\n".join([",".join(HEADER), *rows]) + "\r\n"
    return {"name": "fravaer.csv", "mimeType": "text/csv", "buffer": body.encode()}


def check_file(page: Page, school: str, file: dict[str, Any]) -> None:
    page.get_by_role("combobox", name=re.compile(f"^{nb('School')}")).select_option(label=school)
    page.get_by_label(nb("CSV file")).set_input_files(file)
    page.get_by_role("button", name=nb("Check the file")).click()


def test_import_absence_and_see_the_dashboard(new_page: Any, live_app: Flask) -> None:
    pupil = pupil_without_post_period(live_app)
    baseline = (
        f"{pupil.pupil_ref},baseline,{pupil.baseline[0]},{pupil.baseline[1]},55,275,4,4,10,5,6"
    )
    post = f"{pupil.pupil_ref},post,{pupil.post[0]},{pupil.post[1]},50,250,1,1,4,2,1"
    bad = f"{pupil.pupil_ref},after,{pupil.post[0]},{pupil.post[1]},50,250,1,1,4,2,1"

    page = new_page()
    sign_in(page, "koordinator@demo.no")
    page.get_by_role("link", name=nb("Absence"), exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name=nb("Import absence")).first.click()
    assert_accessible(page)

    page.get_by_role("button", name=nb("Check the file")).click()  # no file chosen
    expect(page.locator(".mestring-error-summary")).to_be_visible()
    assert_accessible(page)

    check_file(page, pupil.school, csv_file(baseline, bad))
    expect(page.get_by_role("alert").filter(has_text="1 av 2")).to_be_visible()
    rows = page.get_by_role("table", name=nb("Rows of the file"))
    expect(rows.get_by_role("row")).to_have_count(3)
    expect(
        page.get_by_role("button", name=nb_plural("Save %(num)s row", "Save %(num)s rows", 2))
    ).to_have_count(0)
    assert_accessible(page)

    # The same baseline row again, and the post row as new: the first file saved nothing.
    check_file(page, pupil.school, csv_file(baseline, post))
    expect(
        page.get_by_role("status").filter(
            has_text=nb_plural(
                "The row is valid. Confirm to save it.",
                "All %(num)s rows are valid. Confirm to save them.",
                2,
            )
        )
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label(nb("Update the periods that are already entered")).check()
    page.get_by_role("button", name=nb_plural("Save %(num)s row", "Save %(num)s rows", 2)).click()
    expect(
        page.get_by_text(
            nb("Imported: %(created)s new periods, %(updated)s updated.", created=1, updated=1)
        )
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=nb("Outcomes"), exact=True).click()
    chart = page.locator("figure.mestring-chart").first
    expect(chart.locator("canvas")).to_be_visible()  # drawn by the chart script
    expect(chart.get_by_role("table")).to_be_visible()  # the same figures as a table
    per_pupil = page.get_by_role("table", name=nb("Day absence per pupil"))
    row = per_pupil.get_by_role("row").filter(has=page.get_by_role("rowheader", name=pupil.name))
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(3)).to_contain_text("%")  # day absence after
    assert_accessible(page)
