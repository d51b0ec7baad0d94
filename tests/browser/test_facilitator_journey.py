"""Journey 3 on a tablet (768×1024): the facilitator sees the next session on the start page and
takes the sessions home in a calendar feed that parses. Recording attendance on a tablet is
walked through in tests/attendance/test_journey.py; this adds the start page and the feed."""

from __future__ import annotations

import re
from typing import Any

from icalendar import Calendar
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.text import nb


def no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_facilitator_sees_the_next_session_and_downloads_the_feed(new_page: Any) -> None:
    tablet = new_page(768, 1024)
    sign_in(tablet, "ppt@demo.no")
    next_session = tablet.locator("[data-next-session]").first
    expect(next_session).to_be_visible()
    title = next_session.locator(".mestring-card__title strong").inner_text()
    no_horizontal_scroll(tablet)
    assert_accessible(tablet)

    tablet.get_by_role("link", name="Ingrid Solberg").click()  # the name in the header
    expect(tablet.get_by_role("heading", name=nb("Calendar feed"))).to_be_visible()
    no_horizontal_scroll(tablet)
    assert_accessible(tablet)
    feed = tablet.get_by_role("region", name=nb("Calendar feed"))
    make = feed.get_by_role("button", name=nb("Make a calendar link"))
    if make.count():
        make.click()
    else:  # a link made earlier in the session: confirm that the old one stops working
        feed.get_by_text(nb("Make a new link"), exact=True).first.click()
        feed.get_by_role("button", name=nb("Make a new link")).click()
    link = tablet.get_by_label(nb("Calendar link (iCalendar)"))
    expect(link).to_have_value(re.compile(r"/calendar/feed/.+\.ics$"))
    no_horizontal_scroll(tablet)
    assert_accessible(tablet)

    url = link.input_value()
    response = tablet.request.get(url)
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.body())
    events = calendar.walk("VEVENT")
    assert events
    assert any(str(event["SUMMARY"]).endswith(f": {title}") for event in events)
    assert all(event["DTSTART"].dt.tzinfo is not None for event in events)
