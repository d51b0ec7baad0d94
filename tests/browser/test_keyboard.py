"""Journey 1's school part with the keyboard only: sign in, open the new-referral form, fill it
and save, moving with Tab, typing, Space and Enter; no mouse. Focus stays visible on the way."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from mestring.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible
from tests.text import nb

MAX_TABS = 120

# What the focused element is: its id, or for a link or button its text.
FOCUSED = """() => {
  const el = document.activeElement;
  return el ? (el.id || el.textContent.trim()) : "";
}"""

# The width of the focus outline as drawn. Punkt draws a text input's outline on its container
# (`.pkt-input__container:focus-within`), so look there for inputs.
FOCUS_OUTLINE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el.closest(".pkt-input__container") || el);
  return style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth);
}"""


def tab_to(page: Page, target: str) -> None:
    """Press Tab until the element with this id (or text) has focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED) == target:
            return
    raise AssertionError(f"{target!r} cannot be reached with Tab")


def type_into(page: Page, field_id: str, text: str) -> None:
    tab_to(page, field_id)
    page.keyboard.type(text)


def assert_focus_visible(page: Page) -> None:
    focused = page.locator(":focus")
    expect(focused).to_be_visible()
    expect(focused).to_be_in_viewport()
    assert page.evaluate(FOCUS_OUTLINE) >= 2


def test_a_school_refers_a_pupil_with_the_keyboard_only(new_page: Any) -> None:
    page = new_page()
    page.goto("/login")
    type_into(page, "email", "skole.smestad@demo.no")
    assert_focus_visible(page)
    type_into(page, "password", DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/")

    tab_to(page, nb("New referral"))
    assert_focus_visible(page)  # a link: the ring comes from :focus-visible
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(nb("New referral"))
    assert_accessible(page)

    type_into(page, "first_name", "Kai")
    type_into(page, "last_name", "Tastesen")
    type_into(page, "birth_date", "12042016")  # the date input's day, month and year in turn
    type_into(page, "grade", "5")
    type_into(page, "guardians-0-name", "Siv Tastesen")
    type_into(page, "guardians-0-phone", "+47 900 33 444")
    tab_to(page, "worry_absence_10_percent")
    page.keyboard.press("Space")
    expect(page.locator("#worry_absence_10_percent")).to_be_checked()
    assert_focus_visible(page)
    type_into(page, "worry_text", "Mye fravær etter høstferien.")
    for field_id, value in (
        ("school_days", "60"),
        ("days_documented", "5"),
        ("days_undocumented", "3"),
        ("teaching_hours", "300"),
    ):
        type_into(page, field_id, value)
    tab_to(page, nb("Save"))
    assert_focus_visible(page)
    page.keyboard.press("Enter")

    expect(page.get_by_text(nb("The referral is saved as a draft."))).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kai Tastesen")
    assert_accessible(page)
