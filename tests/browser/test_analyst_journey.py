"""Journey 5: the analyst sees outcomes with small numbers withheld as "under 5", and no pupil:
a pupil's page is refused whatever its id, and the dashboard links to none."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import expect

from mestring.extensions import db
from mestring.models import Pupil
from mestring.outcomes.suppression import MIN_PUPILS
from tests.browser.conftest import assert_accessible, sign_in
from tests.text import nb

UNDER = nb("under %(n)s", n=MIN_PUPILS)


def test_analyst_sees_suppressed_outcomes_and_no_pupil(new_page: Any, live_app: Flask) -> None:
    with live_app.app_context():
        pupil_ids = list(db.session.scalars(sa.select(Pupil.id).order_by(Pupil.id).limit(2)))

    page = new_page()
    sign_in(page, "analytiker@demo.no")
    per_term = page.get_by_role("table", name=nb("Outcomes per term"))
    expect(per_term.locator(".mestring-withheld").first).to_have_text(UNDER)
    expect(page.locator("a[href^='/pupils/']")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name=nb("Outcomes"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".mestring-withheld").first).to_have_text(UNDER)
    chart = page.locator("figure.mestring-chart").first
    expect(chart.locator("canvas")).to_be_visible()
    expect(chart.get_by_role("table")).to_be_visible()
    expect(page.get_by_role("table", name=nb("Day absence per pupil"))).to_have_count(0)
    expect(page.locator("a[href^='/pupils/']")).to_have_count(0)
    assert_accessible(page)

    for pupil_id in [*pupil_ids, 999_999]:
        response = page.goto(f"/pupils/{pupil_id}")
        assert response is not None and response.status in (403, 404)
        expect(page.get_by_role("heading", level=1)).to_be_visible()  # the error page, not a pupil
        assert_accessible(page)
